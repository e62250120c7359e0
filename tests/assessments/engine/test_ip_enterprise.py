"""Hand-worked examples for the ip-enterprise scheme (schemes.md §2)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest

from assessments.engine import Scheme, score
from assessments.engine.scoring import level_index

from .conftest import ON, ip_answers, item_result, section_result


def points(scheme: Scheme, code: str, **changes: Any) -> Decimal:
    """Points of item ``code`` for IP_FULL with ``changes``."""
    return item_result(score(scheme, ip_answers(**changes), ON), code).points


def test_full_answers_score_100(ip: Scheme) -> None:
    result = score(ip, ip_answers(), ON)
    assert result.total == Decimal("100.00")
    assert result.max == Decimal("100.00")
    assert result.percent == Decimal("100.00")
    assert [(s.code, s.score, s.max) for s in result.sections] == [
        ("creation", Decimal("35.00"), Decimal("35.00")),
        ("use", Decimal("25.00"), Decimal("25.00")),
        ("management", Decimal("40.00"), Decimal("40.00")),
    ]
    assert result.level == "demonstration"
    assert result.gaps == ()
    assert result.not_computable == ()


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, 0), (1, 1), (4, 1), (5, 2), (9, 2), (10, 3), (19, 3), (20, 4), (49, 4), (50, 5), (51, 5)],
)
def test_c2_valid_invention_patents(ip: Scheme, value: int, expected: int) -> None:
    assert points(ip, "C2", valid_invention_patents=value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, 0), (1, 1), (4, 1), (5, 2), (14, 2), (15, 3), (29, 3), (30, 4), (59, 4), (60, 5), (61, 5)],
)
def test_c3_patent_applications(ip: Scheme, value: int, expected: int) -> None:
    assert points(ip, "C3", patent_apps_3y=value, invention_apps_3y=0) == expected


@pytest.mark.parametrize(
    ("marks", "copies", "other", "expected"),
    [(0, 0, 0, 0), (0, 0, 1, 1), (1, 1, 0, 2), (2, 2, 0, 2), (4, 0, 0, 2), (4, 1, 0, 3),
     (9, 0, 0, 3), (5, 4, 1, 4), (19, 0, 0, 4), (10, 9, 1, 5), (30, 0, 0, 5)],
)  # fmt: skip
def test_c4_other_ip_is_a_sum(
    ip: Scheme, marks: int, copies: int, other: int, expected: int
) -> None:
    got = points(ip, "C4", trademarks=marks, copyrights=copies, other_ip=other)
    assert got == expected


@pytest.mark.parametrize(
    ("inventions", "applications", "expected"),
    [
        (3, 5, 5),  # exactly 0.60
        (59, 100, 4),
        (61, 100, 5),
        (2, 5, 4),  # exactly 0.40
        (39, 100, 3),
        (1, 4, 3),  # exactly 0.25
        (24, 100, 2),
        (1, 10, 2),  # exactly 0.10
        (9, 100, 1),
        (1, 1000, 1),  # >0
        (0, 10, 0),
    ],
)
def test_c5_invention_share_bands(
    ip: Scheme, inventions: int, applications: int, expected: int
) -> None:
    changes = {"invention_apps_3y": inventions, "patent_apps_3y": applications}
    assert points(ip, "C5", invention_grants_3y=0, **changes) == expected


@pytest.mark.parametrize(
    ("grants", "inventions", "expected"),
    [(7, 10, 7), (69, 100, 5), (1, 2, 5), (49, 100, 3), (3, 10, 3), (29, 100, 1), (1, 1000, 1),
     (0, 5, 0), (10, 10, 7)],
)  # fmt: skip
def test_c6_grant_rate_bands(ip: Scheme, grants: int, inventions: int, expected: int) -> None:
    assert points(ip, "C6", invention_grants_3y=grants, invention_apps_3y=inventions) == expected


@pytest.mark.parametrize(("value", "expected"), [(0, 0), (1, 1), (2, 1), (3, 2), (9, 2), (10, 3)])
def test_c7_foreign_filings(ip: Scheme, value: int, expected: int) -> None:
    assert points(ip, "C7", foreign_apps_total=value) == expected


@pytest.mark.parametrize(
    ("patented", "expected"),
    [("6000", 18), ("5999.99", 14), ("4000", 14), ("3999", 10), ("2000", 10), ("1999.99", 6),
     ("1000", 6), ("999", 3), ("0.01", 3), ("0", 0)],
)  # fmt: skip
def test_u1_patented_revenue_share(ip: Scheme, patented: str, expected: int) -> None:
    assert points(ip, "U1", patent_product_revenue_3y=patented, revenue_3y=10000) == expected


@pytest.mark.parametrize(
    ("amount", "expected"),
    [("0", 0), ("0.01", 1), ("99.99", 1), ("100", 3), ("299.99", 3), ("300", 5), ("999.99", 5),
     ("1000", 7), ("5000", 7)],
)  # fmt: skip
def test_u2_transactions(ip: Scheme, amount: str, expected: int) -> None:
    assert points(ip, "U2", ip_transactions_3y=amount) == expected


@pytest.mark.parametrize(
    ("rd", "expected"),
    [("500", 3), ("499.99", 2), ("300", 2), ("299.99", 1), ("100", 1), ("99.99", 0), ("0", 0)],
)
def test_m5_rd_intensity(ip: Scheme, rd: str, expected: int) -> None:
    # M6 depends on R&D too; keep the budget at zero so only M5 is checked here.
    assert points(ip, "M5", rd_expense_3y=rd, revenue_3y=10000, ip_budget_3y=0) == expected


@pytest.mark.parametrize(
    ("budget", "expected"),
    [("50", 5), ("49.99", 4), ("30", 4), ("29.99", 3), ("20", 3), ("19.99", 2), ("10", 2),
     ("9.99", 1), ("0.01", 1), ("0", 0)],
)  # fmt: skip
def test_m6_ip_budget_share(ip: Scheme, budget: str, expected: int) -> None:
    assert points(ip, "M6", ip_budget_3y=budget, rd_expense_3y=1000) == expected


@pytest.mark.parametrize(
    ("pct", "expected"),
    [(100, 4), (80, 4), ("79.99", 3), (60, 3), ("59.99", 2), (40, 2), ("39.99", 1), ("0.01", 1),
     (0, 0)],
)  # fmt: skip
def test_m7_training_rate(ip: Scheme, pct: Any, expected: int) -> None:
    assert points(ip, "M7", core_staff_trained_pct=pct) == expected


@pytest.mark.parametrize(
    ("item", "option", "expected"),
    [("C1", "systematic", 5), ("C1", "occasional", 3), ("C1", "none", 0),
     ("M1", "cert_2023", 10), ("M1", "cert_2013", 8), ("M1", "implementing", 4), ("M1", "none", 0),
     ("M2", "implemented", 2), ("M2", "documented", 1), ("M2", "none", 0),
     ("M3", "paid", 3), ("M3", "written", 1), ("M3", "none", 0),
     ("M4", "dedicated", 5), ("M4", "one_fulltime", 3), ("M4", "part_time", 1), ("M4", "none", 0),
     ("M8", "all_products", 3), ("M8", "major_projects", 2), ("M8", "ad_hoc", 1), ("M8", "none", 0),
     ("M9", "system", 2), ("M9", "agreements", 1), ("M9", "none", 0),
     ("M10", "used", 3), ("M10", "procedure", 2), ("M10", "ad_hoc", 1), ("M10", "none", 0)],
)  # fmt: skip
def test_choice_items(ip: Scheme, item: str, option: str, expected: int) -> None:
    assert points(ip, item, **{item: option}) == expected


def test_zero_denominator_ratios_are_not_computable(ip: Scheme) -> None:
    answers = ip_answers(revenue_3y=0, patent_apps_3y=0, invention_apps_3y=0)
    result = score(ip, answers, ON)
    for code in ("C5", "C6", "U1", "M5"):
        item = item_result(result, code)
        assert item.points == 0
        assert item.computable is False
        assert item.value is None
    assert result.not_computable == ("C5", "C6", "U1", "M5")
    # M6 (IP budget / R&D) still computes; C3 is 0 applications -> 0 points.
    assert item_result(result, "M6").computable is True
    assert item_result(result, "C3").points == 0


def test_ratio_value_is_exact_to_four_places(ip: Scheme) -> None:
    result = score(ip, ip_answers(invention_apps_3y=2, patent_apps_3y=3, invention_grants_3y=0), ON)
    assert item_result(result, "C5").value == Decimal("0.6667")
    assert item_result(result, "C5").points == 5  # 2/3 >= 0.60
    assert item_result(result, "C2").value == Decimal(50)


@pytest.mark.parametrize("veto", ["V1", "V2", "V3", "V4", "V5", "V6"])
def test_each_veto(ip: Scheme, veto: str) -> None:
    result = score(ip, ip_answers(**{veto: True}), ON)
    assert result.vetoed is True
    assert result.vetoes == (veto,)
    assert result.level == "not_eligible"
    assert result.total == Decimal("100.00")  # the score is still shown


def test_every_triggered_veto_is_listed(ip: Scheme) -> None:
    result = score(ip, ip_answers(V2=True, V5=True, V6=True), ON)
    assert result.vetoes == ("V2", "V5", "V6")


def test_bonus_is_summed_and_capped(ip: Scheme) -> None:
    base = ip_answers(C1="none", U2="none", ip_transactions_3y=0, patent_product_revenue_3y=0)
    assert score(ip, {**base, "B1": True}, ON).bonus == Decimal("2.00")
    assert score(ip, {**base, "B1": True, "B3": True}, ON).bonus == Decimal("4.00")
    result = score(ip, {**base, "B1": True, "B2": True, "B3": True}, ON)
    assert result.bonus == Decimal("5.00")
    assert result.total == Decimal("70.00")  # percent and total exclude the bonus
    assert result.percent == Decimal("70.00")


def test_bonus_items_are_optional(ip: Scheme) -> None:
    result = score(ip, ip_answers(B1=None, B2=None, B3=None), ON)
    assert result.bonus == 0


@pytest.mark.parametrize(
    ("founded", "on", "met"),
    [
        ("2020-06-30", "2023-06-30", True),  # exactly three years
        ("2020-06-30", "2023-06-29", False),  # one day short
        ("2020-06-30", "2030-01-01", True),
        ("2024-02-29", "2027-02-28", True),  # 29 Feb + 3 years falls back to 28 Feb
        ("2024-02-29", "2027-02-27", False),
        ("2023-03-01", "2026-03-01", True),
        ("2023-03-01", "2026-02-28", False),
        ("2030-01-01", "2026-01-01", False),
    ],
)
def test_founding_date_prerequisite(ip: Scheme, founded: str, on: str, met: bool) -> None:
    result = score(ip, ip_answers(founded_on=founded), dt.date.fromisoformat(on))
    assert [(p.code, p.met) for p in result.prerequisites] == [("P1", met)]
    assert result.level == "demonstration"  # reported only; no effect on score or level
    assert result.total == Decimal("100.00")


# Total 55: full minus U1 18, U2 7, M1 10, C6 7, C7 3.
AT_55 = {"patent_product_revenue_3y": 0, "ip_transactions_3y": 0, "M1": "none",
         "invention_grants_3y": 0, "foreign_apps_total": 0}  # fmt: skip
# Total 70: full minus U1 18, U2 7, C1 5.
AT_70 = {"patent_product_revenue_3y": 0, "ip_transactions_3y": 0, "C1": "none"}


@pytest.mark.parametrize(
    ("changes", "total", "level"),
    [
        (AT_55, 55, "advantage"),
        ({**AT_55, "M2": "documented"}, 54, "below"),
        ({**AT_55, "M2": "documented", "B1": True}, 54, "advantage"),  # 54 + 2
        (AT_70, 70, "demonstration"),
        ({**AT_70, "M2": "documented"}, 69, "advantage"),
        ({**AT_70, "M2": "none", "B2": True}, 68, "demonstration"),  # 68 + 2 = 70
        ({**AT_70, "M2": "none", "M9": "none", "B1": True, "B2": True, "B3": True}, 66, "demonstration"),
        ({**AT_70, "M2": "none", "M9": "none", "M3": "written", "B1": True, "B2": True, "B3": True},
         64, "advantage"),  # 64 + 5 (capped) = 69
    ],
)  # fmt: skip
def test_level_boundaries(ip: Scheme, changes: dict[str, Any], total: int, level: str) -> None:
    result = score(ip, ip_answers(**changes), ON)
    assert result.total == total
    assert result.level == level


@pytest.mark.parametrize(
    ("total", "bonus", "level"),
    [("54.99", "0", "below"), ("55", "0", "advantage"), ("69.99", "0", "advantage"),
     ("70", "0", "demonstration"), ("52.99", "2", "below"), ("53", "2", "advantage"),
     ("65", "5", "demonstration"), ("64.99", "5", "advantage")],
)  # fmt: skip
def test_level_thresholds_are_exact(ip: Scheme, total: str, bonus: str, level: str) -> None:
    index = level_index(ip, Fraction(total), Fraction(100), Fraction(bonus), [], False)
    assert ip.levels[index].code == level


def test_gaps_are_ordered_by_points_lost_then_scheme_order(ip: Scheme) -> None:
    answers = ip_answers(C1="occasional", M2="none", M9="agreements", ip_transactions_3y=150)
    result = score(ip, answers, ON)
    assert [(g.item, g.section, g.lost) for g in result.gaps] == [
        ("U2", "use", Decimal("4.00")),
        ("C1", "creation", Decimal("2.00")),
        ("M2", "management", Decimal("2.00")),
        ("M9", "management", Decimal("1.00")),
    ]


def test_section_percent(ip: Scheme) -> None:
    result = score(ip, ip_answers(C1="none"), ON)
    creation = section_result(result, "creation")
    assert (creation.score, creation.max, creation.percent) == (
        Decimal("30.00"),
        Decimal("35.00"),
        Decimal("85.71"),
    )
    assert creation.applicable is True
