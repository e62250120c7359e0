"""Reviewer adjustments: per-item overrides re-derive sections, total and level."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assessments.engine import InvalidAnswers, score
from assessments.engine.adjust import (
    AdjustmentError,
    adjust,
    answer_keys,
    keys_for,
    reviewable_codes,
)
from assessments.engine.result import result_to_dict

from .conftest import ON, gbt_answers, ip_answers, item_result, section_result


def test_no_overrides_equals_score(ip):
    answers = ip_answers()
    assert result_to_dict(adjust(ip, answers, ON, {})) == result_to_dict(score(ip, answers, ON))


def test_override_lowers_section_total_and_level(ip):
    answers = ip_answers()  # 100 points: demonstration
    base = score(ip, answers, ON)
    assert base.level == "demonstration"
    # Take 18 points off U1 (use) and 10 off M1 (management): 72 -> still demonstration.
    result = adjust(ip, answers, ON, {"U1": 0, "M1": "0"})
    assert item_result(result, "U1").points == Decimal("0.00")
    assert section_result(result, "use").score == Decimal("7.00")
    assert section_result(result, "management").score == Decimal("30.00")
    assert result.total == Decimal("72.00")
    assert result.level == "demonstration"
    # Two more items down: 72 - 5 - 5 - 5 = 57 -> advantage (>= 55).
    result = adjust(ip, answers, ON, {"U1": 0, "M1": 0, "C2": 0, "C3": 0, "M6": 0})
    assert result.total == Decimal("57.00")
    assert result.level == "advantage"
    assert result.gaps[0].item == "U1"  # largest loss first
    assert item_result(result, "U1").max == Decimal("18.00")


def test_override_can_raise_points_up_to_the_maximum(ip):
    answers = ip_answers(C1="none")  # C1 0 of 5
    assert adjust(ip, answers, ON, {"C1": Decimal("4.5")}).total == Decimal("99.50")
    with pytest.raises(AdjustmentError) as err:
        adjust(ip, answers, ON, {"C1": "5.01"})
    assert err.value.code == "C1"


@pytest.mark.parametrize("value", [-1, "abc", True, "NaN"])
def test_bad_points_are_refused(ip, value):
    with pytest.raises(AdjustmentError):
        adjust(ip, ip_answers(), ON, {"C1": value})


def test_unknown_item_is_refused(ip):
    with pytest.raises(AdjustmentError, match="no such scored item"):
        adjust(ip, ip_answers(), ON, {"Z9": 1})


def test_vetoed_result_stays_vetoed(ip):
    result = adjust(ip, ip_answers(V2=True), ON, {"C1": 0})
    assert result.vetoed
    assert result.level == "not_eligible"
    assert result.total == Decimal("95.00")


def test_invalid_answers_still_raise(ip):
    with pytest.raises(InvalidAnswers):
        adjust(ip, ip_answers(C1=None), ON, {})


def test_weighted_scheme_override_and_na_item(gbt23):
    answers = gbt_answers(gbt23)
    first = gbt23.sections[0].items[0]
    base = score(gbt23, answers, ON)
    assert base.level == "ready"
    maximum = item_result(base, first.code).max
    result = adjust(gbt23, answers, ON, {first.code: 0})
    section = section_result(result, gbt23.sections[0].code)
    assert section.score == section_result(base, gbt23.sections[0].code).score - maximum
    assert result.total < base.total
    na_item = next(i for i in gbt23.items if i.na_allowed)
    with pytest.raises(AdjustmentError, match="not applicable"):
        adjust(gbt23, gbt_answers(gbt23, **{na_item.code: "na"}), ON, {na_item.code: 0})


def test_answer_keys_of_derived_choice_bonus_and_veto_items(ip):
    assert answer_keys(ip, "C5") == ("invention_apps_3y", "patent_apps_3y")
    assert answer_keys(ip, "C1") == ("C1",)
    assert answer_keys(ip, "B1") == ("B1",)
    assert answer_keys(ip, "V3") == ("V3",)
    assert keys_for(ip, ["C5", "C3", "M1"]) == ("invention_apps_3y", "patent_apps_3y", "M1")
    with pytest.raises(KeyError):
        answer_keys(ip, "nope")
    codes = reviewable_codes(ip)
    assert codes[0] == "C1" and "B1" in codes and codes[-1] == "V6"
