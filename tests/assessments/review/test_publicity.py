"""The public notice (公示): listed in public, objections reach the reviewers and block
recognition until answered."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from assessments.review import publicity
from assessments.review.errors import PermissionRefused
from assessments.review.models import Objection, State
from assessments.review.transitions import perform

from .conftest import advance, assigned


def _under_notice(application, reviewer, lead):
    assigned(application, reviewer)
    advance(application, reviewer, "start_formal_check", "pass_formal_check", "recommend")
    return advance(application, lead, "start_public_notice")


def test_public_list_and_objection_then_answer_before_recognition(
    client, application, reviewer, lead
):
    _under_notice(application, reviewer, lead)
    html = client.get("/en/publicity/").content.decode()
    assert application.enterprise.name in html
    assert application.enterprise.credit_code in html
    response = client.post(
        f"/en/publicity/{application.pk}/",
        {"name": "Wang Li", "contact": "wang@example.com", "text": "The patent list is wrong."},
    )
    assert response.status_code == 302
    objection = Objection.objects.get(application=application)
    assert not objection.is_answered
    application.notice_ends_on = timezone.localdate() - dt.timedelta(days=1)
    application.save(update_fields=["notice_ends_on"])
    application.refresh_from_db()
    with pytest.raises(PermissionRefused, match="must be answered"):
        perform(application, "recognise", lead, reason="ok")
    publicity.answer(objection, lead, Objection.Outcome.DISMISSED, "Checked the patent list.")
    advance(application, lead, "recognise")
    assert application.state == State.RECOGNISED
    # No longer under notice: gone from the public list.
    assert client.get(f"/en/publicity/{application.pk}/").status_code == 404


def test_bad_objection_is_a_clear_error(client, application, reviewer, lead):
    _under_notice(application, reviewer, lead)
    response = client.post(f"/en/publicity/{application.pk}/", {"name": "", "text": "x"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Objection.objects.exists()
