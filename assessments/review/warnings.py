"""The plausibility warnings of an application's submission, as the firm confirmed them: the
scheme's message, the answers involved with their values, and the firm's explanation."""

from __future__ import annotations

from assessments.models import Submission
from assessments.presentation import WarningRow
from assessments.submissions import warnings_of


def rows_for(submission: Submission, lang: str) -> tuple[WarningRow, ...]:
    return warnings_of(submission, lang)
