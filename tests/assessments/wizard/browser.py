"""Shared steps for the wizard's browser tests."""

from __future__ import annotations

from assessments.wizard.facts import fact_keys
from assessments.wizard.forms import raw_from_answer
from assessments.wizard.steps import build_plan
from tests import factories


def company_user(username: str):
    return factories.company_user(username=username)


def fill_step(page, scheme, step_key: str, answers: dict) -> None:
    """Type or tick every answer of one step, as a user would (firm facts are not typed)."""
    spec = build_plan(scheme).step(step_key)
    facts = fact_keys(scheme)
    for field in spec.fields:
        if field.key not in answers or field.key in facts:
            continue
        name = f"{step_key}-{field.key}"
        values = raw_from_answer(field, answers[field.key])
        if field.kind in ("number", "date"):
            page.fill(f"input[name='{name}']", values[0])
        else:
            for value in values:
                page.check(f"input[name='{name}'][value='{value}']")


def start(page, base: str, code: str) -> None:
    page.goto(f"{base}/en/dashboard/")
    page.locator(f"form[action='/en/assessments/start/{code}/'] button").first.click()
    page.wait_for_load_state()


def current_step(page) -> str:
    return page.input_value("input[name='wizard-current_step']")
