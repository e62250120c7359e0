"""The rows of a result, ready to show: sections, items with answers and evidence, gaps,
the what-if path to the next level, and the answer lists of inputs, bonus items and vetoes.

Every figure is already text (see :mod:`.numbers`); the numbers behind section scores stay
available (``score_value``, ``percent_value``) for charts and comparisons.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from assessments import engine
from assessments.engine.adjust import answer_keys

from . import labels, numbers
from .answers import answer_text, item_answer_text, target_text, words, yes_no


class EvidenceRecord(Protocol):
    """What presentation reads of an evidence file (``assessments.models.Evidence``)."""

    pk: Any
    item_code: str
    original_name: str
    size: int
    sha256: str
    uploaded_at: dt.datetime | None


@dataclass(frozen=True)
class EvidenceRow:
    pk: Any
    key: str
    name: str
    size: str  # "120.0 KB"
    sha256: str
    uploaded_on: dt.date | None


@dataclass(frozen=True)
class AnswerRow:
    key: str
    label: str
    text: str
    answered: bool
    evidence: tuple[EvidenceRow, ...] = ()


@dataclass(frozen=True)
class SectionRow:
    code: str
    label: str
    score: str
    max: str
    percent: str  # "" when not applicable
    applicable: bool
    score_value: Decimal
    max_value: Decimal
    percent_value: Decimal | None


@dataclass(frozen=True)
class ItemRow:
    code: str
    reference: str  # clause number or public code ("4.1", "C1")
    text: str
    label: str  # reference and text
    section: str
    answer: str  # the answer, or the computed figure of a derived item
    answers: tuple[AnswerRow, ...]  # the answer keys behind the item (its figures if derived)
    points: str
    max: str
    full: bool
    applicable: bool
    evidence: tuple[EvidenceRow, ...]


@dataclass(frozen=True)
class SectionItems:
    section: SectionRow
    items: tuple[ItemRow, ...]


@dataclass(frozen=True)
class GapRow:
    code: str
    reference: str
    label: str
    section: str
    lost: str
    recommendation: str


@dataclass(frozen=True)
class WhatIfStep:
    code: str
    label: str
    section: str
    current: str
    target: str
    added: str
    answer: str


@dataclass(frozen=True)
class WhatIfSet:
    added: str
    steps: tuple[WhatIfStep, ...]


@dataclass(frozen=True)
class WhatIfView:
    current: str  # level label
    target: str  # next level label ("" at the top or when vetoed)
    reachable: bool
    reason_code: str  # "", "vetoed", "top_level" or "unreachable"
    reason: str
    sets: tuple[WhatIfSet, ...]
    conditions: tuple[str, ...]


@dataclass(frozen=True)
class FlagRow:
    """A veto item or a prerequisite and whether it applies / is met."""

    code: str
    label: str
    state: bool
    help: str = ""


@dataclass(frozen=True)
class BonusRow:
    code: str
    label: str
    claimed: bool
    answer: str
    points: str


# --------------------------------------------------------------------------- evidence


def evidence_row(record: EvidenceRecord) -> EvidenceRow:
    uploaded = record.uploaded_at
    return EvidenceRow(
        pk=record.pk,
        key=record.item_code,
        name=record.original_name,
        size=str(filesizeformat(record.size)),
        sha256=record.sha256,
        uploaded_on=uploaded.date() if uploaded else None,
    )


def evidence_by_key(records: Iterable[EvidenceRecord]) -> dict[str, tuple[EvidenceRow, ...]]:
    """Evidence rows by the answer key they support, in the order given."""
    out: dict[str, list[EvidenceRow]] = {}
    for record in records:
        out.setdefault(record.item_code, []).append(evidence_row(record))
    return {key: tuple(rows) for key, rows in out.items()}


def item_keys(scheme: engine.Scheme, code: str) -> tuple[str, ...]:
    """The answer keys behind an item, bonus item or veto (the figures of a derived item)."""
    try:
        return answer_keys(scheme, code)
    except KeyError:
        return (code,)


def item_evidence(
    scheme: engine.Scheme, code: str, evidence: Mapping[str, tuple[EvidenceRow, ...]]
) -> tuple[EvidenceRow, ...]:
    keys = dict.fromkeys((code, *item_keys(scheme, code)))
    return tuple(row for key in keys for row in evidence.get(key, ()))


# --------------------------------------------------------------------------- sections


def section_rows(scheme: engine.Scheme, result: engine.Result, lang: str) -> list[SectionRow]:
    rows = []
    for s in result.sections:
        applicable = s.applicable and s.percent is not None
        rows.append(
            SectionRow(
                code=s.code,
                label=labels.section_label(scheme, s.code, lang),
                score=numbers.points(s.score),
                max=numbers.points(s.max),
                percent=numbers.percent(s.percent) if applicable else "",
                applicable=applicable,
                score_value=s.score,
                max_value=s.max,
                percent_value=s.percent if applicable else None,
            )
        )
    return rows


# --------------------------------------------------------------------------- items


def answer_rows(
    scheme: engine.Scheme,
    keys: Iterable[str],
    answers: Mapping[str, Any],
    lang: str,
    evidence: Mapping[str, tuple[EvidenceRow, ...]] | None = None,
) -> list[AnswerRow]:
    evidence = evidence or {}
    return [
        AnswerRow(
            key=key,
            label=labels.key_text(scheme, key, lang),
            text=answer_text(scheme, key, answers.get(key), lang),
            answered=answers.get(key) not in (None, "", []),
            evidence=evidence.get(key, ()),
        )
        for key in keys
    ]


def item_rows(
    scheme: engine.Scheme,
    result: engine.Result,
    answers: Mapping[str, Any],
    lang: str,
    evidence: Mapping[str, tuple[EvidenceRow, ...]] | None = None,
) -> list[SectionItems]:
    """Per section of the scheme: its row and one row per item (answer, points, evidence)."""
    evidence = evidence or {}
    scored = {i.code: i for i in result.items}
    sections = {row.code: row for row in section_rows(scheme, result, lang)}
    out = []
    for section in scheme.sections:
        row = sections.get(section.code)
        if row is None:
            continue
        items = []
        for item in section.items:
            r = scored.get(item.code)
            items.append(
                ItemRow(
                    code=item.code,
                    reference=labels.item_reference(item.code),
                    text=item.text.get(lang),
                    label=labels.item_label(scheme, item.code, lang),
                    section=row.label,
                    answer=item_answer_text(scheme, item, answers, r, lang),
                    answers=tuple(
                        answer_rows(scheme, item_keys(scheme, item.code), answers, lang, evidence)
                    ),
                    points=numbers.points(r.points) if r else numbers.NONE,
                    max=numbers.points(r.max) if r else numbers.NONE,
                    full=r is not None and r.points == r.max,
                    applicable=r is not None,
                    evidence=item_evidence(scheme, item.code, evidence),
                )
            )
        out.append(SectionItems(row, tuple(items)))
    return out


def input_keys(scheme: engine.Scheme) -> list[str]:
    return [i.code for i in scheme.inputs]


def bonus_rows(scheme: engine.Scheme, answers: Mapping[str, Any], lang: str) -> list[BonusRow]:
    rows = []
    for b in scheme.bonus.items if scheme.bonus else ():
        claimed = answers.get(b.code) is True
        rows.append(
            BonusRow(
                code=b.code,
                label=b.label.get(lang),
                claimed=claimed,
                answer=yes_no(claimed, lang),  # a bonus item not answered is not claimed
                points=numbers.points(b.points if claimed else 0),
            )
        )
    return rows


def veto_rows(scheme: engine.Scheme, result: engine.Result, lang: str) -> list[FlagRow]:
    applied = set(result.vetoes)
    return [FlagRow(v.code, v.label.get(lang), v.code in applied) for v in scheme.vetoes]


def prerequisite_rows(scheme: engine.Scheme, result: engine.Result, lang: str) -> list[FlagRow]:
    met = {p.code: p.met for p in result.prerequisites}
    return [
        FlagRow(p.code, p.label.get(lang), met.get(p.code, False), p.help.get(lang))
        for p in scheme.prerequisites
    ]


# --------------------------------------------------------------------------- gaps


def gap_rows(scheme: engine.Scheme, result: engine.Result, lang: str) -> list[GapRow]:
    return [
        GapRow(
            code=g.item,
            reference=labels.item_reference(g.item),
            label=labels.item_label(scheme, g.item, lang),
            section=labels.section_label(scheme, g.section, lang) if g.section else "",
            lost=numbers.points(g.lost),
            recommendation=labels.recommendation(scheme, g.item, lang),
        )
        for g in result.gaps
    ]


# --------------------------------------------------------------------------- what-if


def what_if_view(scheme: engine.Scheme, what: engine.WhatIf, lang: str) -> WhatIfView:
    """The path to the next level: improvement sets, other conditions, or why there is none."""
    with words(lang):
        sets = []
        for option in what.sets:
            steps = tuple(
                WhatIfStep(
                    code=imp.item,
                    label=labels.item_label(scheme, imp.item, lang),
                    section=(
                        labels.section_label(scheme, imp.section, lang)
                        if imp.section
                        else str(_("Bonus"))
                    ),
                    current=numbers.points(imp.current),
                    target=numbers.points(imp.target),
                    added=numbers.points(imp.added),
                    answer=target_text(scheme, imp.item, imp.answer, lang),
                )
                for imp in option.improvements
            )
            sets.append(WhatIfSet(numbers.points(option.added), steps))
        conditions = []
        for cond in what.conditions:
            if cond.kind == "section_min_percent":
                conditions.append(
                    _("%(section)s must reach %(required)s (now %(current)s).")
                    % {
                        "section": labels.section_label(scheme, cond.code, lang),
                        "required": numbers.percent(cond.required),
                        "current": numbers.percent(cond.current),
                    }
                )
            else:
                conditions.append(
                    _("Prerequisite to be met: %(label)s")
                    % {"label": labels.prerequisite_label(scheme, cond.code, lang)}
                )
        reasons = {
            "vetoed": _("A veto item applies: no improvement of the scores changes the level."),
            "top_level": _("The highest level is already reached."),
            "unreachable": _("The next level cannot be reached by improving the answers alone."),
        }
        return WhatIfView(
            current=labels.level_label(scheme, what.current_level, lang),
            target=labels.level_label(scheme, what.target_level, lang),
            reachable=what.reachable,
            reason_code=what.reason or "",
            reason=reasons.get(what.reason or "", ""),
            sets=tuple(sets),
            conditions=tuple(conditions),
        )
