"""Exact number handling: parsing answers, converting and rounding half-up."""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction

_DECIMAL_TEXT = re.compile(r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$")

TWO_PLACES = 2
FOUR_PLACES = 4


def parse_number(value: object) -> Decimal | None:
    """Return ``value`` as a finite Decimal, or None when it is not a number.

    Accepted: int (not bool), finite float (via its shortest repr), finite Decimal and decimal
    strings such as ``"12.5"`` (surrounding spaces allowed, no exponent).
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return None
        return Decimal(repr(value))
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, str):
        text = value.strip()
        if _DECIMAL_TEXT.match(text):
            return Decimal(text)
    return None


def round_half_up(value: Fraction, places: int = TWO_PLACES) -> Decimal:
    """Round an exact value half away from zero to ``places`` decimals, as a Decimal."""
    numerator, denominator = value.numerator, value.denominator
    whole = (abs(numerator) * 10**places * 2 + denominator) // (denominator * 2)
    if numerator < 0 and whole:
        whole = -whole
    return Decimal(whole).scaleb(-places)


def normalized(value: Decimal) -> Decimal:
    """Drop trailing zeros without switching to an exponent (``12.50`` -> ``12.5``)."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()
