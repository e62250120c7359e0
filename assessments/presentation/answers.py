"""Answers as people read them, and how each figure of a scheme is to be shown.

* An empty answer (missing, ``""`` or ``[]``) reads :func:`not_answered` (未作答 / Not
  answered) everywhere.
* Yes/no answers read 是/否 or Yes/No; options their label; several options are joined with
  "、" in Chinese and "; " in English.
* Figures follow :func:`value_kind`.

How a figure is shown (:func:`value_kind`). The scheme data has no explicit display hint, so
the kind is derived here, in one place, from what the data does hold:

* ``"percent"``: the key's own ``unit`` is ``"%"`` (e.g. a training coverage entered as 0–100);
  the value already is a percentage and reads ``85.0 %``.
* ``"ratio"``: a derived item whose expression divides (contains ``/``), has no unit of its own,
  and whose figures all share one unit (or none), e.g. ``rd_expense_3y / revenue_3y`` (万元 by
  万元) or ``invention_apps_3y / patent_apps_3y`` (件 by 件). The value is a fraction of 1 and
  reads as a percentage: 0.03 → ``3.0 %``. Band bounds of such an item (``0.60``) read the same
  way (``60.0 %``).
* ``"figure"``: anything else. It reads grouped by thousands, with its unit: the key's own
  ``unit``, or for a derived item without one the unit all its figures share (a sum of counts
  in 件 is in 件).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from decimal import Decimal
from typing import Any, Literal

from django.utils import translation
from django.utils.translation import gettext as _

from assessments import engine
from assessments.engine.model import Band, BonusItem, Input, Item, Veto
from assessments.engine.numbers import normalized
from portal.core.i18n import django_language, text_lang

from . import numbers

ValueKind = Literal["ratio", "percent", "figure"]
Field = Input | Item | BonusItem | Veto

ZH_LIST = "、"
EN_LIST = "; "


def words(lang: str) -> AbstractContextManager[Any]:
    """Translations in ``lang`` for the duration (nothing to do when it is already active)."""
    return nullcontext() if text_lang() == lang else translation.override(django_language(lang))


def not_answered(lang: str) -> str:
    with words(lang):
        return _("Not answered")


def yes_no(value: bool, lang: str) -> str:
    with words(lang):
        return _("Yes") if value else _("No")


def join(texts: Sequence[str], lang: str) -> str:
    """Several choices or names in one line: "、" in Chinese, "; " in English."""
    return (ZH_LIST if lang == "zh" else EN_LIST).join(texts)


def _fields(scheme: engine.Scheme) -> dict[str, Field]:
    cached = scheme.__dict__.get("_presentation_fields")
    if cached is None:
        cached = {i.code: i for i in scheme.inputs}
        cached.update({i.code: i for i in scheme.items})
        cached.update({b.code: b for b in (scheme.bonus.items if scheme.bonus else ())})
        cached.update({v.code: v for v in scheme.vetoes})
        object.__setattr__(scheme, "_presentation_fields", cached)
    return cached


def field(scheme: engine.Scheme, key: str) -> Field | None:
    """The input, item, bonus item or veto answered (or computed) under ``key``."""
    return _fields(scheme).get(key)


def _expression_units(scheme: engine.Scheme, item: Item) -> set[str | None]:
    names = engine.compile_expression(item.expression or "").names
    inputs = _fields(scheme)
    return {getattr(inputs.get(name), "unit", None) for name in names}


def value_kind(scheme: engine.Scheme, key: str) -> ValueKind:
    """How the figure under ``key`` is shown: a ratio, a percentage or a figure (see above)."""
    cached = scheme.__dict__.setdefault("_presentation_kinds", {})
    if key in cached:
        return cached[key]
    spec = field(scheme, key)
    unit = getattr(spec, "unit", None)
    kind: ValueKind = "figure"
    if unit is not None and numbers.unit_text(unit, "zh").strip() == "%":
        kind = "percent"
    elif (
        isinstance(spec, Item)
        and spec.expression is not None
        and "/" in spec.expression
        and unit is None
        and len(_expression_units(scheme, spec)) == 1
    ):
        kind = "ratio"
    cached[key] = kind
    return kind


def value_unit(scheme: engine.Scheme, key: str) -> Any:
    """The unit a figure is shown with (None for ratios, percentages and bare numbers)."""
    if value_kind(scheme, key) != "figure":
        return None
    spec = field(scheme, key)
    unit = getattr(spec, "unit", None)
    if unit is None and isinstance(spec, Item) and spec.expression is not None:
        units = _expression_units(scheme, spec)
        if len(units) == 1:
            unit = next(iter(units))
    return unit


def number_text(scheme: engine.Scheme, key: str, value: Any, lang: str) -> str:
    """A figure of ``key`` as people read it: ``3.0 %``, ``85.0 %``, ``1,200 万元``."""
    kind = value_kind(scheme, key)
    if kind == "ratio":
        return numbers.share(value)
    if kind == "percent":
        return numbers.percent(value)
    return numbers.with_unit(numbers.figure(value), value_unit(scheme, key), lang)


def number_cell(scheme: engine.Scheme, key: str, value: Any) -> Decimal | None:
    """A figure of ``key`` for a spreadsheet cell: a plain number (a ratio in per cent)."""
    if value_kind(scheme, key) == "ratio":
        return numbers.share_number(value)
    number = numbers.to_decimal(value)
    return None if number is None else normalized(number)


def option_label(spec: Field | None, code: Any, lang: str) -> str:
    for option in getattr(spec, "options", ()):
        if option.code == code:
            return option.label.get(lang)
    return str(code)


def answer_text(scheme: engine.Scheme, key: str, value: Any, lang: str) -> str:
    """An answer (or a computed figure) of ``key`` as a reader sees it, in ``lang``."""
    if value is None or value == "" or value == [] or value == ():
        return not_answered(lang)
    if isinstance(value, bool):
        return yes_no(value, lang)
    spec = field(scheme, key)
    if isinstance(value, list | tuple):
        return join([option_label(spec, v, lang) for v in value], lang)
    if getattr(spec, "type", None) == "number" or isinstance(value, int | float | Decimal):
        if numbers.to_decimal(value) is not None:
            return number_text(scheme, key, value, lang)
        return str(value)
    if getattr(spec, "options", ()):
        return option_label(spec, value, lang)
    return str(value)


def answer_cell(scheme: engine.Scheme, key: str, value: Any, lang: str) -> Decimal | str | None:
    """An answer for a spreadsheet cell: a plain number for figures, the answer text otherwise.

    Empty answers are empty cells; ratios are numbers of per cent (3.5 for 0.035).
    """
    if value is None or value == "" or value == []:
        return None
    if not isinstance(value, bool) and getattr(field(scheme, key), "type", None) == "number":
        number = number_cell(scheme, key, value)
        if number is not None:
            return number
    return answer_text(scheme, key, value, lang)


def bound_text(scheme: engine.Scheme, key: str, band: Band, lang: str) -> str:
    """A band's lower bound: ``≥ 60.0 %``, ``> 0``, ``≥ 1,000 万元``."""
    sign = ">" if band.strict else "≥"
    return f"{sign} {number_text(scheme, key, band.bound, lang)}"


