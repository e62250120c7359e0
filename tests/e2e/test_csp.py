"""Stored script does not run: a scheme help text with an ``onerror`` handler, once published,
is shown as text on the firm's pages, and the Content-Security-Policy blocks an injected
handler even where markup did get into the page."""

from __future__ import annotations

import copy

import pytest

from assessments.review import services as review
from assessments.review.models import State
from assessments.review.transitions import perform
from assessments.schemes import services as schemes
from assessments.wizard import services as wizard
from portal.accounts.choices import Roles
from tests import factories
from tests.assessments.review.conftest import make_programme

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PAYLOAD = (
    '注意 <img src=x onerror="window.__xss=(window.__xss||0)+1"><script>window.__xss=99</script>'
)


def _publish_poisoned_scheme():
    """An editor's draft whose M1 help text carries markup, published by a moderator."""
    editor = factories.UserFactory(username="csp-editor", groups=[Roles.EDITOR])
    moderator = factories.UserFactory(username="csp-moderator", groups=[Roles.MODERATOR])
    v1 = factories.scheme_version("ip-enterprise")
    draft = schemes.new_draft_from(v1, user=editor)
    definition = copy.deepcopy(draft.definition)
    for section in definition["sections"]:
        for item in section["items"]:
            if item["code"] == "M1":
                item["help"] = {"zh": PAYLOAD, "en": PAYLOAD}
    schemes.update_draft(draft, definition, user=editor)
    return schemes.publish(draft, user=moderator)


def _returned_application(version):
    enterprise = factories.EnterpriseFactory(name="汉江安全测试有限公司")
    owner = factories.company_user(enterprise, username="csp-owner")
    submission = factories.make_submission(enterprise, user=owner)
    assert submission.scheme_version == version
    programme = make_programme(scheme_version=version)
    lead = factories.reviewer(["420000"], lead=True, username="csp-lead")
    application = review.apply(owner, programme, submission)
    review.assign(application, lead, lead, application.version)
    application.refresh_from_db()
    perform(application, "start_formal_check", lead)
    application.refresh_from_db()
    review.request_changes(application, lead, ["M1"], {}, "fix M1", application.version)
    application.refresh_from_db()
    assert application.state == State.RETURNED
    return owner, application


def _watch(page) -> list[str]:
    messages: list[str] = []
    page.on("console", lambda m: messages.append(m.text))
    page.on("pageerror", lambda e: messages.append(str(e)))
    return messages


def test_a_published_onerror_help_text_does_not_run(page, live_server, login):
    version = _publish_poisoned_scheme()
    owner, application = _returned_application(version)
    messages = _watch(page)
    login(page, owner.username, factories.PASSWORD)

    # The resubmit page renders the reopened item's help text through includes/field.html.
    response = page.goto(f"{live_server.url}/en/applications/{application.pk}/resubmit/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    hint = page.locator("#id_answer_M1_hint")
    assert hint.inner_text() == PAYLOAD  # shown as text
    assert page.locator("main img[src=x]").count() == 0
    assert page.evaluate("window.__xss") is None

    # The wizard shows the same help text on the step that asks M1.
    draft, _ = wizard.start_assessment(
        enterprise=owner.membership.enterprise, version=version, user=owner
    )
    step = next(s.key for s in wizard.plan_for(draft).steps if "M1" in s.keys)
    page.goto(f"{live_server.url}/en/assessments/{draft.pk}/step/{step}/")
    assert page.locator("#q-M1 .hint").inner_text() == PAYLOAD
    assert page.evaluate("window.__xss") is None
    assert not [m for m in messages if "__xss" in m]


def test_the_policy_blocks_an_injected_handler(page, live_server):
    """Defence in depth: markup that does reach the page cannot run script."""
    page.goto(f"{live_server.url}/en/accounts/login/")
    with page.expect_console_message(lambda m: "Content Security Policy" in m.text):
        page.evaluate(
            """() => {
                const s = document.createElement('script');
                s.textContent = 'window.__xss = 2';
                document.body.appendChild(s);
            }"""
        )
    with page.expect_console_message(lambda m: "inline event handler" in m.text):
        page.evaluate(
            """() => document.querySelector('main').insertAdjacentHTML('beforeend',
                '<img id="probe" src="/static/none.png" onerror="window.__xss=1">')"""
        )
    page.wait_for_function("document.getElementById('probe').complete")
    assert page.evaluate("window.__xss") is None


def test_too_many_evidence_bytes_are_refused_before_sending(page, live_server, login, settings):
    """The server refuses such a body unread; the page says so before anything is sent."""
    from assessments.models import Evidence
    from tests.assessments.wizard.browser import company_user

    settings.PORTAL_MAX_UPLOAD_BYTES = 1024 * 1024
    version = factories.scheme_version("ip-enterprise")
    owner = company_user("e2e-big-files")
    draft, _ = wizard.start_assessment(
        enterprise=owner.membership.enterprise, version=version, user=owner
    )
    login(page, "e2e-big-files", factories.PASSWORD)
    page.goto(f"{live_server.url}/en/assessments/{draft.pk}/step/general/")
    note = page.locator("#upload-too-large")
    assert note.is_hidden()
    page.locator("details.evidence summary").first.click()
    page.locator("input[type=file]").first.set_input_files(
        files=[{"name": "big.pdf", "mimeType": "application/pdf", "buffer": b"%PDF" * 400_000}]
    )
    page.click("#next-button")
    note.wait_for()
    assert "1.0\xa0MB" in note.inner_text()
    assert page.url.endswith(f"/assessments/{draft.pk}/step/general/")
    assert not Evidence.objects.exists()
