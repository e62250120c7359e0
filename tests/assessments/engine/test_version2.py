"""Hand-worked examples for version 2 of the schemes: consistency rules, plausibility warnings,
N/A limits, prerequisite P5 and the M1 change."""

from __future__ import annotations

import copy
import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest

from assessments.engine import (
    InvalidAnswers,
    Scheme,
    SchemeError,
    load_retirements,
    load_scheme,
    result_to_dict,
    retirement,
    scheme_to_dict,
    score,
    validate_answers,
    what_if,
)
from assessments.engine.result import AnswerWarning

from .conftest import ON, gbt_answers, ip_answers, item_result
from .schemes import T, minimal

CORE_8 = [
    "8-acquisition-search", "8-acquisition-portfolio", "8-maintenance", "8-use",
    "8-protection", "8-contracts", "8-confidentiality", "8-compliance-obligations",
]  # fmt: skip
OPTIONAL_8 = ["8-project-initiation", "8-rd", "8-procurement", "8-production", "8-sales"]


def errors(scheme: Scheme, answers: dict[str, Any], on: dt.date | None = ON) -> list[tuple]:
    return [(e.key, e.code, e.keys, e.rule) for e in validate_answers(scheme, answers, on)]


def raised(scheme: Scheme, answers: dict[str, Any]) -> list[str]:
    with pytest.raises(InvalidAnswers) as info:
        score(scheme, answers, ON)
    return [e.message for e in info.value.errors]


# --------------------------------------------------------------------------- M1


@pytest.mark.parametrize(
    ("option", "v1", "v2"),
    [("cert_2023", "10", "10"), ("cert_2013", "8", "4"), ("implementing", "4", "4"),
     ("none", "0", "0")],
)  # fmt: skip
def test_m1_cert_2013_is_worth_4_in_version_2(
    ip: Scheme, ip2: Scheme, option: str, v1: str, v2: str
) -> None:
    answers = ip_answers(M1=option)
    assert item_result(score(ip, answers, ON), "M1").points == Decimal(v1)
    assert item_result(score(ip2, answers, ON), "M1").points == Decimal(v2)


def test_full_answers_with_a_2013_certificate(ip: Scheme, ip2: Scheme) -> None:
    # 100 points with cert_2023; a 2013 certificate loses 2 points in v1 and 6 in v2.
    answers = ip_answers(M1="cert_2013")
    assert score(ip, answers, ON).total == Decimal("98.00")
    result = score(ip2, answers, ON)
    assert result.total == Decimal("94.00")
    assert result.version == 2
    assert [(g.item, g.lost) for g in result.gaps] == [("M1", Decimal("6.00"))]


# --------------------------------------------------------------------------- rules


def test_consistent_answers_have_no_errors(ip2: Scheme) -> None:
    assert validate_answers(ip2, ip_answers(), ON) == []


def test_r1_more_invention_applications_than_applications(ip2: Scheme) -> None:
    # The reported case: 20 invention applications against 5 applications in total.
    answers = ip_answers(patent_apps_3y=5, invention_apps_3y=20, invention_grants_3y=0)
    keys = ("invention_apps_3y", "patent_apps_3y")
    assert errors(ip2, answers) == [("invention_apps_3y", "inconsistent", keys, "R1")]
    assert raised(ip2, answers) == [
        "R1: invention_apps_3y (20) must not be greater than patent_apps_3y (5)"
    ]
    # Equal is consistent (every application an invention application).
    assert validate_answers(ip2, ip_answers(patent_apps_3y=36, invention_apps_3y=36), ON) == []


def test_r2_patented_revenue_above_total_revenue(ip2: Scheme) -> None:
    answers = ip_answers(revenue_3y=10000, patent_product_revenue_3y=50000)
    keys = ("patent_product_revenue_3y", "revenue_3y")
    assert errors(ip2, answers) == [("patent_product_revenue_3y", "inconsistent", keys, "R2")]
    assert raised(ip2, answers) == [
        "R2: patent_product_revenue_3y (50000) must not be greater than revenue_3y (10000)"
    ]
    assert validate_answers(ip2, ip_answers(patent_product_revenue_3y="10000.00"), ON) == []
    # Exact decimals: one hundredth above the revenue is inconsistent.
    assert errors(ip2, ip_answers(patent_product_revenue_3y="10000.01"))[0][3] == "R2"


