"""What the results page shows beside the result itself: the improvement plan (this result's
own, and the progress of the plan made from an earlier one) and the peer benchmark.

:func:`context` is the one function the results view calls; its templates are
``plans/includes/results_plan.html``, ``plans/includes/results_progress.html`` and
``peers/includes/results_peers.html``.
"""

from __future__ import annotations

from typing import Any

from assessments.models import Submission
from assessments.peers import selectors as peers
from assessments.plans import selectors as plans
from assessments.presentation.peers import BenchmarkView, benchmark_view


def peer_view(submission: Submission, lang: str) -> BenchmarkView:
    """The submission's peer benchmark in ``lang`` (one query)."""
    found = peers.benchmark(submission)
    enterprise = submission.enterprise
    region = enterprise.region
    province = region.parent or region

    def name(r) -> str:
        return r.name_en if lang == "en" else r.name_zh

    return benchmark_view(
        submission.scheme_version.engine_scheme,
        found,
        lang,
        industry=enterprise.industry,
        size=enterprise.size,
        city=name(region),
        province=name(province),
        minimum=peers.MIN_FIRMS,
    )


def context(submission: Submission, lang: str) -> dict[str, Any]:
    """``plan_summary``, ``plan_progress`` and ``peers`` for the results page's includes (two
    queries, three when an earlier submission has a plan)."""
    summary, earlier = plans.plans_until(submission)
    return {
        "plan_summary": summary,
        "plan_progress": plans.progress(submission, earlier, lang),
        "peers": peer_view(submission, lang),
    }
