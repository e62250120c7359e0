"""Frozen submissions of one scheme version as a spreadsheet, a column of points per item."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from assessments.transfer.resources.base import ExportResource, local_naive
from portal.core.spreadsheets import Column


def _number(value: Any) -> Any:
    """Points are stored as exact decimal strings in the result JSON; write them as numbers."""
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return str(value)


class SubmissionResource(ExportResource):
    """Frozen submissions of one scheme version, with the points of every item."""

    COLUMNS = (
        Column("id", "编号", "Submission ID"),
        Column("credit_code", "统一社会信用代码", "Credit code"),
        Column("enterprise", "企业名称", "Enterprise name"),
        Column("region_code", "地区代码", "Region code"),
        Column("scheme", "评价体系", "Scheme"),
        Column("version", "版本", "Version"),
        Column("assessed_on", "评价日期", "Assessed on"),
        Column("submitted_at", "提交时间", "Submitted at"),
        Column("total", "总分", "Total"),
        Column("percent", "得分率", "Percent"),
        Column("level", "等级", "Level"),
        Column("vetoed", "否决", "Vetoed"),
    )

    def __init__(self, *, scheme_version, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.version = scheme_version
        self.item_codes = [item.code for item in self.engine_scheme(scheme_version).items]

    def columns(self) -> list[Column]:
        scheme = self.engine_scheme(self.version)
        items = [
            Column(
                f"item:{item.code}",
                f"{item.code} {item.text.get('zh')}",
                f"{item.code} {item.text.get('en')}",
            )
            for item in scheme.items
        ]
        return [*self.COLUMNS, *items]

    def row(self, submission) -> list[Any]:
        points = {
            entry.get("code"): entry.get("points")
            for entry in (submission.result or {}).get("items", [])
        }
        yes, no = ("yes", "no") if self.lang == "en" else ("是", "否")
        return [
            submission.pk,
            submission.enterprise.credit_code,
            submission.enterprise.name,
            submission.enterprise.region_id,
            submission.scheme_version.scheme.code,
            submission.scheme_version.version,
            submission.assessed_on,
            local_naive(submission.submitted_at),
            submission.total,
            submission.percent,
            self.level_label(self.version, submission.level),
            yes if submission.vetoed else no,
            *[_number(points.get(code)) for code in self.item_codes],
        ]
