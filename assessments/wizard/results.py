"""What the results page shows for one submission, built from its frozen data."""

from __future__ import annotations

from typing import Any

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from assessments import charts, engine
from assessments.models import Submission

from . import selectors
from .steps import build_plan


def signed(value) -> str:
    """A change with its sign and two decimals (``+3.50``, ``-1.00``, ``0.00``)."""
    if value is None:
        return "—"
    text = f"{value:.2f}"
    return f"+{text}" if value > 0 else text


def _answer_text(scheme: engine.Scheme, item_code: str, answer: str | None, lang: str) -> str:
    """How to reach a what-if target: an option label, a band bound, or "yes"."""
    if answer is None:
        return ""
    try:
        item = scheme.item(item_code)
    except KeyError:
        item = None
    if item is not None:
        for option in item.options:
            if option.code == answer:
                return option.label.get(lang)
    if answer == "true":
        return _("Yes")
    if answer.startswith(">="):
        return _("at least %(value)s") % {"value": answer[2:]}
    if answer.startswith(">"):
        return _("more than %(value)s") % {"value": answer[1:]}
    return answer


def _labels(scheme: engine.Scheme, lang: str) -> dict[str, str]:
    out = {i.code: i.text.get(lang) for i in scheme.items}
    out.update({i.code: i.label.get(lang) for i in scheme.inputs})
    if scheme.bonus:
        out.update({b.code: b.label.get(lang) for b in scheme.bonus.items})
    out.update({v.code: v.label.get(lang) for v in scheme.vetoes})
    return out


def level_label(scheme: engine.Scheme, code: str | None, lang: str) -> str:
    if code is None:
        return ""
    if code == scheme.veto_level.code:
        return scheme.veto_level.label.get(lang)
    for level in scheme.levels:
        if level.code == code:
            return level.label.get(lang)
    return code


def build(submission: Submission, lang: str) -> dict[str, Any]:
    version = submission.scheme_version
    scheme = version.engine_scheme
    result = engine.result_from_dict(submission.result)
    labels = _labels(scheme, lang)
    section_titles = {s.code: s.title.get(lang) for s in scheme.sections}
    sections = [
        {
            "code": s.code,
            "title": section_titles.get(s.code, s.code),
            "score": s.score,
            "max": s.max,
            "percent": s.percent,
            "applicable": s.applicable,
        }
        for s in result.sections
    ]
    recommendations = {i.code: i.recommendation.get(lang) for i in scheme.items}
    gaps = [
        {
            "item": g.item,
            "label": labels.get(g.item, g.item),
            "section": section_titles.get(g.section, g.section),
            "lost": g.lost,
            "recommendation": recommendations.get(g.item, ""),
        }
        for g in result.gaps
    ]
    vetoes = [labels.get(code, code) for code in result.vetoes]
    prerequisites = {p.code: p for p in scheme.prerequisites}
    unmet = [
        {
            "label": prerequisites[p.code].label.get(lang) if p.code in prerequisites else p.code,
            "help": prerequisites[p.code].help.get(lang) if p.code in prerequisites else "",
        }
        for p in result.prerequisites
        if not p.met
    ]
    not_computable = [labels.get(code, code) for code in result.not_computable]
    what = engine.what_if(scheme, submission.answers, submission.assessed_on, result)
    what_if = {
        "target": level_label(scheme, what.target_level, lang),
        "reachable": what.reachable,
        "reason": what.reason,
        "sets": [
            {
                "added": s.added,
                "steps": [
                    {
                        "label": labels.get(i.item, i.item),
                        "current": i.current,
                        "target": i.target,
                        "added": i.added,
                        "answer": _answer_text(scheme, i.item, i.answer, lang),
                    }
                    for i in s.improvements
                ],
            }
            for s in what.sets
        ],
        "conditions": [
            {
                "kind": c.kind,
                "label": (
                    section_titles.get(c.code, c.code)
                    if c.kind == "section_min_percent"
                    else (
                        prerequisites[c.code].label.get(lang) if c.code in prerequisites else c.code
                    )
                ),
                "required": c.required,
                "current": c.current,
            }
            for c in what.conditions
        ],
    }
    previous = selectors.previous_submission(submission)
    comparison = None
    if previous is not None:
        before = engine.result_from_dict(previous.result)
        before_sections = {s.code: s for s in before.sections}
        comparison = {
            "submission": previous,
            "level": level_label(previous.scheme_version.engine_scheme, before.level, lang),
            "total": before.total,
            "delta": signed(result.total - before.total),
            "percent": before.percent,
            "sections": [
                {
                    "title": section_titles.get(s.code, s.code),
                    "before": before_sections[s.code].percent,
                    "now": s.percent,
                    "delta": signed(
                        s.percent - before_sections[s.code].percent
                        if s.percent is not None and before_sections[s.code].percent is not None
                        else None
                    ),
                }
                for s in result.sections
                if s.code in before_sections
            ],
        }
    plan = build_plan(scheme)
    answered_rows = []
    for step in plan.steps:
        for spec in step.fields:
            if spec.key in submission.answers:
                answered_rows.append(
                    (
                        spec.label.get(lang),
                        selectors.display_value(spec, submission.answers[spec.key], lang),
                    )
                )
    return {
        "submission": submission,
        "scheme_title": version.title,
        "result": result,
        "level_label": level_label(scheme, result.level, lang),
        "level_meaning": selectors.level_meaning(scheme, result.level, lang),
        "basis": scheme.level_basis,
        "sections": sections,
        "bars_svg": mark_safe(charts.section_bars_svg(submission.result, scheme, lang)),  # noqa: S308
        "radar_svg": mark_safe(charts.radar_svg(submission.result, scheme, lang)),  # noqa: S308
        "gaps": gaps,
        "vetoes": vetoes,
        "unmet": unmet,
        "not_computable": not_computable,
        "what_if": what_if,
        "comparison": comparison,
        "policy_links": selectors.policy_links(scheme.code, lang),
        "answers": answered_rows,
        "lang": lang,
    }
