"""One result, everything a reader sees of it: :func:`result_view` is what the results page and
the PDF report both show (each adds only what is its own: comparison, links, QR code, the
scheme's rules appendix from :func:`.rules.scheme_rules`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from assessments import engine

from . import labels, numbers, rows
from .answers import words
from .levels import LevelRules, level_rules


@dataclass(frozen=True)
class ScoreSummary:
    """The headline figures of a result, formatted."""

    total: str
    max: str
    percent: str  # "" when there is no percentage (nothing applicable)
    total_line: str  # "72.00 / 100.00 (72.0 %)"
    bonus: str
    has_bonus: bool  # the scheme has bonus items
    deciding: str  # the figure the level is decided on ("75.00", "80.5 %")
    deciding_line: str  # how it is made ("… 72.00 + 3.00 = 75.00")
    level: str  # the level code
    level_label: str
    vetoed: bool


@dataclass(frozen=True)
class ResultView:
    scheme_title: str
    summary: ScoreSummary
    level_rules: LevelRules
    sections: tuple[rows.SectionRow, ...]
    items: tuple[rows.SectionItems, ...]
    inputs: tuple[rows.AnswerRow, ...]
    bonus: tuple[rows.BonusRow, ...]
    vetoes: tuple[rows.FlagRow, ...]
    prerequisites: tuple[rows.FlagRow, ...]
    gaps: tuple[rows.GapRow, ...]
    what_if: rows.WhatIfView
    not_computable: tuple[str, ...]
    evidence_count: int


def as_result(result: engine.Result | Mapping[str, Any]) -> engine.Result:
    """A stored result (the JSON dict of ``Submission.result``) as an engine Result."""
    return result if isinstance(result, engine.Result) else engine.result_from_dict(result)


def score_summary(
    scheme: engine.Scheme,
    result: engine.Result | Mapping[str, Any],
    lang: str,
    rules: LevelRules | None = None,
) -> ScoreSummary:
    """The headline figures; ``rules`` saves computing the level rules again."""
    result = as_result(result)
    rules = rules or level_rules(scheme, result, lang)
    total, maximum = numbers.points(result.total), numbers.points(result.max)
    with words(lang):
        if result.percent is None:
            line = _("%(total)s / %(max)s") % {"total": total, "max": maximum}
        else:
            line = _("%(total)s / %(max)s (%(percent)s)") % {
                "total": total,
                "max": maximum,
                "percent": numbers.percent(result.percent),
            }
    return ScoreSummary(
        total=total,
        max=maximum,
        percent=numbers.percent(result.percent) if result.percent is not None else "",
        total_line=line,
        bonus=numbers.points(result.bonus),
        has_bonus=scheme.bonus is not None,
        deciding=rules.figure,
        deciding_line=rules.figure_line,
        level=result.level,
        level_label=labels.level_label(scheme, result.level, lang),
        vetoed=result.vetoed,
    )


def result_view(
    scheme: engine.Scheme,
    result: engine.Result | Mapping[str, Any],
    answers: Mapping[str, Any],
    assessed_on: dt.date,
    lang: str,
    evidence: Iterable[rows.EvidenceRecord] = (),
) -> ResultView:
    """The whole result in ``lang``: figures, rows, level rules, what-if path and evidence."""
    result = as_result(result)
    by_key = rows.evidence_by_key(evidence)
    what = engine.what_if(scheme, answers, assessed_on, result)
    rules = level_rules(scheme, result, lang)
    return ResultView(
        scheme_title=scheme.title.get(lang),
        summary=score_summary(scheme, result, lang, rules),
        level_rules=rules,
        sections=tuple(rows.section_rows(scheme, result, lang)),
        items=tuple(rows.item_rows(scheme, result, answers, lang, by_key)),
        inputs=tuple(
            rows.answer_rows(
                scheme, [k for k in rows.input_keys(scheme) if k in answers], answers, lang, by_key
            )
        ),
        bonus=tuple(rows.bonus_rows(scheme, answers, lang)),
        vetoes=tuple(rows.veto_rows(scheme, result, lang)),
        prerequisites=tuple(rows.prerequisite_rows(scheme, result, lang)),
        gaps=tuple(rows.gap_rows(scheme, result, lang)),
        what_if=rows.what_if_view(scheme, what, lang),
        not_computable=tuple(labels.item_label(scheme, c, lang) for c in result.not_computable),
        evidence_count=sum(len(v) for v in by_key.values()),
    )
