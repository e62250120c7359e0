"""Property tests (hypothesis) over the shipped schemes."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from assessments.engine import (
    InvalidAnswers,
    Scheme,
    builtin_scheme,
    load_scheme,
    result_to_json,
    scheme_to_dict,
    score,
    validate_answers,
    what_if,
)
from assessments.engine.checks import ASSESSMENT_DATE
from assessments.engine.model import AnswerField
from assessments.engine.scoring import plan_for

# Every shipped scheme version, by "code.vN".
SCHEMES = {
    f"{code}.v{version}": builtin_scheme(code, version)
    for code, version in (
        ("ip-enterprise", 1), ("ip-enterprise", 2), ("gbt29490-2023", 1), ("gbt29490-2023", 2),
        ("gbt29490-2013", 1),
    )
}  # fmt: skip
IP1, IP2 = SCHEMES["ip-enterprise.v1"], SCHEMES["ip-enterprise.v2"]
GBT1, GBT2 = SCHEMES["gbt29490-2023.v1"], SCHEMES["gbt29490-2023.v2"]
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
    if field.kind == "date":  # up to the assessment date: a later founding date breaks R3
        return st.dates(dt.date(1980, 1, 1), ON).map(dt.date.isoformat)
    codes = sorted(field.options if field.na_allowed else field.options - field.na_codes)
    if field.kind == "multi":
        return st.lists(st.sampled_from(codes), unique=True)
    return st.sampled_from(codes)


def _number(value: Any) -> Decimal:
    return Decimal(str(value))


def satisfy_rules(scheme: Scheme, answers: dict[str, Any]) -> dict[str, Any]:
    """Answers changed as little as needed to keep the scheme's consistency rules.

    The shipped rules are "name <= name" (numbers) or "date <= assessment_date"; a broken
    number rule swaps the two figures (dates are drawn up to the assessment date).
    """
    out = dict(answers)
    for rule in scheme.rules:
        check = rule.holds
        assert check.op == "le", rule.code
        if check.right == ASSESSMENT_DATE:
            continue
        left, right = check.left, check.right
        if left in out and right in out and _number(out[left]) > _number(out[right]):
            out[left], out[right] = out[right], out[left]
    return out


def valid_answers(scheme: Scheme, vetoes: bool = False) -> st.SearchStrategy[dict[str, Any]]:
    """Valid answer sets (consistency rules kept); veto answers are False unless ``vetoes``."""
    veto_codes = {v.code for v in scheme.vetoes}
    required: dict[str, st.SearchStrategy[Any]] = {}
    optional: dict[str, st.SearchStrategy[Any]] = {}
    for field in scheme.answer_fields:
        values = field_values(field)
        if field.key in veto_codes and not vetoes:
            values = st.just(False)
        (required if field.required else optional)[field.key] = values
    drawn = st.fixed_dictionaries(required, optional=optional)
    return drawn.map(lambda answers: satisfy_rules(scheme, answers)) if scheme.rules else drawn


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
    assume(not validate_answers(scheme, improved, ON))  # raising a part above its whole
    after = score(scheme, improved, ON)
    assert after.total >= before.total
    assert after.total + after.bonus >= before.total + before.bonus


@pytest.mark.parametrize("scheme", [IP1, IP2], ids=["v1", "v2"])
@PROFILE
@given(data=st.data())
def test_any_veto_gives_the_veto_level(scheme: Scheme, data: st.DataObject) -> None:
    veto = data.draw(st.sampled_from(["V1", "V2", "V3", "V4", "V5", "V6"]))
    answers = data.draw(valid_answers(scheme, vetoes=True))
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


@pytest.mark.parametrize(
    ("code", "section"),
    [("gbt29490-2023.v1", "8"), ("gbt29490-2023.v2", "8"), ("gbt29490-2013.v1", "7")],
)
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
    allowed = [i.code for i in scheme.items if i.section == section and i.na_allowed]
    na = data.draw(st.lists(st.sampled_from(allowed), unique=True, max_size=len(codes) - 1))
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
    errors = validate_answers(scheme, answers, ON)
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


# --------------------------------------------------------------------------- version 2


def _without_warnings(scheme: Scheme) -> Scheme:
    definition = scheme_to_dict(scheme)
    definition.pop("warnings", None)
    return load_scheme(definition)


IP2_QUIET = _without_warnings(IP2)


def _points(result: Any) -> tuple[Any, ...]:
    return (
        result.total, result.max, result.percent, result.bonus, result.level, result.vetoed,
        result.sections, result.items, result.gaps,
    )  # fmt: skip


@PROFILE
@given(valid_answers(IP2, vetoes=True), st.data())
def test_warnings_never_change_points_or_levels(
    answers: dict[str, Any], data: st.DataObject
) -> None:
    # Push some figures into warning territory (still within the rules).
    if data.draw(st.booleans()):
        answers["invention_grants_3y"] = answers["invention_apps_3y"] + data.draw(
            st.integers(1, 50)
        )
    if data.draw(st.booleans()):
        answers["rd_expense_3y"] = str(_number(answers["revenue_3y"]) + 1)
        answers["ip_budget_3y"] = str(_number(answers["rd_expense_3y"]) + 1)
    if data.draw(st.booleans()):
        answers.update(valid_invention_patents=0, valid_utility_patents=0, valid_design_patents=0)
    result = score(IP2, answers, ON)
    assert _points(result) == _points(score(IP2_QUIET, answers, ON))
    codes = [w.code for w in result.warnings]
    assert codes == sorted(codes)
    for warning in result.warnings:
        assert set(warning.items) <= set(answers)


@PROFILE
@given(
    valid_answers(IP2),
    st.sampled_from([("R1", "invention_apps_3y", "patent_apps_3y"),
                     ("R2", "patent_product_revenue_3y", "revenue_3y")]),
    st.integers(1, 10_000),
)  # fmt: skip
def test_a_broken_rule_always_raises_naming_both_keys(
    answers: dict[str, Any], rule: tuple[str, str, str], excess: int
) -> None:
    code, part, whole = rule
    answers[part] = str(_number(answers[whole]) + excess)
    with pytest.raises(InvalidAnswers) as info:
        score(IP2, answers, ON)
    (error,) = [e for e in info.value.errors if e.rule == code]
    assert error.key == part
    assert error.keys == (part, whole)
    assert part in error.message and whole in error.message
    assert error in validate_answers(IP2, answers, ON)
    score(IP1, answers, ON)  # version 1 has no such rule


@PROFILE
@given(valid_answers(IP2), st.dates(ON + dt.timedelta(days=1), dt.date(2100, 1, 1)))
def test_a_founding_date_after_the_assessment_date_is_refused(
    answers: dict[str, Any], founded: dt.date
) -> None:
    answers["founded_on"] = founded.isoformat()
    with pytest.raises(InvalidAnswers) as info:
        score(IP2, answers, ON)
    assert [(e.key, e.rule) for e in info.value.errors] == [("founded_on", "R3")]
    assert "assessment date" in info.value.errors[0].message
    assert validate_answers(IP2, answers) == []  # without a date, R3 cannot be checked


@PROFILE
@given(valid_answers(IP2, vetoes=True))  # consistent answers, valid under both versions
def test_version_2_changes_only_m1_cert_2013_for_consistent_answers(
    answers: dict[str, Any],
) -> None:
    v1 = score(IP1, answers, ON)
    v2 = score(IP2, answers, ON)
    assert v1.version == 1 and v2.version == 2
    assert v1.warnings == ()
    m1 = {i.code: i.points for i in v1.items}["M1"], {i.code: i.points for i in v2.items}["M1"]
    if answers["M1"] == "cert_2013":
        assert m1 == (Decimal("8.00"), Decimal("4.00"))
        assert v1.total - v2.total == 4
    else:
        assert _points(v1) == _points(v2)


@PROFILE
@given(valid_answers(GBT2, vetoes=True))
def test_gbt_version_2_scores_like_version_1_and_needs_p5(answers: dict[str, Any]) -> None:
    v1 = score(GBT1, answers, ON)
    v2 = score(GBT2, answers, ON)
    assert (v1.total, v1.percent, v1.sections, v1.items, v1.gaps) == (
        v2.total, v2.percent, v2.sections, v2.items, v2.gaps,
    )  # fmt: skip
    assert [p.code for p in v2.prerequisites] == ["P1", "P2", "P3", "P4", "P5"]
    if answers["P5"] is True:
        assert v2.level == v1.level
    else:
        assert v2.level == ("largely_ready" if v1.level == "ready" else v1.level)


def _all_na_allowed(scheme: Scheme) -> Scheme:
    """A bureau's variant of 2023 v2 that allows N/A on every clause-8 item."""
    definition = scheme_to_dict(scheme)
    for section in definition["sections"]:
        if section["code"] == "8":
            for item in section["items"]:
                item["na_allowed"] = True
    return load_scheme(definition)


