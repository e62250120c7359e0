"""Hand-worked GB/T 29490 self-check examples (schemes.md §3 and §4)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assessments.engine import InvalidAnswers, Scheme, score

from .conftest import ON, gbt_answers, item_result, section_result

SECTION_8 = [
    "8-acquisition-search", "8-acquisition-portfolio", "8-maintenance", "8-use", "8-protection",
    "8-contracts", "8-confidentiality", "8-project-initiation", "8-rd", "8-procurement",
    "8-production", "8-sales", "8-compliance-obligations",
]  # fmt: skip


def test_structure_2023(gbt23: Scheme) -> None:
    assert [(s.code, s.weight) for s in gbt23.sections] == [
        ("4", 10), ("5", 15), ("6", 10), ("7", 20), ("8", 30), ("9", 10), ("10", 5)
    ]  # fmt: skip
    assert [i.code for i in gbt23.sections[4].items] == SECTION_8
    for item in gbt23.items:
        assert [o.code for o in item.options] == ["full", "largely", "partly", "not", "na"]


def test_structure_2013(gbt13: Scheme) -> None:
    assert [(s.code, s.weight) for s in gbt13.sections] == [
        ("4", 10), ("5", 15), ("6", 15), ("7", 30), ("8", 20), ("9", 10)
    ]  # fmt: skip


def test_all_full_is_ready(gbt23: Scheme) -> None:
    result = score(gbt23, gbt_answers(gbt23), ON)
    assert (result.total, result.max, result.percent) == (Decimal("100.00"),) * 3
    assert result.level == "ready"
    assert all(p.met for p in result.prerequisites)


def test_worked_example_with_item_na(gbt23: Scheme) -> None:
    # Clause 8: 13 items, one N/A, one "not", eleven "full" -> 30 * 11/12 = 27.5.
    # Clause 9: 4 items, one "largely" -> 10 * 3.6/4 = 9.
    answers = gbt_answers(
        gbt23,
        **{"8-production": "na", "8-procurement": "not", "9.1-monitoring": "largely"},
    )
    result = score(gbt23, answers, ON)
    assert section_result(result, "8").score == Decimal("27.50")
    assert section_result(result, "8").max == Decimal("30.00")
    assert section_result(result, "8").percent == Decimal("91.67")
    assert section_result(result, "9").score == Decimal("9.00")
    assert result.total == Decimal("96.50")
    assert result.percent == Decimal("96.50")
    assert result.level == "ready"
    na_item = item_result(result, "8-production")
    assert (na_item.points, na_item.max, na_item.value) == (0, 0, "na")
    # Item points are the item's share of the section: 30 / 12 = 2.5 each.
    assert item_result(result, "8-procurement").max == Decimal("2.50")
    assert [(g.item, g.section, g.lost) for g in result.gaps] == [
        ("8-procurement", "8", Decimal("2.50")),
        ("9.1-monitoring", "9", Decimal("1.00")),
    ]


def test_missing_prerequisite_blocks_ready(gbt23: Scheme) -> None:
    result = score(gbt23, gbt_answers(gbt23, P4=False), ON)
    assert result.percent == Decimal("100.00")
    assert result.level == "largely_ready"
    assert [(p.code, p.met) for p in result.prerequisites] == [
        ("P1", True), ("P2", True), ("P3", True), ("P4", False)
    ]  # fmt: skip


def test_section_below_60_percent_blocks_ready(gbt23: Scheme) -> None:
    # Clause 5 (weight 15, 5 items): 1 + 0.6 + 0.3 + 1 + 0 = 2.9 -> 8.7 = 58 % of 15.
    answers = gbt_answers(
        gbt23,
        **{"5.1.2-commitment": "largely", "5.1.3-culture": "partly", "5.3-roles": "not"},
    )
    result = score(gbt23, answers, ON)
    assert section_result(result, "5").score == Decimal("8.70")
    assert section_result(result, "5").percent == Decimal("58.00")
    assert result.total == Decimal("93.70")
    assert result.level == "largely_ready"
    # 5.3 raised to "partly": 3.2 / 5 = 64 % -> every clause >= 60 % -> ready.
    result = score(gbt23, {**answers, "5.3-roles": "partly"}, ON)
    assert result.total == Decimal("94.60")
    assert result.level == "ready"


def test_section_exactly_60_percent_is_enough(gbt13: Scheme) -> None:
    # 2013 clause 9 has 3 items; "largely" everywhere is exactly 60 %.
    answers = gbt_answers(
        gbt13,
        **{"9.1-general": "largely", "9.2-internal-audit": "largely", "9.3-improvement": "largely"},
    )
    result = score(gbt13, answers, ON)
    assert section_result(result, "9").percent == Decimal("60.00")
    assert result.total == Decimal("96.00")
    assert result.level == "ready"


def test_whole_section_na_is_dropped_and_weights_rescaled(gbt23: Scheme) -> None:
    answers = gbt_answers(gbt23, **dict.fromkeys(SECTION_8, "na"), **{"9.1-monitoring": "largely"})
    result = score(gbt23, answers, ON)
    eight = section_result(result, "8")
    assert (eight.score, eight.max, eight.percent, eight.applicable) == (0, 0, None, False)
    # Remaining weights 70 -> x 100/70; clause 4 is worth 10 * 100/70 = 14.29.
    assert section_result(result, "4").max == Decimal("14.29")
    nine = section_result(result, "9")
    assert (nine.score, nine.max, nine.percent) == (
        Decimal("12.86"), Decimal("14.29"), Decimal("90.00")
    )  # fmt: skip
    assert result.max == Decimal("100.00")
    assert result.total == Decimal("98.57")  # 69/70
    assert result.level == "ready"


def test_level_thresholds(gbt23: Scheme) -> None:
    everything_partly = score(gbt23, gbt_answers(gbt23, "partly"), ON)
    assert everything_partly.percent == Decimal("30.00")
    assert everything_partly.level == "gaps"
    largely = score(gbt23, gbt_answers(gbt23, "largely"), ON)
    assert largely.percent == Decimal("60.00")
    assert largely.level == "largely_ready"


def test_na_not_allowed_on_core_items(gbt23: Scheme) -> None:
    with pytest.raises(InvalidAnswers) as info:
        score(gbt23, gbt_answers(gbt23, **{"5.2-policy": "na"}), ON)
    assert [(e.key, e.code) for e in info.value.errors] == [("5.2-policy", "na_not_allowed")]


def test_missing_item_is_an_error(gbt13: Scheme) -> None:
    answers = gbt_answers(gbt13)
    del answers["7.6-confidentiality"]
    with pytest.raises(InvalidAnswers) as info:
        score(gbt13, answers, ON)
    assert [(e.key, e.code) for e in info.value.errors] == [("7.6-confidentiality", "required")]


def test_unanswered_prerequisite_counts_as_not_met(gbt23: Scheme) -> None:
    answers = gbt_answers(gbt23)
    del answers["P3"]
    result = score(gbt23, answers, "2026-06-30")
    assert [p.code for p in result.prerequisites if not p.met] == ["P3"]
    assert result.level == "largely_ready"
