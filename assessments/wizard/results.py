"""What the results page shows for one submission: the result as :mod:`assessments.presentation`
shows it, plus what only the page has (comparison with the previous submission, policy links)."""

from __future__ import annotations

from typing import Any

from django.utils.safestring import mark_safe

from assessments import charts, engine, presentation, results_extras
from assessments.models import Evidence, Submission
from assessments.presentation import labels, numbers

from . import selectors


def _comparison(submission: Submission, result: engine.Result, lang: str) -> dict[str, Any] | None:
    previous = selectors.previous_submission(submission)
    if previous is None:
        return None
    scheme = submission.scheme_version.engine_scheme
    before = engine.result_from_dict(previous.result)
    before_sections = {s.code: s for s in before.sections}
    rows = []
    for s in result.sections:
        old = before_sections.get(s.code)
        if old is None:
            continue
        delta = (
            s.percent - old.percent if s.percent is not None and old.percent is not None else None
        )
        rows.append(
            {
                "title": labels.section_label(scheme, s.code, lang),
                "before": numbers.percent(old.percent),
                "now": numbers.percent(s.percent),
                "delta": numbers.signed_percent(delta),
            }
        )
    return {
        "submission": previous,
        "level": presentation.level_label(
            previous.scheme_version.engine_scheme, before.level, lang
        ),
        "total": numbers.points(before.total),
        "delta": numbers.signed_points(result.total - before.total),
        "sections": rows,
    }


def build(submission: Submission, lang: str) -> dict[str, Any]:
    version = submission.scheme_version
    scheme = version.engine_scheme
    result = engine.result_from_dict(submission.result)
    evidence = Evidence.objects.filter(assessment_id=submission.assessment_id).order_by("pk")
    view = presentation.result_view(
        scheme, result, submission.answers, submission.assessed_on, lang, evidence
    )
    return {
        "submission": submission,
        "scheme_title": version.title,
        "view": view,
        "summary": view.summary,
        "bars_svg": mark_safe(charts.section_bars_svg(submission.result, scheme, lang)),  # noqa: S308
        "radar_svg": mark_safe(charts.radar_svg(submission.result, scheme, lang)),  # noqa: S308
        "unmet": [p for p in view.prerequisites if not p.state],
        "comparison": _comparison(submission, result, lang),
        "policy_links": selectors.policy_links(scheme.code, lang),
        "lang": lang,
        **results_extras.context(submission, lang),
    }
