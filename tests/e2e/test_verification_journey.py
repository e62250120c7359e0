"""Browser journey: a third party verifies certificates in every status, a self-assessment report
and an unknown code (axe-checked), and uploads the original PDF of a revoked certificate."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from assessments.review import certificates, services
from assessments.review.models import Certificate
from tests import factories
from tests.assessments.review.conftest import make_programme
from tests.e2e.a11y import assert_accessible

pytestmark = [pytest.mark.e2e]


def _certificate(programme, lead, name: str, **fields) -> Certificate:
    enterprise = factories.EnterpriseFactory(name=name)
    user = factories.company_user(enterprise)
    application = services.apply(user, programme, factories.make_submission(enterprise, user=user))
    today = timezone.localdate()
    fields = {
        "valid_from": today - dt.timedelta(days=30),
        "valid_until": today + dt.timedelta(days=1000),
        **fields,
    }
    certificate = Certificate(
        application=application,
        enterprise=enterprise,
        programme=programme,
        level="demonstration",
        level_label_zh="示范企业水平",
        level_label_en="Demonstration enterprise level",
        recognition_zh="湖北省知识产权示范企业",
        issuer_zh="湖北省知识产权局",
        **fields,
    )
    certificate.number = f"HB-{today.year}-SF-{abs(hash(name)) % 100000:05d}"
    certificate.save()
    return certificate


def test_verification_says_one_thing_per_status(page, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    programme = make_programme()
    lead = factories.reviewer(["420000"], lead=True, username="lead-verify")
    valid = _certificate(programme, lead, "有效证书科技有限公司")
    suspended = _certificate(programme, lead, "暂停证书科技有限公司")
    certificates.change_status(suspended, "suspend", lead, "年度复核材料未提交")
    revoked = _certificate(programme, lead, "撤销证书科技有限公司")
    certificates.store_pdf(revoked)
    original = tmp_path / "revoked.pdf"
    original.write_bytes(revoked.pdf.read())
    certificates.change_status(revoked, "revoke", lead, "专利数据不实")
    today = timezone.localdate()
    expired = _certificate(
        programme,
        lead,
        "过期证书科技有限公司",
        valid_from=today - dt.timedelta(days=1200),
        valid_until=today - dt.timedelta(days=5),
    )
    owner = factories.company_user(username="report-firm")
    report = factories.make_submission(owner.membership.enterprise, user=owner)

    expected = [
        (valid, "有效", "有效期至"),
        (suspended, "已暂停", "年度复核材料未提交"),
        (revoked, "已撤销", "专利数据不实"),
        (expired, "已过期", "已过期：该证书有效期至"),
    ]
    for certificate, status, detail in expected:
        page.goto(f"{live_server.url}/verify/{certificate.verify_code}/")
        banner = page.locator(".verify-banner")
        assert banner.locator(".verify-banner-title").inner_text().strip().endswith(status)
        assert detail in banner.inner_text()
        assert_accessible(page)

    page.goto(f"{live_server.url}/verify/{report.verify_code}/")
    assert "自评报告（企业自行填报，未经审查）" in page.locator(".verify-banner").inner_text()
    assert_accessible(page)

    page.goto(f"{live_server.url}/verify/ZZZZZZZZZZZZZZZZ/")
    assert "该验证码不存在，文件可能不是本平台出具的" in page.locator(".verify-banner").inner_text()
    assert_accessible(page)

    # The original PDF of the revoked certificate: genuine bytes, but it says revoked.
    page.goto(f"{live_server.url}/verify/{revoked.verify_code}/")
    page.set_input_files("input[type=file]", str(original))
    page.get_by_role("button", name="核验文件").click()
    check = page.locator(".verify-check").inner_text()
    assert "文件真实，但证书已于" in check and "撤销" in check
    assert "真实：该文件" not in check
    assert "数字签名有效" in check
    assert_accessible(page)
    page.set_viewport_size({"width": 375, "height": 800})
    page.screenshot(path=str(tmp_path / "revoked-375.png"), full_page=True)
