"""The one normaliser: identifiers, free text and figures as people type them."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.core.text import (
    FigureError,
    canonical_figure,
    clean_free_text,
    normalise_identifier,
    parse_figure,
)

FULL_WIDTH = str.maketrans("0123456789,.-", "０１２３４５６７８９，．－")


@given(st.text(max_size=80))
def test_normalising_an_identifier_twice_is_normalising_once(text):
    once = normalise_identifier(text)
    assert normalise_identifier(once) == once


@given(st.text(max_size=80))
def test_cleaning_free_text_twice_is_cleaning_once(text):
    once = clean_free_text(text)
    assert clean_free_text(once) == once


@given(st.text(max_size=40))
def test_canonical_figure_twice_is_once(text):
    once = canonical_figure(text)
    assert canonical_figure(once) == once


@given(
    st.decimals(
        allow_nan=False, allow_infinity=False, places=3, max_value=10**12, min_value=-(10**12)
    )
)
def test_full_width_digits_parse_to_the_same_figure(number):
    ascii_text = format(number, "f")
    assert parse_figure(ascii_text.translate(FULL_WIDTH)) == parse_figure(ascii_text) == number


@given(st.integers(min_value=0, max_value=10**15))
def test_thousands_separators_parse_to_the_same_figure(number):
    grouped = f"{number:,}"
    assert parse_figure(grouped) == number
    assert parse_figure(grouped.replace(",", "，")) == number
    assert parse_figure(grouped.replace(",", " ")) == number
    assert parse_figure(grouped.replace(",", "\u3000").translate(FULL_WIDTH)) == number


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1,200,000", Decimal("1200000")),
        ("1，200，000", Decimal("1200000")),
        ("1 200 000", Decimal("1200000")),
        ("1\u202f200\u202f000", Decimal("1200000")),  # narrow no-break space
        ("１２００．５", Decimal("1200.5")),
        ("12。5", Decimal("12.5")),  # the full stop a Chinese input method types
        ("\u200b42\ufeff", Decimal("42")),
        ("－3", Decimal("-3")),
        (" 1,200.50 ", Decimal("1200.50")),
        ("", None),
        ("\u3000", None),
    ],
)
def test_figures_as_typed(typed, expected):
    assert parse_figure(typed) == expected


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("12,5", "separators"),  # a decimal comma: refused, not read as 125
        ("1,2345", "separators"),
        ("1,200 000", "separators"),  # mixed separators
        ("1,200.123,4", "separators"),
        ("abc", "invalid"),
        ("120万", "invalid"),
        ("1.2.3", "invalid"),
        ("١٢٣", "invalid"),  # other scripts' digits are not read as figures
        ("1e5", "invalid"),
        ("9" * 70, "too_long"),
    ],
)
def test_malformed_figures_are_refused_with_a_reason(typed, code):
    with pytest.raises(FigureError) as info:
        parse_figure(typed)
    assert info.value.code == code


def test_identifiers_fold_full_width_spaces_and_dashes():
    assert normalise_identifier("\u3000９１３３０１０６－ＡＢ\u200bｃ ") == "91330106-ABc"
    assert normalise_identifier("027—87654321") == "027-87654321"
    assert normalise_identifier("ｗａｎｇ＠ｅｘａｍｐｌｅ．ｃｏｍ") == "wang@example.com"
    assert normalise_identifier("ab\x00c\u202e") == "abc"


def test_free_text_keeps_full_width_brackets_and_inner_spaces():
    name = "武汉某某科技有限公司（光谷分公司）"
    assert clean_free_text(f"\u3000{name}\u200b\x00 ") == name
    assert clean_free_text("第一行\n第二行\u3000末") == "第一行\n第二行\u3000末"
    assert clean_free_text("ｶﾀｶﾅ ①") == "ｶﾀｶﾅ ①"  # no NFKC on free text
    assert clean_free_text("a\x07b\tc") == "ab\tc"
