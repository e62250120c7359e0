"""A firm registers in the browser, in Chinese and English, and confirms by the e-mailed link."""

import re

import pytest
from django.core import mail

from portal.accounts.models import Enterprise
from tests.factories import valid_credit_code

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Journey-pass-2026"
CONFIRM_LINK = re.compile(r"https?://\S+/accounts/register/confirm/\S+/")


def fill_registration(page, code: str, username: str, region: str | None = "420900") -> None:
    page.fill("#id_account-email", f"{username}@example.com")
    page.fill("#id_enterprise-name", f"{username} 科技有限公司")
    page.fill("#id_enterprise-credit_code", code)
    if region:
        page.select_option("#id_enterprise-region", region)
    page.select_option("#id_enterprise-industry", "C")
    page.select_option("#id_enterprise-size", "small")
    page.fill("#id_enterprise-founded_on", "2018-05-01")
    page.fill("#id_enterprise-contact_name", "王芳")
    page.fill("#id_enterprise-contact_phone", "13912345678")


def confirm_from_outbox(page, username: str, password: str = PASSWORD) -> None:
    """Open the link of the confirmation e-mail, as the registrant would, and set the password."""
    page.wait_for_url("**/accounts/register/sent/")
    address = f"{username}@example.com"
    message = next(m for m in reversed(mail.outbox) if m.to == [address])
    page.goto(CONFIRM_LINK.search(message.body).group(0))
    page.fill("#id_password1", password)
    page.fill("#id_password2", password)
    page.click("#confirm-button")


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
    assert code[-1] not in page.locator("#id_enterprise-credit_code_error").inner_text()
    # the other answers are still there
    assert page.input_value("#id_enterprise-contact_name") == "王芳"
    page.fill("#id_enterprise-credit_code", code)
    page.click("main button[type=submit]")
    assert not Enterprise.objects.filter(credit_code=code).exists()  # not before the link
    confirm_from_outbox(page, "firm-zh")
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
    confirm_from_outbox(page, "firm-en")
    page.wait_for_url("**/en/dashboard/")
    assert page.get_by_role("heading", name="Members").is_visible()
    page.get_by_role("button", name="简体中文").click()
    page.wait_for_url(re.compile(r"^http://[^/]+/dashboard/$"))
    assert page.get_by_role("heading", name="成员").is_visible()


def test_full_width_code_fills_in_the_region(page, live_server):
    """A code typed with a Chinese input method in full-width characters is accepted, and the
    region select follows the code's region digits."""
    code = valid_credit_code(region="420100")
    full_width = code.translate(str.maketrans("0123456789ABCDEFGHJKLMNPQRTUWXY",
                                              "０１２３４５６７８９ＡＢＣＤＥＦＧＨＪＫＬＭＮＰＱＲＴＵＷＸＹ"))  # fmt: skip
    page.goto(live_server.url + "/en/accounts/register/")
    fill_registration(page, full_width, "firm-fw", region=None)
    assert page.input_value("#id_enterprise-region") == "420100"
    page.click("main button[type=submit]")
    confirm_from_outbox(page, "firm-fw")
    page.wait_for_url("**/en/dashboard/")
    enterprise = Enterprise.objects.get(credit_code=code)
    assert enterprise.region_id == "420100" and not enterprise.needs_verification
