"""Frozen submissions of one scheme version as a spreadsheet, a column of points per item."""

from __future__ import annotations

from typing import Any

from assessments.presentation import exports
from assessments.transfer.resources.base import ExportResource, local_naive
from portal.core.spreadsheets import Column


class SubmissionResource(ExportResource):
    """Frozen submissions of one scheme version: who and when, then the whole result.

    The result columns (total, bonus, total plus bonus, percentage, level, each section's
    points and percentage, each item's points, derived figures and every answer) and their
    headers come from ``assessments.presentation.exports``, so that a spreadsheet shows the
    same figures, in the same words, as the results page and the PDF.
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
    )

    def __init__(self, *, scheme_version, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.version = scheme_version
        self._rows: dict[int, list[Any]] = {}

    def columns(self) -> list[Column]:
        scheme = self.engine_scheme(self.version)
        zh = exports.result_headers(scheme, "zh")
        en = exports.result_headers(scheme, "en")
        result = [Column(f"result:{i}", z, e) for i, (z, e) in enumerate(zip(zh, en, strict=True))]
        return [*self.COLUMNS, *result]

    def getter(self, column: Column):
        if column.key.startswith("result:"):
            index = int(column.key.split(":", 1)[1])
            return lambda submission: self.value_result(submission, index)
        return super().getter(column)

    def prepare_chunk(self, submissions) -> None:
        """Each submission's result cells, made once per row (not once per column)."""
        scheme = self.engine_scheme(self.version)
        self._rows = {
            s.pk: exports.result_row(scheme, s.result, s.answers or {}, self.lang)
            for s in submissions
        }

    def value_result(self, submission, index: int) -> Any:
        if submission.pk not in self._rows:
            self.prepare_chunk([submission])
        return self._rows[submission.pk][index]

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
