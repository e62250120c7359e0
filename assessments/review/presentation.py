"""Labels and formatted values of answers and items, for the review and firm pages."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from assessments import engine
from assessments.engine.adjust import answer_keys
from portal.core.i18n import text_lang


def lang() -> str:
    return text_lang()


@dataclass(frozen=True)
class FieldInfo:
    key: str
    kind: str
    label: str
    help: str = ""
    unit: str | None = None
    options: tuple[tuple[str, str], ...] = ()
    required: bool = True
    integer: bool = False
    min: Decimal | None = None
    max: Decimal | None = None


@dataclass
class ItemRow:
    code: str
    text: str
    section: str
    section_title: str
    kind: str  # "item", "bonus" or "veto"
    answers: list[tuple[FieldInfo, str]]
    points: Any = None
    max: Any = None
    adjusted: Any = None
    adjusted_points: Any = None
    comment: str = ""
    reopened: bool = False
    evidence: list = field(default_factory=list)


def field_infos(scheme: engine.Scheme) -> dict[str, FieldInfo]:
    """Every answer key of the scheme with its label, kind and options in the current language."""
    lg = lang()
    kinds = {f.key: f for f in scheme.answer_fields}
    out: dict[str, FieldInfo] = {}

    def spec(key: str):
        f = kinds.get(key)
        return (
            (f.kind, f.required, f.integer, f.min, f.max)
            if f
            else ("choice", True, False, None, None)
        )

    for item in scheme.inputs:
        kind, required, integer, mn, mx = spec(item.code)
        out[item.code] = FieldInfo(
            item.code, kind, item.label.get(lg), item.help.get(lg), item.unit and item.unit.get(lg),
            tuple((o.code, o.label.get(lg)) for o in item.options), required, integer, mn, mx,
        )  # fmt: skip
    for item in scheme.items:
        if item.expression is not None or item.code not in kinds:
            continue
        kind, required, integer, mn, mx = spec(item.code)
        out[item.code] = FieldInfo(
            item.code, kind, item.text.get(lg), item.help.get(lg), item.unit and item.unit.get(lg),
            tuple((o.code, o.label.get(lg)) for o in item.options), required, integer, mn, mx,
        )  # fmt: skip
    for bonus in scheme.bonus.items if scheme.bonus else ():
        out[bonus.code] = FieldInfo(
            bonus.code, "boolean", bonus.label.get(lg), bonus.help.get(lg), required=False
        )
    for veto in scheme.vetoes:
        out[veto.code] = FieldInfo(veto.code, "boolean", veto.label.get(lg), veto.help.get(lg))
    return out


def format_value(info: FieldInfo | None, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if info is not None and info.options:
        labels = dict(info.options)
        if isinstance(value, list):
            return "; ".join(labels.get(v, v) for v in value)
        return labels.get(value, str(value))
    if info is not None and info.unit and info.kind == "number":
        return f"{value} {info.unit}"
    return str(value)


def item_rows(
    scheme: engine.Scheme,
    answers: dict,
    result: dict | None,
    adjusted: engine.Result | None = None,
    reviews: dict | None = None,
    evidence: dict | None = None,
) -> list[ItemRow]:
    """One row per scored, bonus and veto item: answers, engine points, adjusted points."""
    lg = lang()
    infos = field_infos(scheme)
    points = {i["code"]: i for i in (result or {}).get("items", [])}
    adjusted_points = {i.code: i.points for i in adjusted.items} if adjusted else {}
    reviews = reviews or {}
    evidence = evidence or {}
    rows = []
    titles = {s.code: s.title.get(lg) for s in scheme.sections}

    def answered(code: str) -> list[tuple[FieldInfo, str]]:
        out = []
        for key in answer_keys(scheme, code):
            info = infos.get(key) or FieldInfo(key, "choice", key)
            out.append((info, format_value(info, answers.get(key))))
        return out

    for item in scheme.items:
        engine_row = points.get(item.code, {})
        review = reviews.get(item.code)
        rows.append(
            ItemRow(
                code=item.code,
                text=item.text.get(lg),
                section=item.section,
                section_title=titles.get(item.section, item.section),
                kind="item",
                answers=answered(item.code),
                points=engine_row.get("points"),
                max=engine_row.get("max"),
                adjusted=adjusted_points.get(item.code),
                adjusted_points=review.adjusted_points if review else None,
                comment=review.comment if review else "",
                reopened=bool(review and review.reopened),
                evidence=evidence.get(item.code, []),
            )
        )
    extra = [
        (b.code, b.label.get(lg), "bonus") for b in (scheme.bonus.items if scheme.bonus else ())
    ]
    extra += [(v.code, v.label.get(lg), "veto") for v in scheme.vetoes]
    for code, text, kind in extra:
        review = reviews.get(code)
        rows.append(
            ItemRow(
                code=code,
                text=text,
                section=kind,
                section_title=_("Bonus items") if kind == "bonus" else _("Veto items"),
                kind=kind,
                answers=answered(code),
                comment=review.comment if review else "",
                reopened=bool(review and review.reopened),
                evidence=evidence.get(code, []),
            )
        )
    return rows


def level_label(scheme: engine.Scheme, code: str) -> str:
    """The label of a level code (or the veto level) in the current language."""
    if code == scheme.veto_level.code:
        return scheme.veto_level.label.get(lang())
    try:
        return scheme.level(code).label.get(lang())
    except KeyError:
        return code
