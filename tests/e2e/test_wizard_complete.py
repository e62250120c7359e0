"""A firm completes ip-enterprise and gbt29490-2023 in the browser and reads the results."""

from __future__ import annotations

import pytest

from assessments.models import Submission
from tests import factories
from tests.assessments.wizard.browser import company_user, current_step, fill_step, start
from tests.factories import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def complete(page, version, answers) -> None:
    scheme = version.engine_scheme
    while "/step/" in page.url:
        step = current_step(page)
        fill_step(page, scheme, step, answers)
        page.click("#next-button")
        page.wait_for_load_state()
        assert page.locator("#error-summary").count() == 0, page.content()[:3000]


def test_complete_ip_enterprise_and_double_submit_makes_one_submission(page, live_server, login):
    version = factories.scheme_version("ip-enterprise")
    factories.scheme_version("gbt29490-2023")
    company_user("e2e-ip")
    login(page, "e2e-ip", PASSWORD)
    start(page, live_server.url, "ip-enterprise")
    assert current_step(page) == "general"
    # only the founding date is answered: it comes from the enterprise profile
    assert page.locator("#progress-bar").get_attribute("value") == "3"
    complete(page, version, factories.IP_ENTERPRISE_ANSWERS)
    assert page.url.endswith("/review/")
    assert page.get_by_role("heading", name="Review your answers").is_visible()
    # a double click (and a resent form) still gives one submission
    page.evaluate(
        """() => { const f = document.getElementById('submit-form');
                   const body = new FormData(f);
                   fetch(f.action, {method: 'POST', body, credentials: 'same-origin'}); }"""
    )
    page.dblclick("#submit-button")
    page.wait_for_url("**/assessments/submissions/*/")
    assert Submission.objects.count() == 1
    submission = Submission.objects.get()
    assert submission.level == "demonstration"
    assert "72.00" in page.locator("#result-total").inner_text()
    assert "Demonstration enterprise level" in page.locator("#result-level").inner_text()
    assert page.locator("svg").count() >= 2
    page.go_back()
    page.reload()
    assert Submission.objects.count() == 1


def test_complete_gbt29490_2023(page, live_server, login):
    version = factories.scheme_version("gbt29490-2023")
    company_user("e2e-gbt")
    login(page, "e2e-gbt", PASSWORD)
    start(page, live_server.url, "gbt29490-2023")
    answers = factories.gbt_answers("gbt29490-2023", answer="largely")
    complete(page, version, answers)
    page.click("#submit-button")
    page.wait_for_url("**/assessments/submissions/*/")
    submission = Submission.objects.get()
    assert submission.level == "largely_ready"
    assert "Largely ready" in page.locator("#result-level").inner_text()
    assert page.get_by_role("heading", name="Gaps and recommendations").is_visible()
