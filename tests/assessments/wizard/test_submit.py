"""Review and idempotent submission."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments.models import Assessment, Submission
from assessments.wizard import services
from tests import factories

from .helpers import fill_all, step_url

pytestmark = pytest.mark.django_db


def test_review_lists_missing_required_items_with_links(member_client, draft):
    page = member_client.get(reverse("wizard:review", args=[draft.pk])).content.decode()
    assert "提交前还需处理" in page  # "Before you can submit", the page is in Chinese
    assert f"{step_url(draft, 'general')}#q-valid_utility_patents" in page
    assert "#q-founded_on" not in page  # the enterprise's founding date is never missing
    assert "submit-button" not in page


def test_submit_refused_while_answers_are_missing(member_client, draft):
    response = member_client.post(reverse("wizard:submit", args=[draft.pk]))
    assert response["Location"] == reverse("wizard:review", args=[draft.pk])
    assert not Submission.objects.exists()
    draft.refresh_from_db()
    assert draft.status == Assessment.Status.OPEN


def test_double_submit_creates_one_submission(member_client, draft):
    fill_all(member_client, draft, factories.IP_ENTERPRISE_ANSWERS)
    url = reverse("wizard:submit", args=[draft.pk])
    first = member_client.post(url)
    second = member_client.post(url)
    assert Submission.objects.count() == 1
    submission = Submission.objects.get()
    assert (
        first["Location"] == second["Location"] == reverse("wizard:results", args=[submission.pk])
    )
    # the draft is closed: its steps now lead to the results
    closed = member_client.get(step_url(draft, "general"))
    assert closed["Location"] == reverse("wizard:results", args=[submission.pk])


def test_submission_freezes_answers_version_and_result(draft, owner):
    answers = dict(factories.IP_ENTERPRISE_ANSWERS)
    Assessment.objects.filter(pk=draft.pk).update(answers=answers)
    enterprise = owner.membership.enterprise
    one = services.submit(draft.pk, enterprise=enterprise, user=owner, language="en")
    two = services.submit(draft.pk, enterprise=enterprise, user=owner, language="en")
    assert one.pk == two.pk
    assert one.scheme_version_id == draft.scheme_version_id
    assert one.answers == {**answers, "founded_on": "2015-01-01"}  # the enterprise's date
    assert one.result["level"] == "demonstration"
    assert one.result["total"] == 72
    assert len(one.verify_code) == 16
    assert Assessment.objects.get(pk=draft.pk).status == Assessment.Status.SUBMITTED