def test_r3_founded_after_the_assessment_date(ip2: Scheme) -> None:
    answers = ip_answers(founded_on="2026-07-01")
    assert errors(ip2, answers) == [("founded_on", "inconsistent", ("founded_on",), "R3")]
    assert raised(ip2, answers) == [
        "R3: founded_on (2026-07-01) must not be after the assessment date (2026-06-30)"
    ]
    # Founded on the assessment date itself is consistent (and P1 is not met).
    result = score(ip2, ip_answers(founded_on="2026-06-30"), ON)
    assert [(p.code, p.met) for p in result.prerequisites] == [("P1", False)]
    # Without an assessment date the rule cannot be checked.
    assert validate_answers(ip2, answers) == []


def test_rules_come_after_field_errors_in_rule_order(ip2: Scheme) -> None:
    answers = ip_answers(
        patent_apps_3y=1, invention_apps_3y=2, revenue_3y=1, patent_product_revenue_3y=2,
        founded_on="2030-01-01", C1=None,
    )  # fmt: skip
    assert [(key, rule) for key, _, _, rule in errors(ip2, answers)] == [
        ("C1", None), ("invention_apps_3y", "R1"), ("patent_product_revenue_3y", "R2"),
        ("founded_on", "R3"),
    ]  # fmt: skip


def test_a_rule_with_a_missing_or_invalid_key_is_not_checked(ip2: Scheme) -> None:
    assert errors(ip2, ip_answers(patent_apps_3y=None, invention_apps_3y=20)) == [
        ("patent_apps_3y", "required", ("patent_apps_3y",), None)
    ]
    assert [e[3] for e in errors(ip2, ip_answers(invention_apps_3y=-1))] == [None]


def test_version_1_has_no_rules(ip: Scheme) -> None:
    answers = ip_answers(patent_apps_3y=5, invention_apps_3y=20, founded_on="2030-01-01")
    assert validate_answers(ip, answers, ON) == []
    assert score(ip, answers, ON).warnings == ()


def test_error_json_form(ip2: Scheme) -> None:
    (error,) = validate_answers(ip2, ip_answers(patent_apps_3y=5, invention_apps_3y=20), ON)
    assert error.to_dict() == {
        "key": "invention_apps_3y",
        "code": "inconsistent",
        "message": "R1: invention_apps_3y (20) must not be greater than patent_apps_3y (5)",
        "keys": ["invention_apps_3y", "patent_apps_3y"],
        "rule": "R1",
    }
    (missing,) = validate_answers(ip2, ip_answers(C1=None), ON)
    assert missing.to_dict() == {
        "key": "C1", "code": "required", "message": "C1 is required", "keys": ["C1"],
    }  # fmt: skip


def test_rule_texts_are_bilingual(ip2: Scheme) -> None:
    for rule in ip2.rules:
        assert rule.message.zh and rule.message.en
    assert ip2.rule("R1").message.zh.startswith("近三年发明专利申请量不能大于")
    for warning in ip2.warnings:
        assert warning.message.zh and warning.message.en


# --------------------------------------------------------------------------- warnings

