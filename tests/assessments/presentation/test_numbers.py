"""Points, figures, percentages and units as people read them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments.engine.model import LocalText
from assessments.presentation import numbers

NB = "\u00a0"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("72"), "72.00"),
        ("1234.5", "1,234.50"),
        (0.125, "0.13"),  # half-up, as the engine rounds
        (Decimal("-0.001"), "0.00"),  # never "-0.00"
        (12, "12.00"),
        (None, "—"),
        (True, "—"),  # a boolean is not a figure
        ("abc", "—"),
    ],
)
def test_points_have_two_decimals_and_thousands(value, text) -> None:
    assert numbers.points(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (50000, "50,000"),
        ("1234.5600", "1,234.56"),
        (Decimal("1E+3"), "1,000"),
        ("0.123456", "0.1235"),
        (0, "0"),
        (None, "—"),
    ],
)
def test_figures_are_grouped_and_keep_their_decimals(value, text) -> None:
    assert numbers.figure(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [("41.666", f"41.7{NB}%"), (100, f"100.0{NB}%"), (Decimal("0.05"), f"0.1{NB}%"), (None, "—")],
)
def test_percentages_have_one_decimal(value, text) -> None:
    assert numbers.percent(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [("0.03", f"3.0{NB}%"), ("0.4167", f"41.7{NB}%"), (1, f"100.0{NB}%"), ("0.6", f"60.0{NB}%")],
)
def test_ratios_read_as_percentages_never_as_raw_decimals(value, text) -> None:
    assert numbers.share(value) == text
    assert str(value) not in text or value == 1


def test_share_number_is_the_percentage_for_a_spreadsheet() -> None:
    assert numbers.share_number("0.0345") == Decimal("3.5")
    assert numbers.share_number(None) is None


def test_signed_changes() -> None:
    assert numbers.signed_points("3.5") == "+3.50"
    assert numbers.signed_points(-1) == "-1.00"
    assert numbers.signed_points(0) == "0.00"
    assert numbers.signed_percent("2.46") == f"+2.5{NB}%"
    assert numbers.signed_percent(None) == "—"


def test_units_in_both_languages() -> None:
    assert numbers.with_unit("1,200", "万元", "zh") == f"1,200{NB}万元"
    assert numbers.with_unit("1,200", "万元", "en") == f"1,200{NB}× 10,000 RMB"
    assert numbers.with_unit("12", "件", "zh") == f"12{NB}件"
    assert numbers.with_unit("12", "件", "en") == "12"  # a count needs no unit in English
    assert numbers.with_unit("85", "%", "en") == f"85{NB}%"
    assert numbers.with_unit("—", "万元", "zh") == "—"
    assert numbers.with_unit("7", None, "zh") == "7"
    # A unit the data carries in both languages is used as it is.
    bilingual = LocalText("万元", "CNY 10k")
    assert numbers.with_unit("5", bilingual, "en") == f"5{NB}CNY 10k"
    assert numbers.unit_text(bilingual, "zh") == "万元"


@given(st.decimals(min_value=-(10**12), max_value=10**12, places=4, allow_nan=False))
def test_points_round_trip_to_the_value_rounded(value: Decimal) -> None:
    text = numbers.points(value)
    assert Decimal(text.replace(",", "")) == value.quantize(Decimal("0.01"), "ROUND_HALF_UP")
    assert text.count(".") == 1 and len(text.split(".")[1]) == 2
