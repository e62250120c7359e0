"""A wizard that forgives, in the browser: a warning explained and submitted, autosave, the
leave warning, discarding a draft, a pre-filled new draft and the narrow screen."""

from __future__ import annotations

import re

import pytest

from assessments.models import Assessment, Submission
from tests import factories
from tests.assessments.wizard.browser import company_user, current_step, fill_step, start
from tests.e2e.a11y import assert_accessible
from tests.factories import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

#: Valid answers raising one plausibility warning: R&D expenditure above revenue (W2).
W2_ANSWERS = {**factories.IP_ENTERPRISE_ANSWERS, "rd_expense_3y": 50000, "revenue_3y": 40000}


def complete(page, version, answers) -> None:
    scheme = version.engine_scheme
    while "/step/" in page.url:
        fill_step(page, scheme, current_step(page), answers)
        page.click("#next-button")
        page.wait_for_load_state()
        assert page.locator("#error-summary").count() == 0, page.content()[:3000]


def step_url(base: str, draft: Assessment, step: str) -> str:
    return f"{base}/en/assessments/{draft.pk}/step/{step}/"


def test_a_warning_is_met_explained_and_submitted(page, live_server, login):
    version = factories.scheme_version("ip-enterprise")
    company_user("e2e-warn")
    login(page, "e2e-warn", PASSWORD)
    start(page, live_server.url, "ip-enterprise")
    complete(page, version, W2_ANSWERS)
    assert page.url.endswith("/review/")
    warning = page.locator("#warning-W2")
    assert warning.is_visible()
    assert "50,000" in warning.inner_text()
    page.fill("#explain-W2", "A one-off government R&D project")
    page.click("#submit-button")  # not confirmed yet: refused, the explanation kept
    page.wait_for_load_state()
    assert page.locator("#confirm-W2-error").is_visible()
    assert_accessible(page)
    assert page.input_value("#explain-W2") == "A one-off government R&D project"
    assert not Submission.objects.exists()
    page.check("#confirm-W2")
    page.click("#submit-button")
    page.wait_for_url("**/assessments/submissions/*/")
    submission = Submission.objects.get()
    assert submission.warnings == [
        {
            "code": "W2",
            "items": ["rd_expense_3y", "revenue_3y"],
            "explanation": "A one-off government R&D project",
        }
    ]


def test_autosave_saves_while_the_user_types(page, live_server, login):
    factories.scheme_version("ip-enterprise")
    company_user("e2e-autosave")
    login(page, "e2e-autosave", PASSWORD)
    start(page, live_server.url, "ip-enterprise")
    draft = Assessment.objects.get()
    page.goto(step_url(live_server.url, draft, "section-use"))
    page.fill("input[name='section-use-revenue_3y']", "1,200")
    status = page.locator("#save-status")
    status.filter(has_text=re.compile(r"^Saved \d\d:\d\d$")).wait_for()
    draft.refresh_from_db()
    assert draft.answers["revenue_3y"] == "1200"
    # nothing asks on leaving: everything is saved
    page.get_by_role("link", name="My enterprise").click()
    page.wait_for_url("**/dashboard/")


def test_leaving_with_unsaved_changes_asks_first(page, live_server, login):
    factories.scheme_version("ip-enterprise")
    company_user("e2e-leave")
    login(page, "e2e-leave", PASSWORD)
    start(page, live_server.url, "ip-enterprise")
    draft = Assessment.objects.get()
    page.goto(step_url(live_server.url, draft, "section-use"))
    page.route("**/autosave/", lambda route: route.abort())  # the network is down
    page.fill("input[name='section-use-revenue_3y']", "900")
    page.get_by_role("link", name="My enterprise").click()
    dialog = page.locator("#leave-dialog")
    assert dialog.is_visible()
    page.click("#leave-stay")
    assert not dialog.is_visible()
    assert "/step/section-use/" in page.url
    assert page.input_value("input[name='section-use-revenue_3y']") == "900"
    page.unroute("**/autosave/")  # back online: "save and leave" keeps the input
    page.get_by_role("link", name="My enterprise").click()
    page.click("#leave-save")
    page.wait_for_url("**/dashboard/")
    draft.refresh_from_db()
    assert draft.answers["revenue_3y"] == "900"


