"""Spreadsheet cells of a result: plain numbers where a cell holds a figure, words otherwise.

:func:`cell` is the one formatter for export cells: numbers stay numbers (a spreadsheet sums and
sorts them), booleans become 是/否 or yes/no, everything else text. Ratios are written as
numbers of per cent with one decimal (3.5 for 0.035), under a header that ends in "(%)".
:func:`result_row` is one submission's row: total, bonus, total plus bonus, percentage, level,
each section's points and percentage, each item's points, each derived figure (ratios in per
cent) and each answer; its headers come from :func:`result_headers`.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from assessments import engine

from . import labels, numbers
from .answers import answer_cell, value_kind, value_unit, words, yes_no
from .levels import deciding_value
from .summary import as_result

Cell = Decimal | int | str | None


def cell(value: Any, lang: str) -> Cell:
    """A value for a spreadsheet cell: numbers as numbers, yes/no in words, the rest as text."""
    if value is None:
        return None
    if isinstance(value, bool):
        return yes_no(value, lang)
    if isinstance(value, int | Decimal):
        return value
    number = numbers.to_decimal(value)
    if number is not None and not isinstance(value, str):
        return number
    return str(value)


def points_cell(value: Any) -> Decimal | None:
    """Points as a number with two decimals (as stored)."""
    number = numbers.to_decimal(value)
    return None if number is None else number.quantize(Decimal("0.01"))


def percent_cell(value: Any) -> Decimal | None:
    """A percentage (0–100) as a number with one decimal, for a column headed "(%)"."""
    number = numbers.to_decimal(value)
    return None if number is None else number.quantize(Decimal("0.1"))


def answer_header(scheme: engine.Scheme, key: str, lang: str) -> str:
    """The header of an answer column: its label, with the unit or "(%)" after it."""
    text = labels.key_text(scheme, key, lang)
    if value_kind(scheme, key) != "figure":
        return f"{text} (%)"
    unit = numbers.unit_text(value_unit(scheme, key), lang)
    return f"{text} ({unit})" if unit else text


def result_headers(scheme: engine.Scheme, lang: str) -> list[str]:
    """Headers of :func:`result_row`, in ``lang``."""
    with words(lang):
        out = [str(_("Total score"))]
        if scheme.bonus:
            out += [str(_("Bonus points")), str(_("Total score plus bonus"))]
        out += [str(_("Percentage score")) + " (%)", str(_("Level"))]
        for section in scheme.sections:
            label = labels.section_label(scheme, section.code, lang)
            out += [
                _("%(section)s: points") % {"section": label},
                _("%(section)s: percentage") % {"section": label} + " (%)",
            ]
        for item in scheme.items:
            out.append(_("%(item)s: points") % {"item": labels.item_label(scheme, item.code, lang)})
        out += [answer_header(scheme, code, lang) for code in _derived_codes(scheme)]
        out += [answer_header(scheme, key, lang) for key in _answer_keys(scheme)]
        return out


def _derived_codes(scheme: engine.Scheme) -> list[str]:
    return [i.code for i in scheme.items if not i.is_answer]


def _answer_keys(scheme: engine.Scheme) -> list[str]:
    keys = [i.code for i in scheme.inputs]
    keys += [i.code for i in scheme.items if i.is_answer]
    keys += [b.code for b in (scheme.bonus.items if scheme.bonus else ())]
    keys += [v.code for v in scheme.vetoes]
    return keys


def result_row(
    scheme: engine.Scheme,
    result: engine.Result | Mapping[str, Any],
    answers: Mapping[str, Any],
    lang: str,
) -> list[Cell]:
    """One submission as spreadsheet cells, in the order of :func:`result_headers`."""
    result = as_result(result)
    sections = {s.code: s for s in result.sections}
    scored = {i.code: i for i in result.items}
    out: list[Cell] = [points_cell(result.total)]
    if scheme.bonus:
        out += [points_cell(result.bonus), points_cell(deciding_value(scheme, result))]
    out += [percent_cell(result.percent), labels.level_label(scheme, result.level, lang)]
    for section in scheme.sections:
        s = sections.get(section.code)
        applicable = s is not None and s.applicable
        out += [
            points_cell(s.score) if s else None,
            percent_cell(s.percent) if applicable and s else None,
        ]
    for item in scheme.items:
        r = scored.get(item.code)
        out.append(points_cell(r.points) if r else None)
    for code in _derived_codes(scheme):
        r = scored.get(code)
        out.append(answer_cell(scheme, code, r.value, lang) if r and r.computable else None)
    out += [answer_cell(scheme, key, answers.get(key), lang) for key in _answer_keys(scheme)]
    return out
