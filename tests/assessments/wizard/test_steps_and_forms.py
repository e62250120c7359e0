"""Step plans and generated forms: sections as steps, long sections split, conditions, messages."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
from django.utils import translation

from assessments import engine
from assessments.wizard.forms import StepForm
from assessments.wizard.steps import MAX_FIELDS, build_plan


def test_ip_enterprise_steps_follow_the_sections():
    plan = build_plan(engine.builtin_scheme("ip-enterprise"))
    keys = [s.key for s in plan.steps]
    assert keys == [
        "general",
        "section-creation",
        "section-use",
        "section-management",
        "bonus",
        "declarations",
    ]
    creation = plan.step("section-creation")
    # the figures a derived indicator reads are asked where the indicator is scored
    assert {"C1", "patent_apps_3y", "invention_apps_3y"} <= set(creation.keys)
    assert [d.code for d in creation.derived] == ["C2", "C3", "C4", "C5", "C6", "C7"]
    every_answer = {f.key for f in engine.builtin_scheme("ip-enterprise").answer_fields}
    assert {k for s in plan.steps for k in s.keys} == every_answer


def test_long_sections_are_split_into_balanced_parts():
    plan = build_plan(engine.builtin_scheme("gbt29490-2023"))
    parts = [s for s in plan.steps if s.section == "8"]
    assert [s.key for s in parts] == ["section-8", "section-8-2"]
    assert [len(s.fields) for s in parts] == [7, 6]
    assert all(len(s.fields) <= MAX_FIELDS for s in plan.steps)


def _conditional_scheme() -> engine.Scheme:
    """ip-enterprise plus foreign-filing details shown only when there are foreign filings."""
    definition = copy.deepcopy(engine.scheme_to_dict(engine.builtin_scheme("ip-enterprise")))
    definition["inputs"].append(
        {
            "code": "foreign_countries",
            "type": "number",
            "integer": True,
            "label": {"zh": "境外申请国家数", "en": "Countries of foreign filings"},
            "condition": {"key": "foreign_apps_total", "op": "gt", "value": "0"},
        }
    )
    definition["inputs"].append(
        {
            "code": "pct_route",
            "type": "boolean",
            "label": {"zh": "经 PCT 途径", "en": "Filed through PCT"},
            "condition": {"key": "C1", "op": "eq", "value": "systematic"},
        }
    )
    return engine.load_scheme(json_round_trip(definition))


def json_round_trip(data):
    import json

    return json.loads(engine.dumps(data))


def test_conditional_fields_follow_answers_from_other_steps():
    plan = build_plan(_conditional_scheme())
    general = plan.step("general")
    assert "foreign_countries" in general.keys
    hidden = StepForm(step=general, prefix="general", context_answers={"foreign_apps_total": 0})
    assert "foreign_countries" not in hidden.fields
    shown = StepForm(step=general, prefix="general", context_answers={"foreign_apps_total": 3})
    assert "foreign_countries" in shown.fields
    # shown and required: a missing answer is an error; hidden: never blocks the step
    data = {"general-valid_utility_patents": "1", "general-valid_design_patents": "0"}
    data["general-founded_on"] = "2015-01-01"
    form = StepForm(data, step=general, prefix="general", context_answers={"foreign_apps_total": 3})
    assert not form.is_valid()
    assert "foreign_countries" in form.errors
    form = StepForm(data, step=general, prefix="general", context_answers={"foreign_apps_total": 0})
    assert form.is_valid(), form.errors


def test_a_step_whose_questions_are_all_hidden_is_skipped():
    definition = json_round_trip(engine.scheme_to_dict(engine.builtin_scheme("gbt29490-2023")))
    definition["sections"][-1]["condition"] = {"key": "P4", "op": "eq", "value": True}
    plan = build_plan(engine.load_scheme(definition))
    assert "section-10" not in [s.key for s in plan.visible_steps({"P4": False})]
    assert "section-10" in [s.key for s in plan.visible_steps({"P4": True})]


@pytest.mark.parametrize(
    ("key", "raw", "message"),
    [
        ("valid_invention_patents", "-3", "at least 0"),
        ("valid_invention_patents", "2.5", "whole number"),
        ("valid_invention_patents", "abc", "Enter a number"),
        ("valid_invention_patents", "", "Answer this question"),
        ("C1", "bogus", "Select a valid choice"),
        ("patent_apps_3y", "1" + "0" * 28, "at most 15 digits"),
        ("patent_apps_3y", "9" * 400, "at most 15 digits"),
        ("patent_apps_3y", "0." + "0" * 30 + "1", "at most 15 digits"),
    ],
)
def test_validation_messages(key, raw, message):
    plan = build_plan(engine.builtin_scheme("ip-enterprise"))
    step = plan.step("section-creation")
    with translation.override("en"):
        form = StepForm({f"s-{key}": raw}, step=step, prefix="s", lang="en")
        assert not form.is_valid()
        assert message in " ".join(form.errors[key])


def test_range_and_future_date_messages():
    plan = build_plan(engine.builtin_scheme("ip-enterprise"))
    management = plan.step("section-management")
    general = plan.step("general")
    tomorrow = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    with translation.override("en"):
        form = StepForm({"m-core_staff_trained_pct": "120"}, step=management, prefix="m")
        form.is_valid()
        assert "between 0 and 100" in form.errors["core_staff_trained_pct"][0]
        form = StepForm({"g-founded_on": tomorrow}, step=general, prefix="g")
        form.is_valid()
        assert "future" in form.errors["founded_on"][0]


def test_valid_answers_survive_other_errors_and_use_the_engine_format():
    plan = build_plan(engine.builtin_scheme("ip-enterprise"))
    step = plan.step("section-creation")
    form = StepForm(
        {"s-C1": "systematic", "s-patent_apps_3y": "1,200", "s-trademarks": "x"},
        step=step,
        prefix="s",
    )
    assert not form.is_valid()
    assert form.valid_answers() == {"C1": "systematic", "patent_apps_3y": "1200"}
    assert form.raw_data()["s-trademarks"] == ["x"]


def test_derived_ratio_with_zero_denominator_is_explained_not_an_error():
    from assessments.wizard.steps import derived_values

    plan = build_plan(engine.builtin_scheme("ip-enterprise"))
    step = plan.step("section-creation")
    values = {
        d.spec.code: d for d in derived_values(step, {"patent_apps_3y": 0, "invention_apps_3y": 0})
    }
    assert values["C5"].value is None
    assert values["C5"].zero == ("patent_apps_3y",)
    assert values["C3"].value == 0
    assert values["C2"].missing == ("valid_invention_patents",)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("1,200,000", "1200000"),
        ("1，200，000", "1200000"),
        ("1 200 000", "1200000"),
        ("１，２００，０００", "1200000"),
        ("\u3000１２００\u200b", "1200"),
    ],
)
def test_figures_accept_thousands_separators_and_full_width_digits(typed, stored):
    plan = build_plan(engine.builtin_scheme("ip-enterprise"))
    step = plan.step("section-creation")
    form = StepForm({"s-patent_apps_3y": typed}, step=step, prefix="s")
    form.is_valid()
    assert form.valid_answers()["patent_apps_3y"] == stored


@pytest.mark.parametrize("typed", ["12,5", "1,20,000", "1,200 000"])
def test_misplaced_separators_get_a_clear_message(typed):
    plan = build_plan(engine.builtin_scheme("ip-enterprise"))
    step = plan.step("section-creation")
    with translation.override("en"):
        form = StepForm({"s-patent_apps_3y": typed}, step=step, prefix="s", lang="en")
        assert not form.is_valid()
        assert "may only separate thousands" in form.errors["patent_apps_3y"][0]
    assert "patent_apps_3y" not in form.valid_answers()