W1 = AnswerWarning("W1", ("invention_grants_3y", "invention_apps_3y"))
W2 = AnswerWarning("W2", ("rd_expense_3y", "revenue_3y"))
W3 = AnswerWarning("W3", ("ip_budget_3y", "rd_expense_3y"))
W4 = AnswerWarning(
    "W4",
    ("patent_product_revenue_3y", "valid_invention_patents", "valid_utility_patents",
     "valid_design_patents"),
)  # fmt: skip
NO_PATENTS = {"valid_invention_patents": 0, "valid_utility_patents": 0, "valid_design_patents": 0}


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, []),
        ({"invention_grants_3y": 37}, [W1]),  # 37 grants, 36 applications
        ({"invention_grants_3y": 36}, []),  # equal is not unusual
        ({"rd_expense_3y": 10001}, [W2]),  # revenue 10000
        ({"rd_expense_3y": 10000, "ip_budget_3y": 25}, []),
        ({"ip_budget_3y": 501}, [W3]),  # R&D 500
        ({"ip_budget_3y": "500.00"}, []),
        (NO_PATENTS, [W4]),  # patented-product revenue 6000 without a valid patent
        ({**NO_PATENTS, "valid_design_patents": 1}, []),
        ({**NO_PATENTS, "patent_product_revenue_3y": 0}, []),
        ({**NO_PATENTS, "invention_grants_3y": 40, "rd_expense_3y": 10001,
          "ip_budget_3y": 10002}, [W1, W2, W3, W4]),
    ],
)  # fmt: skip
def test_each_warning(ip2: Scheme, changes: dict[str, Any], expected: list[AnswerWarning]) -> None:
    assert list(score(ip2, ip_answers(**changes), ON).warnings) == expected


def test_warnings_change_no_points(ip2: Scheme) -> None:
    # W1 and W3 need no figure to change that feeds a different band.
    quiet = score(ip2, ip_answers(invention_grants_3y=30, ip_budget_3y=30), ON)
    loud = score(ip2, ip_answers(invention_grants_3y=40, ip_budget_3y=600), ON)
    assert (quiet.warnings, [w.code for w in loud.warnings]) == ((), ["W1", "W3"])
    assert (quiet.total, quiet.level, quiet.sections) == (loud.total, loud.level, loud.sections)
    assert loud.total == Decimal("100.00")


def test_warnings_in_the_result_json(ip: Scheme, ip2: Scheme) -> None:
    data = result_to_dict(score(ip2, ip_answers(**NO_PATENTS), ON))
    assert data["warnings"] == [{"code": "W4", "items": list(W4.items)}]
    assert list(data)[-2:] == ["warnings", "not_computable"]
    assert result_to_dict(score(ip, ip_answers(**NO_PATENTS), ON))["warnings"] == []


def test_warnings_also_on_a_vetoed_result(ip2: Scheme) -> None:
    result = score(ip2, ip_answers(V2=True, invention_grants_3y=37), ON)
    assert result.level == "not_eligible"
    assert result.warnings == (W1,)


# --------------------------------------------------------------------------- GB/T 29490-2023 v2


def test_na_allowed_only_where_a_business_can_lack_the_process(
    gbt23: Scheme, gbt23v2: Scheme
) -> None:
    allowed = [i.code for i in gbt23v2.items if i.na_allowed]
    assert allowed == OPTIONAL_8
    assert {i.code for i in gbt23.items if i.na_allowed} == set(CORE_8) | set(OPTIONAL_8)
    assert [i.code for i in gbt23v2.items] == [i.code for i in gbt23.items]


@pytest.mark.parametrize("code", [*CORE_8, "4.1-context", "7.5-records", "10.1-general"])
def test_na_on_a_core_item_is_refused(gbt23v2: Scheme, code: str) -> None:
    answers = gbt_answers(gbt23v2, **{code: "na"})
    assert errors(gbt23v2, answers) == [(code, "na_not_allowed", (code,), None)]
    assert raised(gbt23v2, answers) == [f"{code} cannot be answered not applicable"]


def test_na_on_every_optional_topic_can_still_be_ready(gbt23v2: Scheme) -> None:
    # 5 of clause 8's 13 items N/A: 5/13 of its weight, below half. 8 items left, all full.
    answers = gbt_answers(gbt23v2, **dict.fromkeys(OPTIONAL_8, "na"))
    result = score(gbt23v2, answers, ON)
    assert result.percent == Decimal("100.00")
    assert result.level == "ready"
    assert item_result(result, "8-use").points == Decimal("3.75")  # 30 / 8


