"""The portal's three journeys across features, in a real browser, in Chinese and in English.

(a) A firm registers, completes a self-assessment, downloads its PDF report and applies to a
programme; (b) a reviewer works the application to recognition; (c) an editor drafts a notice
that a moderator approves in the Wagtail admin; (d) a third party verifies the certificate at
/verify/<code>/. axe-core checks the main page of each step (no serious or critical violation).

Selectors use element ids, names and URLs rather than visible text, so the same steps run in
both languages; the language is checked on the pages themselves (``<html lang>``).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from assessments.models import Submission
from assessments.review.models import Application, Certificate, State
from cms.demo import Report, ensure_workflow
from cms.models import NoticePage
from portal.accounts.choices import Roles
from tests import factories
from tests.assessments.review.conftest import make_programme
from tests.assessments.wizard.browser import current_step, fill_step
from tests.cms.conftest import cms_site as cms_site  # the fixture
from tests.e2e.a11y import assert_accessible
from tests.e2e.test_accounts_journey import confirm_from_outbox, fill_registration

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LANGUAGES = [
    pytest.param("", "zh-Hans", "zh-CN", id="zh"),
    pytest.param("/en", "en", "en-GB", id="en"),
]
PASSWORD = "Journey-pass-2026"


def html_lang(page) -> str:
    return page.locator("html").get_attribute("lang") or ""


def complete_wizard(page, version, answers) -> None:
    scheme = version.engine_scheme
    while "/step/" in page.url:
        fill_step(page, scheme, current_step(page), answers)
        page.click("#next-button")
        page.wait_for_load_state()
        assert page.locator("#error-summary").count() == 0, page.content()[:3000]


def transition(page, action: str, reason: str = "") -> None:
    if reason:
        page.fill("#id_decision_reason", reason)
    page.click(f"button[name=action][value={action}]")
    page.wait_for_load_state()


@pytest.mark.parametrize(("prefix", "lang", "locale"), LANGUAGES)
def test_journeys(
    prefix, lang, locale, new_context, live_server, login, cms_site, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = live_server.url
    base = live_server.url
    version = factories.scheme_version("ip-enterprise")
    programme = make_programme()
    factories.reviewer(["420000"], lead=True, username="journey-lead")
    factories.UserFactory(username="journey-editor", groups=[Roles.EDITOR])
    factories.UserFactory(username="journey-moderator", groups=[Roles.MODERATOR])
    ensure_workflow(Report())

    # (a) The firm registers, follows the e-mailed link, and lands signed in on its dashboard.
    firm = new_context(locale=locale).new_page()
    firm.goto(f"{base}{prefix}/accounts/register/")
    assert html_lang(firm).lower().startswith(lang.lower()[:2])
    assert_accessible(firm)
    code = factories.valid_credit_code()
    fill_registration(firm, code, "journey-firm")
    firm.click("main button[type=submit]")
    firm.wait_for_url(f"**{prefix}/accounts/register/sent/")
    assert_accessible(firm)  # "check your e-mail"
    confirm_from_outbox(firm, "journey-firm", PASSWORD)
    firm.wait_for_url(f"**{prefix}/dashboard/")
    assert_accessible(firm)

    # … completes the self-assessment from the dashboard …
    firm.locator(f"form[action='{prefix}/assessments/start/ip-enterprise/'] button").first.click()
    firm.wait_for_load_state()
    assert_accessible(firm)  # the first wizard step
    complete_wizard(firm, version, factories.IP_ENTERPRISE_ANSWERS)
    assert firm.url.endswith("/review/")
    firm.click("#submit-button")
    firm.wait_for_url("**/assessments/submissions/*/")
    submission = Submission.objects.get(enterprise__credit_code=code)
    assert submission.level == "demonstration"
    assert "72.00" in firm.locator("#result-total").inner_text()
    assert_accessible(firm)  # results

    # … downloads its PDF report …
    firm.goto(f"{base}{prefix}/reports/{submission.pk}/")
    assert_accessible(firm)
    with firm.expect_download() as download:
        firm.locator(f"a[href*='/reports/{submission.pk}/pdf/']").first.click()
    pdf = tmp_path / "report.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")

    # … and applies to the programme with that submission.
    firm.goto(f"{base}{prefix}/applications/")
    assert_accessible(firm)
    firm.click(f"a[href='{prefix}/applications/apply/{programme.pk}/']")
    firm.check(f"input[name=submission][value='{submission.pk}']")
    firm.check("#id_confirm")
    assert_accessible(firm)
    firm.click("main form button[type=submit]")
    firm.wait_for_url(f"**{prefix}/applications/*/")
    application = Application.objects.get(submission=submission, programme=programme)
    assert application.state == State.SUBMITTED

    # (b) The reviewer works it to recognition.
    bureau = new_context(locale=locale).new_page()
    login(bureau, "journey-lead", factories.PASSWORD, lang_prefix=prefix)
    bureau.goto(f"{base}{prefix}/review/")
    assert_accessible(bureau)  # the queue
    bureau.click(f"a[href='{prefix}/review/{application.pk}/']")
    bureau.wait_for_load_state()
    bureau.locator(f"form[action='{prefix}/review/{application.pk}/assign/'] button").first.click()
    bureau.wait_for_load_state()
    assert_accessible(bureau)  # the application, assigned
    transition(bureau, "start_formal_check")
    transition(bureau, "pass_formal_check")
    transition(bureau, "recommend", "Strong IP management.")
    transition(bureau, "start_public_notice")
    Application.objects.filter(pk=application.pk).update(
        notice_ends_on=timezone.localdate() - dt.timedelta(days=1)
    )  # the objection period has passed without objections
    bureau.reload()
    transition(bureau, "recognise", "No objections.")
    application.refresh_from_db()
    assert application.state == State.RECOGNISED
    certificate = Certificate.objects.get(application=application)
    assert certificate.number in bureau.content()

    # The firm sees its certificate.
    firm.goto(f"{base}{prefix}/applications/{application.pk}/")
    assert certificate.number in firm.content()
    assert_accessible(firm)

    # (c) An editor drafts a notice and submits it for moderation; a moderator approves it.
    editor = new_context(locale=locale).new_page()
    login(editor, "journey-editor", factories.PASSWORD, lang_prefix=prefix)
    notices = cms_site.notices
    editor.goto(f"{base}/admin/pages/add/cms/noticepage/{notices.pk}/")
    title = f"Journey notice {lang}"
    editor.fill("#id_title", title)
    editor.fill("#id_summary", "Apply before the deadline.")
    editor.locator(
        "footer .dropdown-toggle, footer [data-w-dropdown-target='toggle']"
    ).first.click()
    editor.click("button[name=action-submit]")
    editor.wait_for_load_state()
    notice = NoticePage.objects.get(title=title)
    assert not notice.live
    assert notice.current_workflow_state is not None

    moderator = new_context(locale=locale).new_page()
    login(moderator, "journey-moderator", factories.PASSWORD, lang_prefix=prefix)
    moderator.goto(f"{base}/admin/pages/{notice.pk}/edit/")
    moderator.locator(
        "footer .dropdown-toggle, footer [data-w-dropdown-target='toggle']"
    ).first.click()
    with moderator.expect_navigation():
        # "Approve" (the variant without a comment dialog), posted by Wagtail's script.
        moderator.click(
            "button[data-workflow-action-name=approve]:not([data-workflow-action-modal-url])"
        )
    notice.refresh_from_db()
    assert notice.live
    visitor = new_context(locale=locale).new_page()
    response = visitor.goto(f"{base}{notice.url}")
    assert response.status == 200
    assert title in visitor.content()
    assert_accessible(visitor)

    # (d) A third party verifies the certificate.
    visitor.goto(f"{base}{prefix}/verify/{certificate.verify_code}/")
    assert certificate.number in visitor.content()
    assert html_lang(visitor).lower().startswith(lang.lower()[:2])
    assert_accessible(visitor)
    data = visitor.request.get(f"{base}/verify/{certificate.verify_code}/?format=json").json()
    assert data["status"] == "valid"
