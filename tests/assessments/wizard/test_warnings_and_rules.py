"""Consistency rules on both fields, plausibility warnings confirmed, stored and reported."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments.models import Assessment, Submission
from assessments.reports.services import submission_report_context
from assessments.submissions import warnings_of
from assessments.wizard import services
from tests import factories

from .helpers import fill_all, step_post, step_url

pytestmark = pytest.mark.django_db

#: Valid answers raising W2 (R&D expenditure above revenue) and nothing else.
W2_ANSWERS = {**factories.IP_ENTERPRISE_ANSWERS, "rd_expense_3y": 50000, "revenue_3y": 40000}


def test_a_broken_rule_is_shown_on_both_fields_with_what_must_hold(member_client, draft):
    data = step_post(
        draft,
        "section-creation",
        {**factories.IP_ENTERPRISE_ANSWERS, "patent_apps_3y": 5, "invention_apps_3y": 20},
    )
    response = member_client.post(step_url(draft, "section-creation"), data)
    assert response.status_code == 200  # stays on the step
    form = response.context["form"]
    message = draft.scheme_version.engine_scheme.rule("R1").message.get("zh")
    assert form.errors["patent_apps_3y"] == [message]
    assert form.errors["invention_apps_3y"] == [message]
    page = response.content.decode()
    assert 'href="#id_section-creation-patent_apps_3y"' in page
    assert 'href="#id_section-creation-invention_apps_3y"' in page
    draft.refresh_from_db()
    # each figure is valid on its own and kept; the rule blocks "next" and the submission
    assert (draft.answers["patent_apps_3y"], draft.answers["invention_apps_3y"]) == ("5", "20")
    assert draft.current_step == "section-creation"


def test_a_rule_reading_another_step_is_shown_on_this_steps_field(member_client, draft):
    fill_all(member_client, draft, factories.IP_ENTERPRISE_ANSWERS)
    draft.refresh_from_db()
    revenue = draft.answers["revenue_3y"]
    data = step_post(draft, "section-use", {"revenue_3y": 1, "patent_product_revenue_3y": 10})
    response = member_client.post(step_url(draft, "section-use"), data)
    assert response.status_code == 200
    message = draft.scheme_version.engine_scheme.rule("R2").message.get("zh")
    assert response.context["form"].errors["revenue_3y"] == [message]
    assert revenue != "1"


def test_a_warning_must_be_confirmed_and_is_stored_with_the_explanation(member_client, draft):
    fill_all(member_client, draft, W2_ANSWERS)
    review = member_client.get(reverse("wizard:review", args=[draft.pk])).content.decode()
    assert 'id="warnings"' in review
    assert 'name="confirm-W2"' in review
    assert 'name="explain-W3"' not in review  # only the warnings that apply
    url = reverse("wizard:submit", args=[draft.pk])
    refused = member_client.post(url, {"explain-W2": "一次性政府研发项目"})
    assert refused.status_code == 400
    page = refused.content.decode()
    assert 'id="confirm-W2-error"' in page
    assert "一次性政府研发项目" in page  # nothing typed is lost
    assert not Submission.objects.exists()
    done = member_client.post(url, {"confirm-W2": "yes", "explain-W2": " 一次性政府研发项目 "})
    submission = Submission.objects.get()
    assert done["Location"] == reverse("wizard:results", args=[submission.pk])
    assert submission.warnings == [
        {
            "code": "W2",
            "items": ["rd_expense_3y", "revenue_3y"],
            "explanation": "一次性政府研发项目",
        }
    ]
    rows = warnings_of(submission, "zh")
    assert [(r.code, r.explanation) for r in rows] == [("W2", "一次性政府研发项目")]
    assert [i.key for i in rows[0].items] == ["rd_expense_3y", "revenue_3y"]
    assert "50,000" in rows[0].items[0].value  # as figures are shown everywhere


def test_a_confirmed_warning_without_explanation_is_stored_as_such(draft, owner):
    Assessment.objects.filter(pk=draft.pk).update(answers=W2_ANSWERS)
    enterprise = owner.membership.enterprise
    with pytest.raises(services.WarningsNotConfirmed) as refused:
        services.submit(draft.pk, enterprise=enterprise, user=owner, language="zh-hans")
    assert refused.value.codes == ["W2"]
    submission = services.submit(
        draft.pk, enterprise=enterprise, user=owner, language="zh-hans", confirmed={"W2": ""}
    )
    assert submission.warnings[0]["explanation"] == ""


def test_the_report_appendix_lists_the_warnings_with_the_explanation(draft, owner):
    Assessment.objects.filter(pk=draft.pk).update(answers=W2_ANSWERS)
    submission = services.submit(
        draft.pk,
        enterprise=owner.membership.enterprise,
        user=owner,
        language="zh-hans",
        confirmed={"W2": "政府项目"},
    )
    context = submission_report_context(submission, "zh")
    assert [(w.code, w.explanation) for w in context["warnings"]] == [("W2", "政府项目")]
    english = submission_report_context(submission, "en")
    message = submission.scheme_version.engine_scheme.warning("W2").message.get("en")
    assert english["warnings"][0].message == message


def test_answers_without_warnings_submit_without_confirmation(member_client, draft):
    fill_all(member_client, draft, factories.IP_ENTERPRISE_ANSWERS)
    review = member_client.get(reverse("wizard:review", args=[draft.pk])).content.decode()
    assert 'id="warnings"' not in review
    member_client.post(reverse("wizard:submit", args=[draft.pk]))
    assert Submission.objects.get().warnings == []
