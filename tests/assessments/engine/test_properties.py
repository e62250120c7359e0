"""Property tests (hypothesis) over the shipped schemes."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments.engine import (
    InvalidAnswers,
    Scheme,
    builtin_scheme,
    result_to_json,
    score,
    validate_answers,
    what_if,
)
from assessments.engine.model import AnswerField
from assessments.engine.scoring import plan_for

SCHEMES = {
    code: builtin_scheme(code) for code in ("ip-enterprise", "gbt29490-2023", "gbt29490-2013")
}
ON = dt.date(2026, 6, 30)
PROFILE = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Inputs of ip-enterprise that only ever raise an indicator (never a denominator).
RAISING_INPUTS = [
    "valid_invention_patents", "trademarks", "copyrights", "other_ip", "foreign_apps_total",
    "ip_transactions_3y", "patent_product_revenue_3y", "ip_budget_3y",
]  # fmt: skip


def field_values(field: AnswerField) -> st.SearchStrategy[Any]:
    """Valid values for one answer key."""
    if field.kind == "number":
        low = int(field.min if field.min is not None else 0)
        high = int(field.max if field.max is not None else 100_000)
        ints = st.integers(low, high)
        if field.integer:
            return ints
        decimals = st.decimals(low, high, places=2, allow_nan=False, allow_infinity=False)
        return st.one_of(ints, decimals.map(str))
    if field.kind == "boolean":
        return st.booleans()
    if field.kind == "date":
        return st.dates(dt.date(1980, 1, 1), dt.date(2030, 12, 31)).map(dt.date.isoformat)
    codes = sorted(field.options if field.na_allowed else field.options - field.na_codes)
    if field.kind == "multi":
        return st.lists(st.sampled_from(codes), unique=True)
    return st.sampled_from(codes)


def valid_answers(scheme: Scheme, vetoes: bool = False) -> st.SearchStrategy[dict[str, Any]]:
    """Valid answer sets; veto answers are False unless ``vetoes``."""
    veto_codes = {v.code for v in scheme.vetoes}
    required: dict[str, st.SearchStrategy[Any]] = {}
    optional: dict[str, st.SearchStrategy[Any]] = {}
    for field in scheme.answer_fields:
        values = field_values(field)
        if field.key in veto_codes and not vetoes:
            values = st.just(False)
        (required if field.required else optional)[field.key] = values
    return st.fixed_dictionaries(required, optional=optional)


def scheme_and_answers(vetoes: bool = False) -> st.SearchStrategy[tuple[Scheme, dict[str, Any]]]:
    return st.sampled_from(sorted(SCHEMES)).flatmap(
        lambda code: st.tuples(st.just(SCHEMES[code]), valid_answers(SCHEMES[code], vetoes))
    )


@PROFILE
@given(scheme_and_answers(vetoes=True))
def test_totals_stay_within_bounds(case: tuple[Scheme, dict[str, Any]]) -> None:
    scheme, answers = case
    result = score(scheme, answers, ON)
    assert 0 <= result.total <= result.max <= Decimal(scheme.max_score)
    assert result.percent is None or 0 <= result.percent <= 100
    cap = Decimal(scheme.bonus.cap) if scheme.bonus else Decimal(0)
    assert 0 <= result.bonus <= cap
    for section in result.sections:
        assert 0 <= section.score <= section.max
    for item in result.items:
        assert 0 <= item.points <= item.max
    for gap in result.gaps:
        assert gap.lost > 0


def _better_options(scheme: Scheme, code: str, current: Any) -> list[str]:
    item = scheme.item(code)
    rank = {
        o.code: (o.value if o.value is not None else o.points) for o in item.options if not o.na
    }
    if current not in rank:
        return []
    return [c for c, v in rank.items() if v is not None and v >= rank[current]]  # type: ignore[operator]


@PROFILE
@given(scheme_and_answers(), st.data())
def test_improving_one_answer_never_lowers_the_total(
    case: tuple[Scheme, dict[str, Any]], data: st.DataObject
) -> None:
    scheme, answers = case
    before = score(scheme, answers, ON)
    choices = [i.code for i in scheme.items if i.type in ("choice", "conformity")]
    keys = choices + [b.code for b in scheme.bonus.items] if scheme.bonus else choices
    if scheme.code == "ip-enterprise":
        keys += RAISING_INPUTS
    key = data.draw(st.sampled_from(keys))
    improved = dict(answers)
    if key in choices:
        better = _better_options(scheme, key, answers[key])
        if not better:
            return
        improved[key] = data.draw(st.sampled_from(better))
    elif key in RAISING_INPUTS:
        improved[key] = str(Decimal(str(answers[key])) + data.draw(st.integers(0, 5_000)))
    else:
        improved[key] = True
    after = score(scheme, improved, ON)
    assert after.total >= before.total
    assert after.total + after.bonus >= before.total + before.bonus


@PROFILE
@given(
    st.sampled_from(["V1", "V2", "V3", "V4", "V5", "V6"]),
    valid_answers(SCHEMES["ip-enterprise"], vetoes=True),
)
def test_any_veto_gives_the_veto_level(veto: str, answers: dict[str, Any]) -> None:
    scheme = SCHEMES["ip-enterprise"]
    result = score(scheme, {**answers, veto: True}, ON)
    assert result.vetoed
    assert veto in result.vetoes
    assert result.level == scheme.veto_level.code
    clean = {**answers, **{f"V{i}": False for i in range(1, 7)}}
    assert score(scheme, clean, ON).level != scheme.veto_level.code


@PROFILE
@given(scheme_and_answers(vetoes=True))
def test_same_input_same_bytes(case: tuple[Scheme, dict[str, Any]]) -> None:
    scheme, answers = case
    first = result_to_json(score(scheme, answers, ON))
    again = result_to_json(score(scheme, copy.deepcopy(dict(reversed(answers.items()))), ON))
    assert first == again


@PROFILE
@given(scheme_and_answers(vetoes=True), scheme_and_answers(vetoes=True))
def test_cached_and_cold_results_are_identical(
    case: tuple[Scheme, dict[str, Any]], other: tuple[Scheme, dict[str, Any]]
) -> None:
    scheme, answers = case
    score(*other, ON)  # interleave another answer set (and maybe scheme)
    warm = result_to_json(score(scheme, answers, ON))
    plan_for(scheme).cache.clear()
    assert result_to_json(score(scheme, answers, ON)) == warm


@pytest.mark.parametrize(("code", "section"), [("gbt29490-2023", "8"), ("gbt29490-2013", "7")])
@PROFILE
@given(data=st.data())
def test_na_never_changes_a_fully_conforming_section(
    code: str, section: str, data: st.DataObject
) -> None:
    scheme = SCHEMES[code]
    answers = data.draw(valid_answers(scheme))
    codes = [i.code for i in scheme.items if i.section == section]
    answers.update(dict.fromkeys(codes, "full"))
    baseline = score(scheme, answers, ON)
    na = data.draw(st.lists(st.sampled_from(codes), unique=True, max_size=len(codes) - 1))
    result = score(scheme, {**answers, **dict.fromkeys(na, "na")}, ON)
    got = next(s for s in result.sections if s.code == section)
    assert got.percent == Decimal("100.00")
    assert result.total == baseline.total
    assert result.percent == baseline.percent


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12)
    | st.decimals(allow_nan=True),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)  # fmt: skip


@PROFILE
@given(st.sampled_from(sorted(SCHEMES)), st.data())
def test_random_answer_sets_never_crash(code: str, data: st.DataObject) -> None:
    scheme = SCHEMES[code]
    keys = [f.key for f in scheme.answer_fields]
    base = data.draw(valid_answers(scheme, vetoes=True))
    noise = data.draw(
        st.dictionaries(st.sampled_from(keys) | st.text(max_size=6), JSONISH, max_size=8)
    )
    answers = {**base, **noise}
    errors = validate_answers(scheme, answers)
    try:
        result = score(scheme, answers, ON)
    except InvalidAnswers as exc:
        assert exc.errors == errors
        assert all(e.key in keys for e in exc.errors)
    else:
        assert errors == []
        assert result.scheme == scheme.code
        what_if(scheme, answers, ON, result)


@PROFILE
@given(st.sampled_from(sorted(SCHEMES)), JSONISH)
def test_garbage_answers_never_crash(code: str, answers: Any) -> None:
    with pytest.raises(InvalidAnswers):
        score(SCHEMES[code], answers, ON)
