"""The item rows of the review workspace and the firm's application pages.

Each row is an item, bonus item or veto with the firm's answers and evidence as
:mod:`assessments.presentation` shows them, the engine's points, the points re-scored with the
reviewer's adjustments, and the reviewer's own override or decision (bonus accepted or struck,
veto confirmed or raised), internal note, message to the firm and "reopened" flag.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from assessments import engine
from assessments.presentation import labels, numbers, rows
from assessments.presentation.answers import item_answer_text
from assessments.presentation.summary import as_result
from assessments.review.models import ItemReview


@dataclass(frozen=True)
class ReviewRow:
    code: str
    reference: str  # the clause number or public code people use ("4.1", "C1")
    text: str
    section: str  # section code, "bonus" or "veto"
    section_title: str
    kind: str  # "item", "bonus" or "veto"
    answers: tuple[rows.AnswerRow, ...]
    evidence: tuple[rows.EvidenceRow, ...]
    computed: str = ""  # the figure a derived item computes from its answers ("4.0 %")
    points: str = numbers.NONE  # engine points, formatted
    max: str = numbers.NONE
    max_value: Decimal | None = None
    adjusted: str = numbers.NONE  # points re-scored with the reviewer's adjustments
    changed: bool = False  # the re-scored points differ from the engine's
    adjusted_points: Decimal | None = None  # the reviewer's override of this item
    message: str = ""  # to the firm
    note: str = ""  # internal
    reopened: bool = False
    claimed: bool = False  # a bonus item the firm claimed, a veto item the firm declared
    decision: str = ""  # accepted/struck (bonus), confirmed/raised (veto)
    decision_reason: str = ""

    @property
    def adjusted_points_text(self) -> str:
        return numbers.points(self.adjusted_points)

    @property
    def decision_label(self) -> str:
        return str(ItemReview.Decision(self.decision).label) if self.decision else ""


def item_rows(
    scheme: engine.Scheme,
    answers: Mapping[str, Any],
    result: engine.Result | Mapping[str, Any] | None,
    lang: str,
    adjusted: engine.Result | None = None,
    reviews: Mapping[str, Any] | None = None,
    evidence: Iterable[rows.EvidenceRecord] = (),
) -> list[ReviewRow]:
    """One row per scored item, then bonus items and veto items, in ``lang``."""
    scored = {i.code: i for i in as_result(result).items} if result else {}
    reviewed = {i.code: i.points for i in adjusted.items} if adjusted else {}
    reviews = reviews or {}
    files = rows.evidence_by_key(evidence)
    out = []

    def answered(code: str) -> tuple[rows.AnswerRow, ...]:
        return tuple(rows.answer_rows(scheme, rows.item_keys(scheme, code), answers, lang, files))

    for item in scheme.items:
        engine_row = scored.get(item.code)
        review = reviews.get(item.code)
        again = reviewed.get(item.code)
        out.append(
            ReviewRow(
                code=item.code,
                reference=labels.item_reference(item.code),
                text=item.text.get(lang),
                section=item.section,
                section_title=labels.section_label(scheme, item.section, lang),
                kind="item",
                answers=answered(item.code),
                evidence=rows.item_evidence(scheme, item.code, files),
                computed=""
                if item.is_answer
                else item_answer_text(scheme, item, answers, engine_row, lang),
                points=numbers.points(engine_row.points if engine_row else None),
                max=numbers.points(engine_row.max if engine_row else None),
                max_value=engine_row.max if engine_row else None,
                adjusted=numbers.points(again),
                changed=again is not None and engine_row is not None and again != engine_row.points,
                adjusted_points=review.adjusted_points if review else None,
                message=review.message if review else "",
                note=review.note if review else "",
                reopened=bool(review and review.reopened),
            )
        )
    extra = [
        (b.code, b.label.get(lang), "bonus") for b in (scheme.bonus.items if scheme.bonus else ())
    ]
    extra += [(v.code, v.label.get(lang), "veto") for v in scheme.vetoes]
    for code, text, kind in extra:
        review = reviews.get(code)
        out.append(
            ReviewRow(
                code=code,
                reference=labels.item_reference(code),
                text=text,
                section=kind,
                section_title=str(_("Bonus items") if kind == "bonus" else _("Veto items")),
                kind=kind,
                answers=answered(code),
                evidence=rows.item_evidence(scheme, code, files),
                message=review.message if review else "",
                note=review.note if review else "",
                reopened=bool(review and review.reopened),
                claimed=bool(answers.get(code)),
                decision=review.decision if review else "",
                decision_reason=review.decision_reason if review else "",
            )
        )
    return out


def other_answers(
    scheme: engine.Scheme,
    answers: Mapping[str, Any],
    lang: str,
    evidence: Iterable[rows.EvidenceRecord] = (),
) -> list[rows.AnswerRow]:
    """The answers no item row shows: figures and facts no item reads (prerequisites…)."""
    shown = {key for item in scheme.items for key in rows.item_keys(scheme, item.code)}
    keys = [i.code for i in scheme.inputs if i.code not in shown]
    return rows.answer_rows(scheme, keys, answers, lang, rows.evidence_by_key(evidence))
