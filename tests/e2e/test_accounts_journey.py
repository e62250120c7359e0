"""A firm registers in the browser, in Chinese and English, and invites a colleague."""

import re

import pytest

from portal.accounts.models import Enterprise
from tests.factories import valid_credit_code

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def fill_registration(page, code: str, username: str) -> None:
    page.fill("#id_account-username", username)
    page.fill("#id_account-email", f"{username}@example.com")
    page.fill("#id_account-password1", "Journey-pass-2026")
    page.fill("#id_account-password2", "Journey-pass-2026")
    page.fill("#id_enterprise-name", f"{username} 科技有限公司")
    page.fill("#id_enterprise-credit_code", code)
    page.select_option("#id_enterprise-region", "420900")
    page.select_option("#id_enterprise-industry", "C")
    page.select_option("#id_enterprise-size", "small")
    page.fill("#id_enterprise-founded_on", "2018-05-01")
    page.fill("#id_enterprise-contact_name", "王芳")
    page.fill("#id_enterprise-contact_phone", "13912345678")


def test_register_in_chinese_with_a_typo_then_fix(page, live_server):
    code = valid_credit_code()
    typo = code[:-1] + ("0" if code[-1] != "0" else "1")
    page.goto(live_server.url + "/accounts/register/")
    assert (
        page.locator("label[for=id_enterprise-credit_code]")
        .inner_text()
        .startswith("统一社会信用代码")
    )
    fill_registration(page, typo, "firm-zh")
    page.click("main button[type=submit]")
    summary = page.locator("#error-summary")
    assert summary.is_visible()
    assert "校验码" in summary.inner_text()
    # the other answers are still there
    assert page.input_value("#id_enterprise-contact_name") == "王芳"
    page.fill("#id_account-password1", "Journey-pass-2026")
    page.fill("#id_account-password2", "Journey-pass-2026")
    page.fill("#id_enterprise-credit_code", code)
    page.click("main button[type=submit]")
    page.wait_for_url("**/dashboard/")
    assert "firm-zh 科技有限公司" in page.locator("h1").inner_text()
    assert Enterprise.objects.filter(credit_code=code).exists()


def test_register_in_english_and_switch_language(page, live_server):
    page.goto(live_server.url + "/en/accounts/register/")
    assert (
        page.locator("label[for=id_enterprise-credit_code]")
        .inner_text()
        .startswith("Unified social credit code")
    )
    fill_registration(page, valid_credit_code(), "firm-en")
    page.click("main button[type=submit]")
    page.wait_for_url("**/en/dashboard/")
    assert page.get_by_role("heading", name="Members").is_visible()
    page.get_by_role("button", name="简体中文").click()
    page.wait_for_url(re.compile(r"^http://[^/]+/dashboard/$"))
    assert page.get_by_role("heading", name="成员").is_visible()