def test_p5_is_required_and_reported(gbt23v2: Scheme) -> None:
    answers = gbt_answers(gbt23v2)
    del answers["P5"]
    assert errors(gbt23v2, answers) == [("P5", "required", ("P5",), None)]
    assert raised(gbt23v2, answers) == ["P5 is required"]
    result = score(gbt23v2, gbt_answers(gbt23v2, P5=False), ON)
    assert [(p.code, p.met) for p in result.prerequisites] == [
        ("P1", True), ("P2", True), ("P3", True), ("P4", True), ("P5", False),
    ]  # fmt: skip
    assert result.percent == Decimal("100.00")
    assert result.level == "largely_ready"
    assert score(gbt23v2, gbt_answers(gbt23v2), ON).level == "ready"


def test_p1_to_p4_stay_optional_in_version_2(gbt23v2: Scheme) -> None:
    answers = gbt_answers(gbt23v2)
    del answers["P1"]
    result = score(gbt23v2, answers, ON)
    assert result.prerequisites[0].met is False
    assert result.level == "largely_ready"


def _na_scheme(weights: list[str], share: str = "0.5") -> Scheme:
    """One weighted section whose items all allow N/A; level "ok" caps the N/A share."""
    options = [
        {"code": "full", "label": T, "value": "1"},
        {"code": "na", "label": T, "na": True},
    ]
    data = {
        "format": "ip-portal-scheme/1", "code": "na-demo", "version": 1, "title": T,
        "scoring": "weighted", "level_basis": "percent",
        "sections": [{"code": "8", "weight": "100", "title": T, "items": [
            {"code": f"i{n}", "type": "conformity", "weight": w, "na_allowed": True,
             "options": options, "text": T}
            for n, w in enumerate(weights)
        ]}],
        "levels": [
            {"code": "ok", "label": T, "min": "0",
             "max_na_share": [{"section": "8", "share": share}]},
            {"code": "low", "label": T},
        ],
        "veto_level": {"code": "no", "label": T},
    }  # fmt: skip
    return load_scheme(data)


@pytest.mark.parametrize(
    ("na", "level"),
    [([], "ok"), (["i0"], "ok"), (["i1", "i2"], "ok"), (["i0", "i1"], "low"),
     (["i1", "i2", "i3"], "low")],
)  # fmt: skip
def test_na_share_is_measured_in_item_weight(na: list[str], level: str) -> None:
    # Weights 2, 1, 1, 0.5 (total 4.5): at most 2.25 may be N/A.
    scheme = _na_scheme(["2", "1", "1", "0.5"])
    answers = {f"i{n}": "full" for n in range(4)} | dict.fromkeys(na, "na")
    result = score(scheme, answers, ON)
    assert result.percent == Decimal("100.00")
    assert result.level == level


def test_exactly_half_na_is_allowed() -> None:
    scheme = _na_scheme(["1", "1", "1", "1"])
    answers = {"i0": "na", "i1": "na", "i2": "full", "i3": "full"}
    assert score(scheme, answers, ON).level == "ok"
    assert score(scheme, {**answers, "i2": "na"}, ON).level == "low"


def test_what_if_reports_the_na_share_as_a_condition() -> None:
    scheme = _na_scheme(["1", "1", "1", "1"])
    answers = {"i0": "na", "i1": "na", "i2": "na", "i3": "full"}
    what = what_if(scheme, answers, ON)
    assert what.target_level == "ok"
    assert [(c.kind, c.code, c.required, c.current) for c in what.conditions] == [
        ("max_na_share", "8", Decimal("50.00"), Decimal("75.00"))
    ]


def test_p5_is_a_what_if_condition(gbt23v2: Scheme) -> None:
    what = what_if(gbt23v2, gbt_answers(gbt23v2, P5=False), ON)
    assert what.target_level == "ready"
    assert [(c.kind, c.code) for c in what.conditions] == [("prerequisite", "P5")]


