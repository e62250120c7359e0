"""Writes of the peer benchmarks: the section scores of a new submission."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from assessments.models import Submission

from .models import TOTAL, SectionScore


def _percent(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def score_rows(result: Mapping[str, Any]) -> list[tuple[str, Decimal | None]]:
    """``(section, percent)`` pairs of a stored result: the whole result, then each section."""
    rows = [(TOTAL, _percent(result.get("percent")))]
    for section in result.get("sections", ()):
        applicable = section.get("applicable", True)
        rows.append((section["code"], _percent(section.get("percent")) if applicable else None))
    return rows


def record_scores(submission: Submission) -> list[SectionScore]:
    """Store the percentages a benchmark compares (called once, when the submission is made)."""
    return SectionScore.objects.bulk_create(
        [
            SectionScore(submission=submission, section=section, percent=percent)
            for section, percent in score_rows(submission.result)
        ]
    )