def target_text(scheme: engine.Scheme, key: str, answer: str | None, lang: str) -> str:
    """The answer a what-if step asks for: an option label, "yes", or a bound to reach."""
    if answer is None:
        return ""
    with words(lang):
        if answer == "true":
            return _("Yes")
        if answer.startswith(">="):
            return _("at least %(value)s") % {"value": number_text(scheme, key, answer[2:], lang)}
        if answer.startswith(">"):
            return _("more than %(value)s") % {"value": number_text(scheme, key, answer[1:], lang)}
    return option_label(field(scheme, key), answer, lang)


def item_answer_text(
    scheme: engine.Scheme, item: Item, answers: Mapping[str, Any], result_item: Any, lang: str
) -> str:
    """What an item row shows as its answer.

    A directly answered item shows the answer; a derived one its computed value (or why there
    is none). ``result_item`` is the item of the stored result (an ``ItemResult`` or its dict),
    or None when the item was not scored (a section not applicable).
    """
    with words(lang):
        if result_item is None:
            return _("not applicable")
        if item.is_answer:
            return answer_text(scheme, item.code, answers.get(item.code), lang)
        computable = _get(result_item, "computable", True)
        if not computable:
            return _("cannot be computed")
        return answer_text(scheme, item.code, _get(result_item, "value", None), lang)


def _get(record: Any, name: str, default: Any) -> Any:
    if isinstance(record, Mapping):
        return record.get(name, default)
    return getattr(record, name, default)
