"""A firm applies, the bureau returns it for changes on one item, the firm resubmits only that
answer, and the bureau walks it through expert review (where a quota safeguard refuses the
recommendation until the lead reviewer overrides it with a reason) and a public notice with a
public objection that is answered, to recognition."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from assessments.review.models import Application, Certificate, Objection, ProgrammeQuota, State
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
    # No recommendation left in this programme's quota: the safeguard refuses it.
    ProgrammeQuota.objects.create(programme=programme, max_count=0)
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
    bureau.fill("#id_message_M1", "Your 2023 certificate has expired; state the valid one.")
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
    # The quota safeguard is shown beside the decision and refuses the recommendation.
    assert bureau.locator(".safeguard[data-code=region_level_quota]").count() == 1
    decide(bureau, "Recommend", "Strong IP management; recommended.")
    assert "The quota for" in bureau.content()
    application.refresh_from_db()
    assert application.state == State.EXPERT_REVIEW
    # The lead reviewer overrides it with a written reason.
    bureau.fill("#decision_override_reason", "The province added two places by letter.")
    decide(bureau, "Recommend", "Strong IP management; recommended.")
    application.refresh_from_db()
    assert application.state == State.RECOMMENDED
    assert "The province added two places by letter." in application.override_reason
    decide(bureau, "Start the public notice")
    assert "Public notice" in bureau.locator("main .lead").inner_text()

    # Anyone (signed out) finds the notice and lodges an objection.
    public = new_context().new_page()
    public.goto(f"{base}/en/publicity/")
    public.get_by_role("link", name="汉江精密仪器有限公司").click()
    public.fill("#id_name", "Li Wei")
    public.fill("#id_contact", "li.wei@example.com")
    public.fill("#id_text", "The patent list includes a lapsed patent.")
    public.get_by_role("button", name="Send the objection").click()
    public.wait_for_load_state()
    assert "Your objection was received." in public.content()
    objection = Objection.objects.get(application=application)

    # The objection period has passed; recognition waits until the objection is answered.
    Application.objects.filter(pk=application.pk).update(
        notice_ends_on=timezone.localdate() - dt.timedelta(days=1)
    )
    bureau.reload()
    assert "must be answered before recognition" in bureau.locator(".blocked").inner_text()
    assert bureau.get_by_role("button", name="Recognise", exact=True).count() == 0
    bureau.check("#objection_outcome_0")
    bureau.fill("#objection_answer", "The patent was reinstated; the list is correct.")
    bureau.get_by_role("button", name="Answer the objection").click()
    bureau.wait_for_load_state()
    objection.refresh_from_db()
    assert objection.is_answered
    # The quota was overridden at the recommendation: recognising needs the override again.
    assert bureau.locator(".safeguard").count() == 1
    bureau.fill("#decision_override_reason", "The province added two places by letter.")
    decide(bureau, "Recognise", "The objection was answered and dismissed.")
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
