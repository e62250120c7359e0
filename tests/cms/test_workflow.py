"""Editorial workflow: editors submit, moderators approve; scheduled publishing; audit log."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry, Workflow

from cms.demo import Report, ensure_workflow


@pytest.fixture
def workflow(cms_site) -> Workflow:
    return ensure_workflow(Report())


@pytest.fixture
def draft(cms_site):
    page = cms_site.add_policy("待审核政策", summary="编辑起草的政策。")
    page.unpublish()
    page.refresh_from_db()
    return page


def test_editor_cannot_publish_but_moderator_can(cms_site, editor, moderator, workflow, draft):
    assert not draft.permissions_for_user(editor).can_publish()
    assert draft.permissions_for_user(editor).can_edit()
    assert draft.permissions_for_user(moderator).can_publish()


def test_editor_sees_submit_not_publish_in_the_admin(client, editor, moderator, workflow, draft):
    client.force_login(editor)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[draft.pk])).content.decode()
    assert 'name="action-submit"' in html
    assert 'name="action-publish"' not in html


def test_moderator_approves_what_an_editor_submitted(client, editor, moderator, workflow, draft):
    draft.title = "待审核政策（修改）"
    revision = draft.save_revision(user=editor)
    workflow_state = workflow.start(draft, editor)
    task_state = workflow_state.current_task_state
    assert task_state.revision_id == revision.pk
    assert not draft.specific_class.objects.get(pk=draft.pk).live

    # The editor cannot approve their own submission.
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:workflow_action", args=[draft.pk, "approve", task_state.pk])
    client.post(url)
    draft.refresh_from_db()
    assert not draft.live

    client.force_login(moderator)
    response = client.post(url)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.live
    assert draft.title == "待审核政策（修改）"
    actions = set(PageLogEntry.objects.filter(page=draft).values_list("action", flat=True))
    assert {"wagtail.workflow.start", "wagtail.workflow.approve", "wagtail.publish"} <= actions


def test_scheduled_publishing(cms_site, moderator, draft):
    draft.go_live_at = timezone.now() + dt.timedelta(hours=1)
    revision = draft.save_revision(user=moderator)
    revision.publish(user=moderator)
    draft.refresh_from_db()
    assert not draft.live
    revision.refresh_from_db()
    assert revision.approved_go_live_at is not None

    # An hour later (moved back in time instead of waiting):
    past = timezone.now() - dt.timedelta(minutes=1)
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save(update_fields=["content", "approved_go_live_at"])
    call_command("publish_scheduled", verbosity=0)
    draft.refresh_from_db()
    assert draft.live


def test_editors_may_manage_issuing_authorities(editor):
    assert editor.has_perm("cms.add_issuingauthority")
    assert editor.has_perm("cms.change_issuingauthority")
    assert not editor.has_perm("cms.delete_issuingauthority")
