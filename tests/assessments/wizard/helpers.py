"""Posting wizard steps through the test client."""

from __future__ import annotations

from django.urls import reverse

from assessments.models import Assessment
from assessments.wizard.forms import raw_from_answer
from assessments.wizard.services import plan_for


def step_url(assessment: Assessment, step: str, lang: str = "/en") -> str:
    return reverse("wizard:step", kwargs={"pk": assessment.pk, "step": step})


def step_post(assessment: Assessment, step: str, answers: dict, **extra) -> dict:
    """POST data for ``step`` answering with ``answers`` (engine format), plus buttons."""
    plan = plan_for(assessment)
    spec = plan.step(step)
    data = {"wizard-current_step": step, "revision": str(assessment.revision)}
    for field in spec.fields:
        if field.key in answers:
            values = raw_from_answer(field, answers[field.key])
            data[f"{step}-{field.key}"] = values if field.kind == "multi" else values[0]
    data.update(extra)
    return data


def fill_all(client, assessment: Assessment, answers: dict) -> None:
    """Answer every visible step with "next", in order."""
    plan = plan_for(assessment)
    for spec in plan.steps:
        assessment.refresh_from_db()
        if not spec.shown(assessment.answers):
            continue
        response = client.post(
            step_url(assessment, spec.key), step_post(assessment, spec.key, answers)
        )
        assert response.status_code == 302, response.content.decode()[:2000]
