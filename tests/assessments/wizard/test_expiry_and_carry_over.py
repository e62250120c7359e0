"""Answers posted after the session expired are applied after signing in; GB/T carry-over."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from assessments.models import Assessment, StashedPost
from assessments.wizard import services
from tests import factories

from .helpers import fill_all, step_post, step_url

pytestmark = pytest.mark.django_db


def expired_browser(draft, owner, step="general") -> Client:
    """A browser that opened the draft's step while signed in, whose session then expired."""
    browser = Client()
    browser.force_login(owner)
    assert browser.get(step_url(draft, step)).status_code == 200
    Session.objects.all().delete()
    return browser


def test_posted_answers_survive_an_expired_session(draft, owner):
    browser = expired_browser(draft, owner)
    data = step_post(draft, "general", {"valid_utility_patents": 11, "founded_on": "2016-01-02"})
    response = browser.post(step_url(draft, "general"), data)
    assert response.status_code == 302
    login_url = response["Location"]
    assert login_url.startswith(reverse("accounts:login"))
    assert StashedPost.objects.count() == 1
    draft.refresh_from_db()
    assert draft.answers == {"founded_on": "2015-01-01"}  # the enterprise's date only
    browser.force_login(owner)
    next_url = login_url.split("next=", 1)[1].replace("%2F", "/")
    applied = browser.get(next_url)
    assert applied["Location"] == step_url(draft, "general")
    draft.refresh_from_db()
    # the founding date posted is ignored: it comes from the enterprise record
    assert draft.answers == {"valid_utility_patents": "11", "founded_on": "2015-01-01"}
    assert not StashedPost.objects.exists()  # usable once


def test_a_stash_cannot_be_applied_from_another_browser(draft, owner):
    browser = expired_browser(draft, owner)
    data = step_post(draft, "general", {"valid_utility_patents": 999})
    response = browser.post(step_url(draft, "general"), data)
    assert StashedPost.objects.count() == 1
    next_url = response["Location"].split("next=", 1)[1].replace("%2F", "/")
    victim = Client()  # has the link, not the stash cookie
    victim.force_login(owner)
    victim.get(next_url)
    draft.refresh_from_db()
    assert "valid_utility_patents" not in draft.answers


def test_gbt_2023_prefilled_from_a_2013_submission(member_client, owner, gbt_version):
    enterprise = owner.membership.enterprise
    old = factories.make_submission(enterprise, code="gbt29490-2013", user=owner)
    response = member_client.post(
        reverse("wizard:start", args=["gbt29490-2023"]), {"carry_from": str(old.pk)}
    )
    draft = Assessment.objects.get(scheme__code="gbt29490-2023")
    assert response["Location"] == reverse("wizard:resume", args=[draft.pk])
    assert draft.carried_from == old
    assert draft.to_confirm  # carried answers, marked for confirmation
    assert all(draft.answers[key] in ("full", True) for key in draft.to_confirm)
    page = member_client.get(step_url(draft, "section-4")).content.decode()
    assert "to-confirm" in page
    assert 'class="step-confirm' in page  # the step list shows what is left to confirm
    # submitting is refused until every carried answer is confirmed by going through its step
    assert member_client.post(reverse("wizard:submit", args=[draft.pk]))["Location"].endswith(
        "/review/"
    )
    fill_all(member_client, draft, factories.gbt_answers("gbt29490-2023"))
    draft.refresh_from_db()
    assert draft.to_confirm == []
    member_client.post(reverse("wizard:submit", args=[draft.pk]))
    assert draft.__class__.objects.get(pk=draft.pk).status == "submitted"


def test_dashboard_offers_the_carry_over(member_client, owner, gbt_version):
    old = factories.make_submission(owner.membership.enterprise, code="gbt29490-2013")
    page = member_client.get(reverse("dashboard:home")).content.decode()
    assert f'name="carry_from" value="{old.pk}"' in page


def test_carry_from_another_enterprise_is_404(member_client, owner, gbt_version):
    foreign = factories.make_submission(code="gbt29490-2013")
    response = member_client.post(
        reverse("wizard:start", args=["gbt29490-2023"]), {"carry_from": str(foreign.pk)}
    )
    assert response.status_code == 404
    assert not Assessment.objects.filter(enterprise=owner.membership.enterprise).exists()


def test_start_again_resumes_the_open_draft(owner, ip_version):
    enterprise = owner.membership.enterprise
    one, created = services.start_assessment(enterprise=enterprise, version=ip_version, user=owner)
    two, again = services.start_assessment(enterprise=enterprise, version=ip_version, user=owner)
    assert created and not again and one.pk == two.pk
