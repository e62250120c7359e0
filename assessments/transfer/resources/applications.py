"""Applications as a spreadsheet: enterprise data, state, scores, level and dates."""

from __future__ import annotations

from typing import Any

from django.utils import translation

from assessments.review.models import State
from assessments.transfer.resources.base import ExportResource, local_naive
from portal.accounts.choices import Industry
from portal.accounts.resources import industry_label
from portal.core.spreadsheets import Column


class ApplicationResource(ExportResource):
    """Applications with enterprise data, state, self score, reviewed score, level and dates."""

    COLUMNS = (
        Column("id", "申报编号", "Application ID"),
        Column("programme", "申报项目", "Programme"),
        Column("credit_code", "统一社会信用代码", "Credit code"),
        Column("enterprise", "企业名称", "Enterprise name"),
        Column("region_code", "地区代码", "Region code"),
        Column("province", "省份", "Province"),
        Column("city", "城市", "City"),
        Column("industry", "行业", "Industry"),
        Column("state", "状态", "State"),
        Column("self_score", "自评得分", "Self-assessed score"),
        Column("reviewed_score", "评审得分", "Reviewed score"),
        Column("level", "等级", "Level"),
        Column("applied_at", "申报时间", "Applied at"),
        Column("state_changed_at", "状态变更时间", "State changed at"),
        Column("decided_at", "决定时间", "Decided at"),
        Column("assignee", "评审人", "Reviewer"),
    )

    def before_export(self, queryset, **kwargs) -> None:
        with translation.override("en" if self.lang == "en" else "zh-hans"):
            self._states = {value: str(label) for value, label in State.choices}
        self._industries = {code: industry_label(code, self.lang) for code in Industry.values}

    def row(self, application) -> list[Any]:
        enterprise = application.enterprise
        province, city = self.region_names(enterprise)
        programme = application.programme
        version = programme.scheme_version
        return [
            application.pk,
            programme.title_en if self.lang == "en" else programme.title_zh,
            enterprise.credit_code,
            enterprise.name,
            enterprise.region_id,
            province,
            city,
            self._industries.get(enterprise.industry, enterprise.industry),
            self._states.get(application.state, application.state),
            application.submission.total,
            application.reviewed_total,
            self.level_label(version, application.reviewed_level or application.submission.level),
            local_naive(application.created_at),
            local_naive(application.state_changed_at),
            local_naive(application.decided_at),
            application.assignee.get_username() if application.assignee_id else "",
        ]