# --------------------------------------------------------------------------- the data format


def _with(**extra: Any) -> dict[str, Any]:
    data = minimal()
    data["inputs"].append({"code": "since", "type": "date", "label": T})
    data.update(extra)
    return data


def _rule(holds: dict[str, Any], code: str = "R1") -> dict[str, Any]:
    return {"code": code, "holds": holds, "message": T}


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"rules": [_rule({"left": "a", "op": "le", "right": "zzz"})]}, "unknown name 'zzz'"),
        ({"rules": [_rule({"left": "since", "op": "le", "right": "a"})]},
         "a date compares only with a date"),
        ({"rules": [_rule({"left": "since + 1", "op": "le", "right": "assessment_date"})]},
         "without arithmetic"),
        ({"rules": [_rule({"left": "1", "op": "le", "right": "2"})]},
         "must read at least one answer key"),
        ({"rules": [_rule({"left": "a", "op": "le", "right": "b"})] * 2}, "duplicate code 'R1'"),
        ({"warnings": [{"code": "W1", "when": {"left": "a", "op": "gt", "right": "Q"},
                        "message": T}]}, "unknown name 'Q'"),
        ({"rules": [_rule({"left": "a", "op": "like", "right": "b"})]}, "does not match"),
    ],
)  # fmt: skip
def test_bad_checks_are_refused(extra: dict[str, Any], message: str) -> None:
    with pytest.raises(SchemeError, match=message):
        load_scheme(_with(**extra))


@pytest.mark.parametrize(
    ("limit", "message"),
    [({"section": "zz", "share": "0.5"}, "unknown section 'zz'"),
     ({"section": "s", "share": "1.5"}, "between 0 and 1")],
)  # fmt: skip
def test_bad_na_limits_are_refused(limit: dict[str, str], message: str) -> None:
    data = minimal()
    data["levels"][0]["max_na_share"] = [limit]
    with pytest.raises(SchemeError, match=message):
        load_scheme(data)


def test_a_fallback_level_takes_no_na_limit() -> None:
    data = minimal()
    data["levels"][1]["max_na_share"] = [{"section": "s", "share": "0.5"}]
    with pytest.raises(SchemeError, match="fallback"):
        load_scheme(data)


def test_assessment_date_is_a_reserved_name_in_checks() -> None:
    data = _with(rules=[_rule({"left": "a", "op": "le", "right": "b"})])
    data["inputs"].append({"code": "assessment_date", "type": "date", "label": T})
    with pytest.raises(SchemeError, match="reserved"):
        load_scheme(data)


def test_grouped_checks_and_unknown_operands() -> None:
    # "b is positive, or a and b are both zero": unknown while b is missing or a ratio fails.
    holds = {"any": [{"left": "b", "op": "gt", "right": "0"},
                     {"all": [{"left": "a", "op": "eq", "right": "0"},
                              {"not": {"left": "b", "op": "ne", "right": "0"}}]}]}  # fmt: skip
    ratio = {"left": "a / b", "op": "le", "right": "10"}
    scheme = load_scheme(_with(rules=[_rule(holds), _rule(ratio, "R2")]))
    assert scheme.rules[0].keys == ("b", "a")
    base = {"Q": "y", "since": "2020-01-01"}
    assert validate_answers(scheme, {**base, "a": 5, "b": 1}) == []
    assert validate_answers(scheme, {**base, "a": 0, "b": 0}) == []  # a / b not computable
    (error,) = validate_answers(scheme, {**base, "a": 5, "b": 0})
    assert error.rule == "R1"
    assert error.keys == ("b", "a")
    assert error.message == (
        "R1: the answers to b, a must satisfy (b > 0 or (a = 0 and not b != 0))"
    )
    (error,) = validate_answers(scheme, {**base, "a": 21, "b": 2})
    assert error.message == "R2: (a / b) (10.5) must not be greater than 10"
    assert scheme_to_dict(load_scheme(scheme_to_dict(scheme))) == scheme_to_dict(scheme)