GBT2_LAX = _all_na_allowed(GBT2)
CLAUSE_8 = [i.code for i in GBT2.items if i.section == "8"]


@PROFILE
@given(
    st.lists(st.sampled_from(CLAUSE_8), unique=True, min_size=len(CLAUSE_8) // 2 + 1),
    st.sampled_from(["full", "largely"]),
)
def test_more_than_half_of_clause_8_na_is_never_ready(na: list[str], rest: str) -> None:
    answers = {item.code: "full" for item in GBT2_LAX.items}
    answers.update({p.key: True for p in GBT2_LAX.prerequisites})
    answers.update(dict.fromkeys(set(CLAUSE_8) - set(na), rest))
    answers.update(dict.fromkeys(na, "na"))
    result = score(GBT2_LAX, answers, ON)
    assert result.percent is not None and result.percent >= 85
    assert result.level != "ready"
    if len(na) * 2 > len(CLAUSE_8):
        assert score(GBT1, answers, ON).level == "ready"  # version 1 has no such limit


@PROFILE
@given(st.lists(st.sampled_from(CLAUSE_8), unique=True, max_size=len(CLAUSE_8) // 2))
def test_at_most_half_of_clause_8_na_can_be_ready(na: list[str]) -> None:
    answers = {item.code: "full" for item in GBT2_LAX.items}
    answers.update({p.key: True for p in GBT2_LAX.prerequisites})
    answers.update(dict.fromkeys(na, "na"))
    assert score(GBT2_LAX, answers, ON).level == "ready"
