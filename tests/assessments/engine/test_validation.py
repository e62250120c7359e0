"""Every kind of answer error names its key."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from assessments.engine import InvalidAnswers, Scheme, score, validate_answers

from .conftest import ON, ip_answers, item_result


def errors(scheme: Scheme, answers: Any) -> list[tuple[str, str]]:
    return [(e.key, e.code) for e in validate_answers(scheme, answers)]


def test_valid_answers_have_no_errors(ip: Scheme) -> None:
    assert validate_answers(ip, ip_answers()) == []


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"C1": None}, [("C1", "required")]),
        ({"revenue_3y": None}, [("revenue_3y", "required")]),
        ({"V3": None}, [("V3", "required")]),
        ({"founded_on": None}, [("founded_on", "required")]),
        ({"revenue_3y": ""}, [("revenue_3y", "required")]),
        ({"C1": "sometimes"}, [("C1", "unknown_option")]),
        ({"M1": 10}, [("M1", "wrong_type")]),
        ({"revenue_3y": -1}, [("revenue_3y", "negative")]),
        ({"ip_budget_3y": "-0.5"}, [("ip_budget_3y", "negative")]),
        ({"patent_apps_3y": "2.5"}, [("patent_apps_3y", "not_integer")]),
        ({"trademarks": 1.5}, [("trademarks", "not_integer")]),
        ({"core_staff_trained_pct": "100.01"}, [("core_staff_trained_pct", "out_of_range")]),
        ({"core_staff_trained_pct": 101}, [("core_staff_trained_pct", "out_of_range")]),
        ({"revenue_3y": Decimal("1E+999999")}, [("revenue_3y", "out_of_range")]),
        ({"revenue_3y": "0." + "0" * 30 + "1"}, [("revenue_3y", "out_of_range")]),
        ({"revenue_3y": True}, [("revenue_3y", "wrong_type")]),
        ({"revenue_3y": "12,5"}, [("revenue_3y", "wrong_type")]),
        ({"revenue_3y": "1e3"}, [("revenue_3y", "wrong_type")]),
        ({"revenue_3y": "NaN"}, [("revenue_3y", "wrong_type")]),
        ({"revenue_3y": float("inf")}, [("revenue_3y", "wrong_type")]),
        ({"revenue_3y": [1]}, [("revenue_3y", "wrong_type")]),
        ({"V1": "no"}, [("V1", "wrong_type")]),
        ({"V1": 0}, [("V1", "wrong_type")]),
        ({"B1": "yes"}, [("B1", "wrong_type")]),
        ({"founded_on": "2016-13-01"}, [("founded_on", "invalid_date")]),
        ({"founded_on": "01/05/2016"}, [("founded_on", "invalid_date")]),
        ({"founded_on": "2016-5-1"}, [("founded_on", "invalid_date")]),
        ({"founded_on": 20160501}, [("founded_on", "wrong_type")]),
    ],
)
def test_error_kinds(ip: Scheme, changes: dict[str, Any], expected: list[tuple[str, str]]) -> None:
    answers = ip_answers(**changes)  # None removes the key
    assert errors(ip, answers) == expected
    found = validate_answers(ip, answers)
    assert found[0].key in found[0].message
    with pytest.raises(InvalidAnswers) as info:
        score(ip, answers, ON)
    assert info.value.errors == found
    assert expected[0][0] in str(info.value)


def test_na_not_allowed(gbt23: Scheme) -> None:
    answers = {item.code: "full" for item in gbt23.items} | {f"P{i}": True for i in range(1, 5)}
    answers["4.1-context"] = "na"
    assert errors(gbt23, answers) == [("4.1-context", "na_not_allowed")]


def test_several_errors_in_scheme_order(ip: Scheme) -> None:
    answers = ip_answers(M10="x", revenue_3y=-3, C1=None)
    assert errors(ip, answers) == [
        ("revenue_3y", "negative"),
        ("C1", "required"),
        ("M10", "unknown_option"),
    ]


def test_unknown_keys_are_ignored(ip: Scheme) -> None:
    assert validate_answers(ip, ip_answers(comment="hello", X9=[1, 2])) == []


def test_not_an_object(ip: Scheme) -> None:
    assert errors(ip, ["C1"]) == [("", "not_an_object")]


@pytest.mark.parametrize("value", [12, "12", " 12 ", "12.0", 12.0, Decimal("12.00")])
def test_number_forms(ip: Scheme, value: Any) -> None:
    result = score(ip, ip_answers(valid_invention_patents=value), ON)
    assert item_result(result, "C2").points == 3
    assert item_result(result, "C2").value == 12


def test_decimal_strings_are_exact(ip: Scheme) -> None:
    # 0.1 + 0.2 style: 2999.99 / 10000 must stay below 0.30 (no float rounding).
    result = score(ip, ip_answers(revenue_3y="10000", rd_expense_3y="299.99", ip_budget_3y=0), ON)
    assert item_result(result, "M5").points == 1
    assert item_result(result, "M5").value == Decimal("0.0300")  # rounded only for display


def test_dates_may_be_date_objects(ip: Scheme) -> None:
    result = score(ip, ip_answers(founded_on=dt.date(2024, 1, 1)), ON)
    assert result.prerequisites[0].met is False
