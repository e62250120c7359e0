"""Nothing typed is lost: resume elsewhere, back/jump, two tabs, an expired session."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session

from assessments.models import Assessment
from tests import factories
from tests.assessments.wizard.browser import company_user, current_step, fill_step, start
from tests.factories import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ANSWERS = factories.IP_ENTERPRISE_ANSWERS


def test_leave_midway_and_resume_on_another_device(new_context, live_server, login):
    version = factories.scheme_version("ip-enterprise")
    company_user("e2e-resume")
    page = new_context().new_page()
    login(page, "e2e-resume", PASSWORD)
    start(page, live_server.url, "ip-enterprise")
    fill_step(page, version.engine_scheme, "general", ANSWERS)
    page.click("#next-button")
    page.wait_for_load_state()
    assert current_step(page) == "section-creation"
    page.fill("input[name='section-creation-patent_apps_3y']", "31")
    page.check("input[name='section-creation-C1'][value='systematic']")
    page.get_by_role("button", name="Save and exit").click()
    page.wait_for_url("**/dashboard/")
    assert page.locator("#last-saved").count() == 0

    other = new_context().new_page()  # a fresh browser: no cookies
    login(other, "e2e-resume", PASSWORD)
    other.goto(f"{live_server.url}/en/dashboard/")
    other.locator("#assessments-panel a", has_text="Resume").first.click()
    other.wait_for_load_state()
    assert current_step(other) == "section-creation"
    assert other.input_value("input[name='section-creation-patent_apps_3y']") == "31"
    assert other.is_checked("input[name='section-creation-C1'][value='systematic']")
    assert other.locator("[aria-current=step]").count() == 1
    assert other.locator("#last-saved time").inner_text()


def test_back_and_jump_keep_unsaved_input(page, live_server, login):
    version = factories.scheme_version("ip-enterprise")
    company_user("e2e-nav")
    login(page, "e2e-nav", PASSWORD)
    start(page, live_server.url, "ip-enterprise")
    fill_step(page, version.engine_scheme, "general", ANSWERS)
    page.click("#next-button")
    page.wait_for_load_state()
    page.fill("input[name='section-creation-trademarks']", "8")
    page.fill("input[name='section-creation-copyrights']", "not yet")  # invalid, still kept
    page.get_by_role("button", name="Back").click()
    page.wait_for_load_state()
    assert current_step(page) == "general"
    assert page.locator("#error-summary").count() == 0
    page.fill("input[name='general-valid_design_patents']", "5")
    page.locator(".wizard-steps button[value='section-management']").click()  # jump
    page.wait_for_load_state()
    assert current_step(page) == "section-management"
    page.locator(".wizard-steps button[value='section-creation']").click()
    page.wait_for_load_state()
    assert page.input_value("input[name='section-creation-trademarks']") == "8"
    assert page.input_value("input[name='section-creation-copyrights']") == "not yet"
    page.locator(".wizard-steps button[value='general']").click()
    page.wait_for_load_state()
    assert page.input_value("input[name='general-valid_design_patents']") == "5"
    # "next" validates: the invalid figure is explained in a summary linking to the field
    page.locator(".wizard-steps button[value='section-creation']").click()
    page.wait_for_load_state()
    page.click("#next-button")
    page.wait_for_load_state()
    summary = page.locator("#error-summary")
    assert summary.is_visible()
    summary.locator("a[href='#id_section-creation-copyrights']").click()
    assert page.evaluate("document.activeElement.name") == "section-creation-copyrights"


def test_two_tabs_the_later_save_is_told_what_changed(new_context, live_server, login):
    factories.scheme_version("ip-enterprise")
    company_user("e2e-tabs")
    context = new_context()
    tab_a = context.new_page()
    login(tab_a, "e2e-tabs", PASSWORD)
    start(tab_a, live_server.url, "ip-enterprise")
    draft = Assessment.objects.get()
    url = f"{live_server.url}/en/assessments/{draft.pk}/step/section-use/"
    tab_a.goto(url)
    tab_b = context.new_page()
    tab_b.goto(url)
    tab_a.fill("input[name='section-use-revenue_3y']", "100")
    tab_a.get_by_role("button", name="Save and exit").click()
    tab_a.wait_for_url("**/dashboard/")
    tab_b.fill("input[name='section-use-revenue_3y']", "250")
    tab_b.get_by_role("button", name="Save and exit").click()
    tab_b.wait_for_load_state()
    conflict = tab_b.locator("#conflict")
    assert conflict.is_visible()
    assert "100" in conflict.inner_text()
    assert tab_b.input_value("input[name='section-use-revenue_3y']") == "250"
    draft.refresh_from_db()
    assert draft.answers["revenue_3y"] == "100"
    tab_b.get_by_role("button", name="Save and exit").click()  # keep mine, knowingly
    tab_b.wait_for_url("**/dashboard/")
    draft.refresh_from_db()
    assert draft.answers["revenue_3y"] == "250"


def test_session_expiry_keeps_the_posted_answers(page, live_server, login):
    version = factories.scheme_version("ip-enterprise")
    company_user("e2e-expiry")
    login(page, "e2e-expiry", PASSWORD)
    start(page, live_server.url, "ip-enterprise")
    fill_step(page, version.engine_scheme, "general", ANSWERS)
    Session.objects.all().delete()  # the session expires while the step is open
    page.click("#next-button")
    page.wait_for_url("**/accounts/login/**")
    page.fill("input[name=username]", "e2e-expiry")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/step/general/")
    assert page.input_value("input[name='general-valid_utility_patents']") == "20"
    assert page.input_value("input[name='general-valid_design_patents']") == "2"
    draft = Assessment.objects.get()
    assert draft.answers["valid_design_patents"] == "2"
