"""Item types and display conditions, on a synthetic scheme (see schemes.featured)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from assessments.engine import Scheme, load_scheme, score, validate_answers
from assessments.engine.conditions import condition_from_dict, holds

from .conftest import item_result, section_result
from .schemes import featured

ON = dt.date(2026, 1, 1)


@pytest.fixture(scope="module")
def scheme() -> Scheme:
    return load_scheme(featured())


def answers(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "exports": True,
        "markets": 25,
        "size": "large",
        "channels": ["web", "fair"],
        "audited": True,
        "since": "2016-01-01",
        "staff": 5,
        "doc": "full",
    }
    base.update(changes)
    return {k: v for k, v in base.items() if v is not None}


def test_full_marks(scheme: Scheme) -> None:
    result = score(scheme, answers(), ON)
    assert result.total == Decimal("20.00")
    assert result.percent == Decimal("100.00")
    assert result.level == "good"
    assert item_result(result, "channels").points == 3  # 2 + 1, capped at max 3
    assert item_result(result, "channels").value == ("web", "fair")
    assert item_result(result, "since").points == 3  # exactly 10 years
    assert item_result(result, "since").value == "2016-01-01"


def test_types(scheme: Scheme) -> None:
    result = score(
        scheme,
        answers(channels=[], audited=False, since="2016-01-02", staff=1, doc="half", markets=19),
        ON,
    )
    got = {i.code: i.points for i in result.items}
    assert got == {"channels": 0, "audited": 0, "since": 1, "staff": 1, "doc": 2, "reach": 3}
    assert item_result(result, "staff").value == 1


def test_condition_hides_input_and_section(scheme: Scheme) -> None:
    result = score(scheme, answers(exports=False, markets=None), ON)
    assert validate_answers(scheme, answers(exports=False, markets=None)) == []
    abroad = section_result(result, "abroad")
    assert (abroad.applicable, abroad.max, abroad.percent) == (False, 0, None)
    assert result.max == Decimal("14.00")  # points scoring: the maximum shrinks
    assert result.percent == Decimal("100.00")
    # A shown conditional input is required and validated.
    assert [(e.key, e.code) for e in validate_answers(scheme, answers(markets=None))] == [
        ("markets", "required")
    ]
    assert [(e.key, e.code) for e in validate_answers(scheme, answers(markets=0))] == [
        ("markets", "out_of_range")
    ]


def test_condition_hides_item(scheme: Scheme) -> None:
    result = score(scheme, answers(size="small", doc=None), ON)
    assert item_result(result, "doc").max == 0
    assert section_result(result, "main").max == Decimal("10.00")


def test_na_in_points_scoring(scheme: Scheme) -> None:
    result = score(scheme, answers(doc="na"), ON)
    assert item_result(result, "doc").max == 0
    assert result.max == Decimal("16.00")
    assert result.gaps == ()


def test_section_minimum_blocks_level(scheme: Scheme) -> None:
    result = score(scheme, answers(markets=4), ON)  # abroad 0 % -> not "good" despite 70 %
    assert result.percent == Decimal("70.00")
    assert result.level == "fair"


@pytest.mark.parametrize(
    ("condition", "values", "expected"),
    [
        ({"key": "n", "op": "gt", "value": "0"}, {"n": "0.5"}, True),
        ({"key": "n", "op": "gt", "value": "0"}, {"n": 0}, False),
        ({"key": "n", "op": "gt", "value": "0"}, {}, False),
        ({"key": "n", "op": "gt", "value": "0"}, {"n": "abc"}, False),
        ({"key": "n", "op": "le", "value": "3"}, {"n": 3}, True),
        ({"key": "n", "op": "ne", "value": "3"}, {"n": "3.0"}, False),
        ({"key": "c", "op": "in", "value": ["a", "b"]}, {"c": "b"}, True),
        ({"key": "c", "op": "eq", "value": "a"}, {"c": "b"}, False),
        ({"key": "c", "op": "answered"}, {"c": ""}, False),
        ({"key": "f", "op": "eq", "value": True}, {"f": 1}, False),
        ({"not": {"key": "f", "op": "eq", "value": True}}, {"f": False}, True),
        ({"any": [{"key": "a", "op": "answered"}, {"key": "b", "op": "answered"}]}, {"b": 1}, True),
        (
            {"all": [{"key": "a", "op": "answered"}, {"key": "b", "op": "answered"}]},
            {"b": 1},
            False,
        ),
    ],
)
def test_conditions(condition: dict[str, Any], values: dict[str, Any], expected: bool) -> None:
    assert holds(condition_from_dict(condition), values) is expected
