"""Applications as a spreadsheet: enterprise data, state, scores, bonus, level, certificate,
dates and the people involved (by name)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import translation

from assessments.review.models import Certificate, State
from assessments.transfer.resources.base import ExportResource, local_naive, person_name
from portal.accounts.choices import Industry
from portal.accounts.resources import industry_label
from portal.core.spreadsheets import Column


def decimal_or_none(value: Any) -> Decimal | None:
    """A stored number (the result JSON keeps exact decimal text) as a Decimal."""
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


class ApplicationResource(ExportResource):
    """One row per application; each column's value comes from its ``value_<key>`` method.

    The queryset comes from ``assessments.transfer.applications.applications_for_export``
    (related rows joined, the submission's bonus annotated as ``bonus``, large JSON deferred).
    """

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
        Column("bonus", "加分", "Bonus points"),
        Column("reviewed_total", "评审得分", "Reviewed total"),
        Column("level", "等级", "Level"),
        Column("certificate_number", "证书编号", "Certificate number"),
        Column("certificate_status", "证书状态", "Certificate status"),
        Column("applied_at", "申报时间", "Applied at"),
        Column("applied_by", "申报人", "Applied by"),
        Column("state_changed_at", "状态变更时间", "State changed at"),
        Column("decided_at", "决定时间", "Decided at"),
        Column("assignee", "评审人", "Reviewer"),
    )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        with translation.override("en" if self.lang == "en" else "zh-hans"):
            self._states = {value: str(label) for value, label in State.choices}
            self._certificate_states = {
                value: str(label) for value, label in Certificate.Status.choices
            }
        self._industries = {code: industry_label(code, self.lang) for code in Industry.values}

    def value_id(self, application) -> int:
        return application.pk

    def value_programme(self, application) -> str:
        programme = application.programme
        return programme.title_en if self.lang == "en" else programme.title_zh

    def value_credit_code(self, application) -> str:
        return application.enterprise.credit_code

    def value_enterprise(self, application) -> str:
        return application.enterprise.name

    def value_region_code(self, application) -> str:
        return application.enterprise.region_id

    def value_province(self, application) -> str:
        return self.region_names(application.enterprise)[0]

    def value_city(self, application) -> str:
        return self.region_names(application.enterprise)[1]

    def value_industry(self, application) -> str:
        industry = application.enterprise.industry
        return self._industries.get(industry, industry)

    def value_state(self, application) -> str:
        return self._states.get(application.state, application.state)

    def value_self_score(self, application) -> Decimal:
        return application.submission.total

    def value_bonus(self, application) -> Decimal | None:
        """The bonus points of the submission's result (annotated by the export's query)."""
        if hasattr(application, "bonus"):
            return decimal_or_none(application.bonus)
        return decimal_or_none((application.submission.result or {}).get("bonus"))

    def value_reviewed_total(self, application) -> Decimal | None:
        return application.reviewed_total

    def value_level(self, application) -> str:
        version = application.programme.scheme_version
        return self.level_label(version, application.level)

    def _certificate(self, application) -> Certificate | None:
        try:
            return application.certificate
        except Certificate.DoesNotExist:
            return None

    def value_certificate_number(self, application) -> str:
        certificate = self._certificate(application)
        return certificate.number if certificate else ""

    def value_certificate_status(self, application) -> str:
        certificate = self._certificate(application)
        if certificate is None:
            return ""
        status = certificate.current_status()
        return self._certificate_states.get(status, status)

    def value_applied_at(self, application):
        return local_naive(application.created_at)

    def value_applied_by(self, application) -> str:
        return person_name(application.created_by)

    def value_state_changed_at(self, application):
        return local_naive(application.state_changed_at)

    def value_decided_at(self, application):
        return local_naive(application.decided_at)

    def value_assignee(self, application) -> str:
        return person_name(application.assignee)
