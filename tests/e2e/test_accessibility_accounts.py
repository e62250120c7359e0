"""axe-core on the account pages, in both languages, including a form showing errors."""

import pytest

from tests.e2e.a11y import assert_accessible
from tests.factories import company_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_public_account_pages(page, live_server, prefix):
    for path in (
        "/accounts/login/",
        "/accounts/register/",
        "/accounts/register/sent/",
        "/accounts/register/resend/",
        "/accounts/password/reset/",
    ):
        page.goto(f"{live_server.url}{prefix}{path}")
        assert_accessible(page)


def test_registration_errors_are_accessible(page, live_server):
    page.goto(live_server.url + "/accounts/register/")
    page.click("main button[type=submit]")
    assert page.locator("#error-summary").is_visible()
    assert_accessible(page)


def test_dashboard(page, live_server, login):
    company_user(username="a11y-owner", password="A11y-pass-2026")
    login(page, "a11y-owner", "A11y-pass-2026")
    page.goto(live_server.url + "/en/dashboard/")
    assert_accessible(page)
    page.goto(live_server.url + "/en/dashboard/profile/")
    assert_accessible(page)
