"""The wizard end to end through the test client: start, steps, review, submit, results."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments.models import Assessment, Submission
from tests import factories

from .helpers import fill_all, step_post, step_url

pytestmark = pytest.mark.django_db


def test_start_creates_one_draft_and_resumes_it(member_client, owner, ip_version):
    url = reverse("wizard:start", kwargs={"code": "ip-enterprise"})
    first = member_client.post(url)
    assert first.status_code == 302
    again = member_client.post(url)
    assert Assessment.objects.filter(enterprise=owner.membership.enterprise).count() == 1
    draft = Assessment.objects.get()
    assert first["Location"] == again["Location"] == reverse("wizard:resume", args=[draft.pk])
    step = member_client.get(first["Location"])
    assert step["Location"] == step_url(draft, "general")


def test_complete_ip_enterprise_and_submit(member_client, draft):
    fill_all(member_client, draft, factories.IP_ENTERPRISE_ANSWERS)
    draft.refresh_from_db()
    assert draft.answers["C1"] == "occasional"
    assert draft.answers["revenue_3y"] == "50000"
    review = member_client.get(reverse("wizard:review", args=[draft.pk]))
    assert review.status_code == 200
    assert b"submit-button" in review.content
    response = member_client.post(reverse("wizard:submit", args=[draft.pk]))
    submission = Submission.objects.get()
    assert response["Location"] == reverse("wizard:results", args=[submission.pk])
    assert submission.level == "demonstration"
    assert str(submission.total) == "72.00"
    assert submission.result["bonus"] == 2
    draft.refresh_from_db()
    assert draft.status == Assessment.Status.SUBMITTED
    page = member_client.get(response["Location"])
    assert page.status_code == 200
    assert "<svg" in page.content.decode()


def test_steps_appear_and_disappear_with_answers(member_client, owner):
    """A section shown only when P4 (holds a valid IP right) is yes: its step comes and goes."""
    import json

    from assessments import engine
    from assessments.schemes import services as scheme_services
    from assessments.wizard import services

    definition = json.loads(
        engine.dumps(engine.scheme_to_dict(engine.builtin_scheme("gbt29490-2023")))
    )
    definition["code"] = "gbt-conditional"
    definition["sections"][-1]["condition"] = {"key": "P4", "op": "eq", "value": True}
    version = scheme_services.publish(scheme_services.create_version(definition), user=None)
    draft, _ = services.start_assessment(
        enterprise=owner.membership.enterprise, version=version, user=owner
    )
    general = {"P1": True, "P2": True, "P3": True, "P4": False}
    member_client.post(step_url(draft, "general"), step_post(draft, "general", general))
    draft.refresh_from_db()
    page = member_client.get(step_url(draft, "section-4")).content.decode()
    assert 'value="section-9"' in page and 'value="section-10"' not in page
    assert member_client.get(step_url(draft, "section-10"))["Location"] == step_url(
        draft, "section-4"
    )
    # the last visible step leads to the review
    answers = {f.key: "full" for f in services.plan_for(draft).step("section-9").fields}
    response = member_client.post(
        step_url(draft, "section-9"), step_post(draft, "section-9", answers)
    )
    assert response["Location"] == reverse("wizard:review", args=[draft.pk])
    draft.refresh_from_db()
    member_client.post(
        step_url(draft, "general"),
        step_post(draft, "general", {**general, "P4": True}, wizard_action="save"),
    )
    page = member_client.get(step_url(draft, "section-4")).content.decode()
    assert 'value="section-10"' in page
