"""A firm applies, the bureau returns it for changes on one item, the firm resubmits only that
answer, and the bureau walks it through expert review and public notice to recognition."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from assessments.review.models import Application, Certificate, State
from tests import factories
from tests.assessments.review.conftest import make_programme

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def decide(page, action_label: str, reason: str = "") -> None:
    if reason:
        page.fill("#id_decision_reason", reason)
    page.get_by_role("button", name=action_label, exact=True).click()
    page.wait_for_load_state()


def test_apply_return_resubmit_recognise(new_context, live_server, login):
    enterprise = factories.EnterpriseFactory(name="汉江精密仪器有限公司")
    owner = factories.company_user(enterprise, username="firm-owner")
    submission = factories.make_submission(enterprise, user=owner)
    programme = make_programme()
    factories.reviewer(["420000"], lead=True, username="bureau-lead")

    firm = new_context().new_page()
    bureau = new_context().new_page()
    base = live_server.url

    # The firm sees the programme as eligible and applies with its submission.
    login(firm, "firm-owner", factories.PASSWORD)
    firm.goto(f"{base}/en/applications/")
    assert "Your enterprise is eligible." in firm.content()
    firm.get_by_role("link", name="Apply", exact=True).click()
    firm.check(f"input[name=submission][value='{submission.pk}']")
    firm.check("#id_confirm")
    firm.get_by_role("button", name="Submit the application").click()
    firm.wait_for_url("**/en/applications/*/")
    assert firm.locator("#application-state").inner_text() == "Submitted"
    application = Application.objects.get(enterprise=enterprise, programme=programme)

    # The bureau takes it, starts the formal check and asks for a change on M1 only.
    login(bureau, "bureau-lead", factories.PASSWORD)
    bureau.goto(f"{base}/en/review/")
    bureau.get_by_role("link", name="汉江精密仪器有限公司").click()
    bureau.get_by_role("button", name="Assign to me").click()
    decide(bureau, "Start the formal check")
    bureau.check("#id_reopen_M1")
    bureau.fill("#id_comment_M1", "Your 2023 certificate has expired; state the valid one.")
    bureau.fill("#id_reason", "Please correct M1.")
    bureau.get_by_role("button", name="Request changes on the ticked items").click()
    bureau.wait_for_load_state()
    assert "returned to the firm" in bureau.content()

    # The firm sees the request, changes just that answer and resubmits.
    firm.reload()
    assert firm.locator("#application-state").inner_text() == "Returned for changes"
    assert "Your 2023 certificate has expired" in firm.content()
    firm.get_by_role("link", name="Change the answers and resubmit").click()
    assert firm.locator("select").count() == 1  # only the reopened answer is editable
    firm.select_option("#id_answer_M1", label="2013-edition certificate (transition ended)")
    firm.fill("#id_comment", "Corrected: we hold a 2013-edition certificate.")
    firm.get_by_role("button", name="Resubmit for review").click()
    firm.wait_for_url(f"**/en/applications/{application.pk}/")
    assert firm.locator("#application-state").inner_text() == "Resubmitted"
    application.refresh_from_db()
    assert application.submission_id != submission.pk
    assert application.submission.answers["M1"] == "cert_2013"

    # The bureau reviews again, recommends and publishes the notice.
    bureau.reload()
    decide(bureau, "Start the formal check")
    decide(bureau, "Pass the formal check")
    decide(bureau, "Recommend", "Strong IP management; recommended.")
    decide(bureau, "Start the public notice")
    assert "Public notice" in bureau.locator("main .lead").inner_text()
    # The objection period has passed without objections.
    Application.objects.filter(pk=application.pk).update(
        notice_ends_on=timezone.localdate() - dt.timedelta(days=1)
    )
    bureau.reload()
    decide(bureau, "Recognise", "No objections during the public notice.")
    assert "Recognised" in bureau.locator("main .lead").inner_text()
    certificate = Certificate.objects.get(application=application)
    assert certificate.number in bureau.content()

    # The firm sees the decision, the certificate and its public verification.
    firm.reload()
    assert firm.locator("#application-state").inner_text() == "Recognised"
    assert certificate.number in firm.content()
    firm.get_by_role("link", name="Public verification").click()
    firm.wait_for_load_state()
    assert certificate.verify_code in firm.url
    response = firm.request.get(f"{base}/verify/{certificate.verify_code}/?format=json")
    assert response.json()["status"] == "valid"
    application.refresh_from_db()
    assert application.state == State.RECOGNISED
    transitions = [
        e.action for e in application.events.order_by("created_at", "pk") if e.is_transition
    ]
    assert transitions == [
        "apply",
        "start_formal_check",
        "return",
        "resubmit",
        "start_formal_check",
        "pass_formal_check",
        "recommend",
        "start_public_notice",
        "recognise",
    ]
