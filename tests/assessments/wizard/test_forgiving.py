"""A wizard that forgives: autosave, discard, pre-fill, conversion of retired and older drafts,
firm facts from the enterprise record, honest step states and the scheme introduction."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from assessments.models import Assessment, Evidence
from assessments.wizard import selectors, services
from tests import factories

from .helpers import step_post, step_url

pytestmark = pytest.mark.django_db


# --------------------------------------------------------------------------- autosave


def test_autosave_stores_the_step_and_answers_the_time(member_client, draft):
    url = reverse("wizard:autosave", args=[draft.pk, "section-use"])
    data = step_post(draft, "section-use", {"revenue_3y": 900})
    data["section-use-ip_transactions_3y"] = "not a number"  # kept as typed, not an answer
    response = member_client.post(url, data)
    assert response.status_code == 200
    body = response.json()
    draft.refresh_from_db()
    assert body["saved"] is True and body["revision"] == draft.revision == 1
    assert body["text"].startswith("已保存 ")
    assert draft.answers["revenue_3y"] == "900"
    assert "ip_transactions_3y" not in draft.answers
    raw = draft.wizard_state["step_data"]["section-use"]
    assert raw["section-use-ip_transactions_3y"] == ["not a number"]
    assert draft.current_step == "general"  # autosave never moves on


def test_autosave_from_a_stale_page_is_refused_and_overwrites_nothing(member_client, draft):
    url = reverse("wizard:autosave", args=[draft.pk, "section-use"])
    stale = step_post(draft, "section-use", {"revenue_3y": 1})
    member_client.post(url, step_post(draft, "section-use", {"revenue_3y": 900}))
    response = member_client.post(url, stale)
    assert response.status_code == 409
    assert response.json()["conflict"] is True
    draft.refresh_from_db()
    assert draft.answers["revenue_3y"] == "900"


def test_autosave_of_another_enterprises_draft_is_404(client, draft, other_enterprise_owner):
    client.force_login(other_enterprise_owner)
    url = reverse("wizard:autosave", args=[draft.pk, "section-use"])
    assert client.post(url, step_post(draft, "section-use", {"revenue_3y": 1})).status_code == 404
    draft.refresh_from_db()
    assert "revenue_3y" not in draft.answers


# --------------------------------------------------------------------------- discard


def test_discard_asks_first_then_closes_the_draft_and_deletes_its_files(member_client, draft):
    Evidence.objects.create(
        assessment=draft, item_code="M1", file="evidence/x.pdf", original_name="x.pdf", size=3
    )
    url = reverse("wizard:discard", args=[draft.pk])
    page = member_client.get(url).content.decode()
    assert 'id="discard-button"' in page
    draft.refresh_from_db()
    assert draft.status == Assessment.Status.OPEN  # asking changes nothing
    response = member_client.post(url)
    assert response["Location"] == reverse("dashboard:home")
    draft.refresh_from_db()
    assert draft.status == Assessment.Status.ABANDONED
    assert not Evidence.objects.exists()
    assert member_client.get(step_url(draft, "general")).status_code == 404


def test_discard_by_another_enterprise_is_404(client, draft, other_enterprise_owner):
    client.force_login(other_enterprise_owner)
    assert client.post(reverse("wizard:discard", args=[draft.pk])).status_code == 404
    draft.refresh_from_db()
    assert draft.status == Assessment.Status.OPEN


# --------------------------------------------------------------------------- pre-fill


def test_a_new_draft_starts_from_the_last_submission_marked_to_confirm(member_client, owner):
    enterprise = owner.membership.enterprise
    last = factories.make_submission(enterprise, code="ip-enterprise", user=owner)
    page = member_client.get(reverse("dashboard:home")).content.decode()
    assert f'name="carry_from" value="{last.pk}"' in page
    member_client.post(reverse("wizard:start", args=["ip-enterprise"]), {"carry_from": last.pk})
    draft = Assessment.objects.get(status=Assessment.Status.OPEN)
    assert draft.carried_from == last
    carried = {k: v for k, v in last.answers.items() if k != "founded_on"}
    assert {k: draft.answers[k] for k in carried} == carried
    assert set(draft.to_confirm) == set(carried)  # every carried answer is to confirm
    assert "founded_on" not in draft.to_confirm  # from the enterprise record
    [note] = selectors.carry_notes(draft, "zh")
    assert note.kind == "previous"
    step = member_client.get(step_url(draft, "section-use")).content.decode()
    assert 'id="carry-note"' in step
    assert 'class="step-confirm' in step


# --------------------------------------------------------------------------- older versions


def test_a_version_1_draft_moves_to_version_2_when_opened(member_client, owner):
    v1 = factories.scheme_version("ip-enterprise", 1)
    enterprise = owner.membership.enterprise
    draft, _ = services.start_assessment(enterprise=enterprise, version=v1, user=owner)
    answers = {**factories.IP_ENTERPRISE_ANSWERS, "founded_on": "2015-01-01", "M1": "cert_2013"}
    Assessment.objects.filter(pk=draft.pk).update(answers=answers)
    response = member_client.get(reverse("wizard:resume", args=[draft.pk]))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.scheme_version.version == 2
    assert draft.answers == answers  # every answer kept under its own key
    assert draft.to_confirm == ["M1"]  # the certificate item changed its meaning
    assert selectors.carry_notes(draft, "zh")[0].reasons  # the map says why


def test_a_2013_draft_converts_into_2023_in_one_action(member_client, owner):
    old = factories.scheme_version("gbt29490-2013")
    enterprise = owner.membership.enterprise
    draft, _ = services.start_assessment(enterprise=enterprise, version=old, user=owner)
    answers = factories.gbt_answers("gbt29490-2013")
    Assessment.objects.filter(pk=draft.pk).update(answers=answers)
    page = member_client.get(reverse("wizard:review", args=[draft.pk])).content.decode()
    assert 'id="retired-notice"' in page
    assert 'id="submit-button"' not in page  # a retired edition cannot be submitted
    response = member_client.post(reverse("wizard:convert", args=[draft.pk]))
    new = Assessment.objects.get(status=Assessment.Status.OPEN)
    assert response["Location"] == reverse("wizard:resume", args=[new.pk])
    assert new.scheme.code == "gbt29490-2023"
    assert new.to_confirm and set(new.to_confirm) <= set(new.answers)
    draft.refresh_from_db()
    assert draft.status == Assessment.Status.ABANDONED  # kept, never deleted
    with pytest.raises(services.NotReady):
        services.submit(draft.pk, enterprise=enterprise, user=owner, language="zh-hans")


def test_a_retired_edition_cannot_be_started(member_client, owner):
    factories.scheme_version("gbt29490-2013")
    response = member_client.post(reverse("wizard:start", args=["gbt29490-2013"]))
    assert response["Location"] == reverse("dashboard:home")
    assert not Assessment.objects.exists()


# --------------------------------------------------------------------------- firm facts


def test_firm_facts_are_read_only_from_the_enterprise_record(member_client, draft, enterprise):
    page = member_client.get(step_url(draft, "general")).content.decode()
    assert 'name="general-founded_on"' not in page
    assert 'id="firm-facts"' in page
    assert reverse("dashboard:profile") in page  # the owner may correct the profile
    enterprise.founded_on = dt.date(2012, 3, 4)
    enterprise.save(update_fields=["founded_on"])
    member_client.post(
        step_url(draft, "general"),
        step_post(draft, "general", {"valid_utility_patents": 1})
        | {"general-founded_on": "2025-01-01"},  # forged: ignored
    )
    draft.refresh_from_db()
    assert draft.answers["founded_on"] == "2012-03-04"


def test_a_member_sees_who_corrects_the_profile(client, draft, enterprise):
    member = factories.company_user(enterprise, role="member", username="member-x")
    client.force_login(member)
    page = client.get(step_url(draft, "general")).content.decode()
    assert reverse("dashboard:profile") not in page
    assert "企业负责人可以更正企业信息" in page


# --------------------------------------------------------------------------- step states


def test_step_states_are_honest(member_client, draft):
    plan = services.plan_for(draft)
    states = {s.step.key: s.state for s in selectors.progress(plan, draft).steps}
    assert states["general"] == "started"  # the founding date is there, patents are not
    assert states["bonus"] == "empty"
    # pass through the bonus step (optional questions only) without answering
    member_client.post(
        step_url(draft, "bonus"), step_post(draft, "bonus", {}, wizard_action="next")
    )
    draft.refresh_from_db()
    states = {s.step.key: s.state for s in selectors.progress(plan, draft).steps}
    assert states["bonus"] == "passed"
    member_client.post(
        step_url(draft, "general"),
        step_post(draft, "general", {"valid_utility_patents": 1, "valid_design_patents": 0}),
    )
    draft.refresh_from_db()
    states = {s.step.key: s.state for s in selectors.progress(plan, draft).steps}
    assert states["general"] == "complete"
    page = member_client.get(step_url(draft, "general")).content.decode()
    assert "已浏览，未作答" in page  # the bonus step, passed through


# --------------------------------------------------------------------------- introduction


def test_the_introduction_is_public_and_lists_every_question(client):
    factories.scheme_version("ip-enterprise")
    page = client.get(reverse("wizard:intro", args=["ip-enterprise"])).content.decode()
    assert reverse("wizard:questions", args=["ip-enterprise", "pdf"]) in page
    assert reverse("wizard:questions", args=["ip-enterprise", "xlsx"]) in page
    assert "需准备的材料" in page
    assert "分钟" in page


def test_the_question_list_downloads_as_xlsx(client):
    version = factories.scheme_version("ip-enterprise")
    response = client.get(reverse("wizard:questions", args=["ip-enterprise", "xlsx"]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    questions = sum(len(step.fields) for step in services.build_plan(version.engine_scheme).steps)
    assert len(rows) == questions + 1  # a header and one row per question


def test_the_question_list_downloads_as_pdf(client):
    factories.scheme_version("gbt29490-2023")
    response = client.get(reverse("wizard:questions", args=["gbt29490-2023", "pdf"]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_unknown_format_or_scheme_is_404(client):
    factories.scheme_version("ip-enterprise")
    assert (
        client.get(reverse("wizard:questions", args=["ip-enterprise", "docx"])).status_code == 404
    )
    assert client.get(reverse("wizard:intro", args=["no-such-scheme"])).status_code == 404
