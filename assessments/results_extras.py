"""What the results page shows beside the result itself: the improvement plan (this result's
own, and the progress of the plan made from an earlier one).

:func:`context` is the one function the results view calls; its templates are
``plans/includes/results_plan.html`` and ``plans/includes/results_progress.html``.
"""

from __future__ import annotations

from typing import Any

from assessments.models import Submission
from assessments.plans import selectors as plans


def context(submission: Submission, lang: str) -> dict[str, Any]:
    """``plan_summary`` and ``plan_progress`` for the results page's includes (one query, two
    when an earlier submission has a plan)."""
    summary, earlier = plans.plans_until(submission)
    return {
        "plan_summary": summary,
        "plan_progress": plans.progress(submission, earlier, lang),
    }
