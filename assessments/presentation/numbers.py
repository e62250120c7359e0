"""Numbers as people read them: points, figures with their unit, percentages.

* Points (scores, maxima, points lost) always carry two decimals: ``72.00``, ``1,234.50``.
* Figures (amounts, counts) are grouped by thousands and keep the decimals they have, at most
  four: ``1,200``, ``1,234.5``; with their unit after a no-break space: ``1,200 万元``.
* Percentages carry one decimal and a no-break space before the sign: ``41.7 %``. A ratio or
  share (a fraction of 1, such as 0.03) is multiplied by 100 first: :func:`share` gives
  ``3.0 %``. Raw decimals such as ``0.03`` are never shown.

Every function accepts what a stored result holds (Decimal, int, float or a decimal string) and
returns :data:`NONE` for a missing figure. Rounding is half-up, like the engine's.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Protocol

from assessments.engine.numbers import normalized, parse_number

NONE = "—"
"""The text of a figure that does not exist (no reviewed score yet, a missing bound…)."""

NBSP = "\u00a0"
"""Between a figure and its unit or per cent sign, so that they never part at a line end."""

POINT_PLACES = 2
PERCENT_PLACES = 1
FIGURE_PLACES = 4
HUNDRED = Decimal(100)

# English for the units the scheme data writes in Chinese only. When the data carries a unit in
# both languages (an object with ``get(lang)``), that is used instead.
ENGLISH_UNITS = {"万元": "× 10,000 RMB", "元": "RMB", "件": "", "项": "", "人": "persons"}


class LocalUnit(Protocol):
    def get(self, lang: str = "zh") -> str: ...


Unit = str | LocalUnit | None


def to_decimal(value: Any) -> Decimal | None:
    """A stored figure as a Decimal (None for missing, booleans and anything not a number)."""
    return parse_number(value)


def _rounded(number: Decimal, places: int) -> Decimal:
    rounded = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return rounded + 0 if rounded else abs(rounded)  # no "-0.00"


def points(value: Any) -> str:
    """Points with two decimals, grouped by thousands: ``72.00``, ``1,234.50``."""
    number = to_decimal(value)
    if number is None:
        return NONE
    return format(_rounded(number, POINT_PLACES), ",f")


def signed_points(value: Any) -> str:
    """A change of points with its sign: ``+3.50``, ``-1.00``, ``0.00``."""
    number = to_decimal(value)
    if number is None:
        return NONE
    text = points(number)
    return f"+{text}" if _rounded(number, POINT_PLACES) > 0 else text


def figure(value: Any, places: int = FIGURE_PLACES) -> str:
    """A figure grouped by thousands with the decimals it has (at most ``places``)."""
    number = to_decimal(value)
    if number is None:
        return NONE
    return format(normalized(_rounded(number, places)), ",f")


def percent(value: Any, places: int = PERCENT_PLACES) -> str:
    """A value that already is a percentage (0–100): ``41.7 %``."""
    number = to_decimal(value)
    if number is None:
        return NONE
    return f"{format(_rounded(number, places), ',f')}{NBSP}%"


def signed_percent(value: Any) -> str:
    """A change of percentage points with its sign: ``+2.5 %``."""
    number = to_decimal(value)
    if number is None:
        return NONE
    text = percent(number)
    return f"+{text}" if _rounded(number, PERCENT_PLACES) > 0 else text


def share(value: Any) -> str:
    """A ratio or share (a fraction of 1) as a percentage: 0.03 → ``3.0 %``."""
    number = to_decimal(value)
    return NONE if number is None else percent(number * HUNDRED)


def share_number(value: Any) -> Decimal | None:
    """A ratio as the number of per cent, rounded to one decimal (0.0345 → 3.5), for exports."""
    number = to_decimal(value)
    return None if number is None else _rounded(number * HUNDRED, PERCENT_PLACES)


def unit_text(unit: Unit, lang: str) -> str:
    """The unit in ``lang``: the data's own words, or :data:`ENGLISH_UNITS` for a Chinese one."""
    if unit is None:
        return ""
    if isinstance(unit, str):
        zh, en = unit, ""
    else:  # a bilingual unit; version 1 data gives only the Chinese (en empty)
        zh, en = unit.get("zh"), getattr(unit, "en", "") or ""
    if lang == "en":
        return en or ENGLISH_UNITS.get(zh, zh)
    return zh


def with_unit(text: str, unit: Unit, lang: str) -> str:
    """``text`` followed by the unit in ``lang`` (nothing added when there is none)."""
    words = unit_text(unit, lang)
    if not words or text == NONE:
        return text
    if words == "%":
        return f"{text}{NBSP}%"
    return f"{text}{NBSP}{words}"
