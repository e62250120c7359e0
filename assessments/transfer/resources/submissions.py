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
    """Frozen submissions of one scheme version, with the points of every item.

    Each column's value comes from its ``value_<key>`` method; the item columns from
    ``value_item``.
    """

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
        self._points: dict[int, dict[str, Any]] = {}

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

    def getter(self, column: Column):
        if column.key.startswith("item:"):
            code = column.key.split(":", 1)[1]
            return lambda submission: self.value_item(submission, code)
        return super().getter(column)

    def prepare_chunk(self, submissions) -> None:
        """Each submission's points per item, read once per row (not once per item column)."""
        self._points = {
            submission.pk: {
                entry.get("code"): entry.get("points")
                for entry in (submission.result or {}).get("items", [])
            }
            for submission in submissions
        }

    def value_item(self, submission, code: str) -> Any:
        if submission.pk not in self._points:
            self.prepare_chunk([submission])
        return _number(self._points[submission.pk].get(code))

    def value_id(self, submission) -> int:
        return submission.pk

    def value_credit_code(self, submission) -> str:
        return submission.enterprise.credit_code

    def value_enterprise(self, submission) -> str:
        return submission.enterprise.name

    def value_region_code(self, submission) -> str:
        return submission.enterprise.region_id

    def value_scheme(self, submission) -> str:
        return submission.scheme_version.scheme.code

    def value_version(self, submission) -> int:
        return submission.scheme_version.version

    def value_assessed_on(self, submission):
        return submission.assessed_on

    def value_submitted_at(self, submission):
        return local_naive(submission.submitted_at)

    def value_total(self, submission):
        return submission.total

    def value_percent(self, submission):
        return submission.percent

    def value_level(self, submission) -> str:
        return self.level_label(self.version, submission.level)

    def value_vetoed(self, submission) -> str:
        yes, no = ("yes", "no") if self.lang == "en" else ("是", "否")
        return yes if submission.vetoed else no