def test_leaving_without_saving_loses_only_what_the_user_chose(page, live_server, login):
    factories.scheme_version("ip-enterprise")
    company_user("e2e-leave2")
    login(page, "e2e-leave2", PASSWORD)
    start(page, live_server.url, "ip-enterprise")
    draft = Assessment.objects.get()
    page.goto(step_url(live_server.url, draft, "section-use"))
    page.route("**/autosave/", lambda route: route.abort())
    page.fill("input[name='section-use-revenue_3y']", "777")
    page.get_by_role("link", name="My enterprise").click()
    page.click("#leave-discard")
    page.wait_for_url("**/dashboard/")
    draft.refresh_from_db()
    assert "revenue_3y" not in draft.answers


def test_discard_a_draft_after_confirming(page, live_server, login):
    factories.scheme_version("ip-enterprise")
    company_user("e2e-discard")
    login(page, "e2e-discard", PASSWORD)
    start(page, live_server.url, "ip-enterprise")
    page.goto(f"{live_server.url}/en/dashboard/")
    page.locator("#assessments-panel a", has_text="Discard").first.click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Discard this draft?").is_visible()
    assert_accessible(page)
    assert Assessment.objects.get().status == Assessment.Status.OPEN
    page.click("#discard-button")
    page.wait_for_url("**/dashboard/")
    assert Assessment.objects.get().status == Assessment.Status.ABANDONED
    assert page.locator("#assessments-panel a", has_text="Resume").count() == 0


def test_a_new_draft_is_prefilled_from_the_last_submission(page, live_server, login):
    factories.scheme_version("ip-enterprise")
    user = company_user("e2e-prefill")
    last = factories.make_submission(user.membership.enterprise, code="ip-enterprise", user=user)
    login(page, "e2e-prefill", PASSWORD)
    page.goto(f"{live_server.url}/en/dashboard/")
    page.locator(".carry-button", has_text="Start pre-filled from your submission").click()
    page.wait_for_load_state()
    draft = Assessment.objects.get(status=Assessment.Status.OPEN)
    assert draft.carried_from_id == last.pk
    assert page.locator("#carry-note").is_visible()
    assert page.input_value("input[name='general-valid_utility_patents']") == "20"
    assert page.locator(".to-confirm").count() >= 1
    page.click("#next-button")  # going through a step confirms its answers
    page.wait_for_load_state()
    draft.refresh_from_db()
    assert not {"valid_utility_patents", "valid_design_patents"} & set(draft.to_confirm)


def test_the_wizard_at_375_px(new_context, live_server, login):
    factories.scheme_version("ip-enterprise")
    company_user("e2e-narrow")
    page = new_context(viewport={"width": 375, "height": 740}).new_page()
    login(page, "e2e-narrow", PASSWORD)
    start(page, live_server.url, "ip-enterprise")
    for path in ("step/general/", "step/section-creation/", "review/"):
        draft = Assessment.objects.get()
        page.goto(f"{live_server.url}/en/assessments/{draft.pk}/{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{path} is {width} px wide"
    page.goto(step_url(live_server.url, Assessment.objects.get(), "section-creation"))
    first_question = page.locator(".wizard-main .question").first.bounding_box()
    steps = page.locator("#step-nav").bounding_box()
    assert first_question["y"] < steps["y"]  # the questions come first
    assert first_question["y"] < 740  # above the fold
    assert page.evaluate("document.getElementById('step-nav').open") is False


def test_the_introduction_page_and_its_question_list(page, live_server):
    factories.scheme_version("gbt29490-2023")
    page.goto(f"{live_server.url}/en/assessments/schemes/gbt29490-2023/")
    assert page.get_by_role("heading", name="Documents to have at hand").is_visible()
    assert page.get_by_role("link", name="Sign in to start").is_visible()
    page.locator(".question-group summary").first.click()
    assert page.locator(".question-list li").first.is_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.click("#questions-xlsx")
    assert download.value.suggested_filename.endswith("-questions-en.xlsx")
