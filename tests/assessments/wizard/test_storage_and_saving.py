"""DB-backed wizard state: saving on next/back/jump/save and exit, resuming, conflicts."""

from __future__ import annotations

import pytest
from django.contrib import messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments.models import AssessmentChange
from assessments.wizard.storage import AssessmentStorage
from tests import factories

from .helpers import step_post, step_url

pytestmark = pytest.mark.django_db


def test_storage_reads_and_writes_the_draft_not_the_session(draft, rf):
    storage = AssessmentStorage("wizard", rf.get("/"), assessment=draft)
    storage.current_step = "section-use"
    storage.set_step_data("section-use", {"section-use-revenue_3y": ["10"]})
    assert draft.current_step == "section-use"
    assert draft.wizard_state["step_data"]["section-use"] == {"section-use-revenue_3y": ["10"]}
    assert storage.get_step_data("section-use").getlist("section-use-revenue_3y") == ["10"]
    again = AssessmentStorage("wizard", rf.get("/"), assessment=draft)
    assert again.current_step == "section-use"


def test_next_saves_to_the_database_and_nothing_to_the_session(member_client, draft):
    answers = factories.IP_ENTERPRISE_ANSWERS
    response = member_client.post(step_url(draft, "general"), step_post(draft, "general", answers))
    assert response["Location"] == step_url(draft, "section-creation")
    draft.refresh_from_db()
    assert draft.current_step == "section-creation"
    assert draft.answers == {
        "valid_utility_patents": "20",
        "valid_design_patents": "2",
        "founded_on": "2015-01-01",  # the enterprise's date, whatever the post says
    }
    assert draft.revision == 1
    assert not [k for k in member_client.session.keys() if k.startswith("wizard")]  # noqa: SIM118


def test_back_and_jump_keep_invalid_input_without_validating(member_client, draft):
    data = step_post(draft, "general", {"valid_utility_patents": 4})
    data["general-valid_design_patents"] = "two"  # invalid, kept as typed
    data["wizard_goto_step"] = "section-management"
    response = member_client.post(step_url(draft, "general"), data)
    assert response["Location"] == step_url(draft, "section-management")
    draft.refresh_from_db()
    assert draft.answers == {"valid_utility_patents": "4", "founded_on": "2015-01-01"}
    raw = draft.wizard_state["step_data"]["general"]
    assert raw["general-valid_design_patents"] == ["two"]
    page = member_client.get(step_url(draft, "general")).content.decode()
    assert 'value="two"' in page
    assert "error-summary" not in page  # shown again without forcing validation


def test_nul_characters_are_refused_before_storing(member_client, draft):
    """PostgreSQL cannot store NUL in JSON: a forged post gets a clear 400, not a 500."""
    data = step_post(draft, "general", {"valid_utility_patents": 4})
    data["general-valid_design_patents"] = "2\x00"
    data["wizard_goto_step"] = "section-management"
    response = member_client.post(step_url(draft, "general"), data)
    assert response.status_code == 400
    draft.refresh_from_db()
    stored = draft.wizard_state.get("step_data", {}).get("general") or {}
    assert "general-valid_design_patents" not in stored
    assert "valid_utility_patents" not in draft.answers


def test_next_with_errors_stays_saves_and_explains(member_client, draft):
    data = step_post(draft, "general", {"valid_utility_patents": 4})
    data["general-valid_design_patents"] = "-1"
    response = member_client.post(reverse("wizard:step", args=[draft.pk, "general"]), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="error-summary"' in page
    assert 'href="#id_general-valid_design_patents"' in page
    assert 'href="#id_general-founded_on"' not in page  # a firm fact, not a question
    draft.refresh_from_db()
    assert draft.answers == {"valid_utility_patents": "4", "founded_on": "2015-01-01"}


def test_save_and_exit_then_resume_on_another_device(member_client, draft, owner):
    data = step_post(draft, "section-use", {"revenue_3y": 900}, wizard_action="exit")
    response = member_client.post(step_url(draft, "section-use"), data)
    assert response["Location"] == reverse("dashboard:home")
    other_device = Client()
    other_device.force_login(owner)
    resume = other_device.get(reverse("wizard:resume", args=[draft.pk]))
    assert resume["Location"] == step_url(draft, "section-use")
    page = other_device.get(resume["Location"]).content.decode()
    assert 'value="900"' in page
    assert 'aria-current="step"' in page


def test_a_colleague_resumes_the_same_draft(member_client, draft, enterprise):
    member_client.post(
        step_url(draft, "general"),
        step_post(draft, "general", {"valid_utility_patents": 7}, wizard_action="exit"),
    )
    colleague = factories.company_user(enterprise, role="member", username="colleague")
    client = Client()
    client.force_login(colleague)
    page = client.get(step_url(draft, "general")).content.decode()
    assert 'value="7"' in page


def test_two_tabs_editing_the_same_answer_conflict(member_client, draft):
    tab_a = step_post(draft, "section-use", {"revenue_3y": 100}, wizard_action="save")
    tab_b = step_post(draft, "section-use", {"revenue_3y": 250}, wizard_action="save")
    assert member_client.post(step_url(draft, "section-use"), tab_a).status_code == 302
    response = member_client.post(step_url(draft, "section-use"), tab_b)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="conflict"' in page
    assert "100" in page  # what the other tab saved
    assert 'value="250"' in page  # the later tab's input is still on its page
    draft.refresh_from_db()
    assert draft.answers["revenue_3y"] == "100"
    # saving again from the refreshed page (current revision) keeps the later input
    again = step_post(draft, "section-use", {"revenue_3y": 250}, wizard_action="save")
    assert member_client.post(step_url(draft, "section-use"), again).status_code == 302
    draft.refresh_from_db()
    assert draft.answers["revenue_3y"] == "250"
    assert AssessmentChange.objects.filter(assessment=draft).count() == 2


def test_saves_to_other_steps_merge_and_are_reported(member_client, draft):
    tab_a = step_post(draft, "section-use", {"revenue_3y": 100}, wizard_action="save")
    tab_b = step_post(draft, "general", {"valid_utility_patents": 3}, wizard_action="save")
    member_client.post(step_url(draft, "section-use"), tab_a)
    response = member_client.post(step_url(draft, "general"), tab_b, follow=True)
    draft.refresh_from_db()
    assert draft.answers["revenue_3y"] == "100"
    assert draft.answers["valid_utility_patents"] == "3"
    warnings = [m for m in response.context["messages"] if m.level == messages.WARNING]
    assert len(warnings) == 1  # "meanwhile saved elsewhere; these answers changed there …"
    assert "revenue_3y" not in str(warnings[0])  # named by its question, not its key


def test_last_saved_time_and_progress_are_shown(member_client, draft):
    member_client.post(
        step_url(draft, "general"),
        step_post(draft, "general", factories.IP_ENTERPRISE_ANSWERS),
    )
    page = member_client.get(step_url(draft, "section-creation")).content.decode()
    assert 'id="last-saved"' in page
    assert "<progress" in page
    draft.refresh_from_db()
    saved = timezone.localtime(draft.updated_at)  # shown in the portal's time zone
    assert f'<time datetime="{saved.isoformat()}">已保存 {saved:%H:%M}</time>' in page
    assert f"({draft.updated_by.get_username()})" in page