def test_units_may_be_plain_or_bilingual(ip: Scheme, ip2: Scheme) -> None:
    unit1 = next(i for i in ip.inputs if i.code == "revenue_3y").unit
    unit2 = next(i for i in ip2.inputs if i.code == "revenue_3y").unit
    assert unit1 is not None and unit2 is not None
    assert (unit1.get("zh"), unit1.get("en")) == ("万元", "万元")
    assert (unit2.get("zh"), unit2.get("en")) == ("万元", "× 10,000 RMB")
    assert next(i for i in ip2.inputs if i.code == "trademarks").unit.get("zh") == "件"  # type: ignore[union-attr]
    exported = {i["code"]: i.get("unit") for i in scheme_to_dict(ip)["inputs"]}
    assert exported["revenue_3y"] == "万元"
    exported = {i["code"]: i.get("unit") for i in scheme_to_dict(ip2)["inputs"]}
    assert exported["revenue_3y"] == {"zh": "万元", "en": "× 10,000 RMB"}


def test_version_2_export_carries_rules_warnings_and_levels(ip2: Scheme, gbt23v2: Scheme) -> None:
    data = scheme_to_dict(ip2)
    assert [r["code"] for r in data["rules"]] == ["R1", "R2", "R3"]
    assert data["rules"][2]["holds"] == {
        "left": "founded_on", "op": "le", "right": "assessment_date",
    }  # fmt: skip
    assert [w["code"] for w in data["warnings"]] == ["W1", "W2", "W3", "W4"]
    ready = scheme_to_dict(gbt23v2)["levels"][0]
    assert ready["max_na_share"] == [{"section": "8", "share": "0.5"}]
    assert ready["requires_prerequisites"] is True
    reloaded = load_scheme(json.loads(json.dumps(data)))
    answers = ip_answers(**NO_PATENTS)
    assert score(reloaded, answers, ON) == score(ip2, answers, ON)


# --------------------------------------------------------------------------- retirement


def test_gbt_2013_is_retired_from_2026() -> None:
    record = retirement("gbt29490-2013")
    assert record is not None
    assert record.retired_on == dt.date(2026, 1, 1)
    assert record.successor == "gbt29490-2023"
    assert not record.applies(dt.date(2025, 12, 31))
    assert record.applies(dt.date(2026, 1, 1))
    assert "2025-12-31" in record.reason.zh and record.reason.en
    for code in ("ready", "largely_ready", "gaps"):
        label = record.level_label(code)
        assert label is not None and label.zh and label.en
        assert "可申请认证" not in label.zh
    assert retirement("gbt29490-2023") is None
    assert retirement("ip-enterprise") is None


def test_bad_retirements_are_refused() -> None:
    good = {"format": "ip-portal-retirements/1", "retirements": [
        {"code": "x", "retired_on": "2026-01-01", "reason": T}]}  # fmt: skip
    assert load_retirements(good)["x"].level_labels == ()
    for change in (
        {"retired_on": "2026-02-30"},
        {"retired_on": "soon"},
        {"reason": {"zh": "原因"}},
        {"extra": 1},
    ):
        bad = copy.deepcopy(good)
        bad["retirements"][0].update(change)
        with pytest.raises(SchemeError, match="invalid retirements"):
            load_retirements(bad)
    twice = copy.deepcopy(good)
    twice["retirements"] *= 2
    with pytest.raises(SchemeError, match="twice"):
        load_retirements(twice)


def test_a_reviewers_adjustment_keeps_the_na_limit() -> None:
    from assessments.engine.adjust import adjust

    scheme = _na_scheme(["1", "1", "1", "1"])
    too_much = {"i0": "na", "i1": "na", "i2": "na", "i3": "full"}
    assert adjust(scheme, too_much, ON, {"i3": "50"}).level == "low"
    within = {**too_much, "i2": "full"}
    assert adjust(scheme, within, ON, {"i3": "10"}).level == "ok"
