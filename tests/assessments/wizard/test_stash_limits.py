"""Signed-out posts to a wizard step are bounded: only for a draft the browser opened, only the
step's fields, within a size cap, one per draft and session, rate-limited per address."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client

from assessments.models import StashedPost
from tests import factories

from .helpers import step_post, step_url

pytestmark = pytest.mark.django_db


def expired_browser(draft, user, step="general", address="10.0.0.1") -> Client:
    browser = Client(REMOTE_ADDR=address)
    browser.force_login(user)
    assert browser.get(step_url(draft, step)).status_code == 200
    Session.objects.all().delete()
    return browser


def database_bytes() -> int:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_database_size(current_database())")
            return cursor.fetchone()[0]
        cursor.execute("PRAGMA page_count")
        pages = cursor.fetchone()[0]
        cursor.execute("PRAGMA page_size")
        return pages * cursor.fetchone()[0]


def test_a_browser_that_never_opened_the_draft_stashes_nothing(draft):
    response = Client().post(step_url(draft, "general"), step_post(draft, "general", {}))
    assert response.status_code == 302
    assert "/restore/" in response["Location"]  # the same answer as with a stash
    assert not StashedPost.objects.exists()


def test_a_cookie_for_another_draft_does_not_count(draft, owner, ip_version):
    other = factories.company_user(username="owner-other")
    from assessments.wizard import services

    other_draft, _ = services.start_assessment(
        enterprise=other.membership.enterprise, version=ip_version, user=other
    )
    browser = expired_browser(other_draft, other)
    browser.post(step_url(draft, "general"), step_post(draft, "general", {}))
    assert not StashedPost.objects.exists()


def test_only_the_steps_fields_are_kept(draft, owner):
    browser = expired_browser(draft, owner)
    data = step_post(draft, "general", {"valid_utility_patents": 11})
    data.update({"junk": "x" * 1000, "other-step-field": "1", "evidence_delete": "1"})
    browser.post(step_url(draft, "general"), data)
    stash = StashedPost.objects.get()
    assert set(stash.data) == {"wizard-current_step", "revision", "general-valid_utility_patents"}


def test_an_oversized_post_is_not_kept(draft, owner):
    browser = expired_browser(draft, owner)
    data = step_post(draft, "general", {}) | {"general-valid_utility_patents": "1" * 100_000}
    assert browser.post(step_url(draft, "general"), data).status_code == 302
    assert not StashedPost.objects.exists()


def test_an_unknown_step_is_not_kept(draft, owner):
    browser = expired_browser(draft, owner)
    data = step_post(draft, "general", {}) | {"wizard-current_step": "nope"}
    browser.post(step_url(draft, "general").replace("general", "nope"), data)
    assert not StashedPost.objects.exists()


def test_one_stash_per_draft_and_session_the_latest_wins(draft, owner):
    browser = expired_browser(draft, owner)
    url = step_url(draft, "general")
    browser.post(url, step_post(draft, "general", {"valid_utility_patents": 1}))
    response = browser.post(url, step_post(draft, "general", {"valid_utility_patents": 2}))
    stash = StashedPost.objects.get()
    assert stash.data["general-valid_utility_patents"] == ["2"]
    browser.force_login(owner)
    next_url = response["Location"].split("next=", 1)[1].replace("%2F", "/")
    browser.get(next_url)
    draft.refresh_from_db()
    assert draft.answers["valid_utility_patents"] == "2"


def test_stashing_is_rate_limited_per_address(draft, owner, settings):
    settings.WIZARD_STASH_RATE = (3, 3600)
    url = step_url(draft, "general")
    for n in range(5):  # five sessions that each opened the draft, from one address
        browser = expired_browser(draft, owner)
        browser.post(url, step_post(draft, "general", {"valid_utility_patents": n}))
    assert StashedPost.objects.count() == 3
    other_address = expired_browser(draft, owner, address="10.0.0.2")
    other_address.post(url, step_post(draft, "general", {"valid_utility_patents": 9}))
    assert StashedPost.objects.count() == 4


def test_a_signed_out_flood_grows_the_database_by_under_a_megabyte(draft, owner):
    """100 posts of about 1 MB each, by a browser that opened the draft and one that did not."""
    opened = expired_browser(draft, owner)
    stranger = Client(REMOTE_ADDR="10.0.0.9")
    url = step_url(draft, "general")
    filler = {f"junk-{n}": "x" * 2000 for n in range(500)}  # about 1 MB of other fields
    before = database_bytes()
    for n in range(50):
        for browser in (opened, stranger):
            data = step_post(draft, "general", {"valid_utility_patents": n}) | filler
            assert browser.post(url, data).status_code == 302
    grown = database_bytes() - before
    assert grown < 1024 * 1024, grown
    assert StashedPost.objects.count() <= 1
