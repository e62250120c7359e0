"""Browser journey: an owner downloads the PDF report, a third party verifies it (axe-checked)."""

from __future__ import annotations

import pytest

from tests.e2e.a11y import assert_accessible
from tests.factories import company_user, make_submission

pytestmark = [pytest.mark.e2e]


def test_download_and_verify_the_report(page, new_context, live_server, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = live_server.url
    owner = company_user(username="report-owner", password="Report-pass-2026")
    submission = make_submission(owner.membership.enterprise, user=owner, language="en")
    login(page, "report-owner", "Report-pass-2026")
    page.goto(f"{live_server.url}/en/reports/{submission.pk}/")
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Prepare and download the PDF (English)").click()
    pdf = tmp_path / "report.pdf"
    download_info.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    # The page showed progress while the PDF rendered, and started the download by itself.
    progress = page.locator(".report-progress")
    assert progress.is_visible()
    assert "The download has started." in progress.inner_text()
    page.reload()
    assert page.get_by_role("link", name="Download PDF (English)").is_visible()

    # A third party on another device: no account, opens the address printed on the cover.
    visitor = new_context(locale="en-GB").new_page()
    visitor.goto(f"{live_server.url}/en/verify/{submission.verify_code}/")
    assert visitor.get_by_text(owner.membership.enterprise.name).is_visible()
    assert_accessible(visitor)
    visitor.set_input_files("input[type=file]", str(pdf))
    visitor.get_by_role("button", name="Check the file").click()
    assert visitor.get_by_text("Genuine: the file is byte-identical").is_visible()
    assert_accessible(visitor)
