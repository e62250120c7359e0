"""The Wagtail admin works under its Content-Security-Policy: an administrator edits a page,
previews and publishes it, and uploads an image, with no policy violation on the way."""

from __future__ import annotations

import io

import pytest

from tests import factories
from tests.cms.conftest import cms_site as cms_site  # the fixture

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), (31, 95, 168)).save(out, format="PNG")
    return out.getvalue()


def _violations(page) -> list[str]:
    seen: list[str] = []
    page.on(
        "console",
        lambda m: seen.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.on("pageerror", lambda e: seen.append(str(e)))
    return seen


def test_admin_edits_previews_publishes_and_uploads(
    page, live_server, login, cms_site, settings, tmp_path
):
    from wagtail.images.models import Image

    settings.MEDIA_ROOT = tmp_path / "media"
    factories.UserFactory(username="csp-admin", is_staff=True, is_superuser=True)
    violations = _violations(page)
    login(page, "csp-admin", factories.PASSWORD)
    base = live_server.url
    notices = cms_site.notices

    # Edit a page, open the live preview, publish.
    page.goto(f"{base}/admin/pages/{notices.pk}/edit/")
    page.fill("#id_title", "通知公告（已更新）")
    page.locator("[data-side-panel-toggle='preview']").click()
    frame = page.frame_locator("iframe[title], iframe.w-preview__iframe").first
    frame.locator("h1").filter(has_text="通知公告（已更新）").wait_for()
    page.locator("footer .dropdown-toggle, footer [data-w-dropdown-target='toggle']").first.click()
    with page.expect_navigation():
        page.click("button[name=action-publish]")
    notices.refresh_from_db()
    assert notices.title == "通知公告（已更新）" and notices.live
    visitor = page.context.browser.new_context().new_page()
    assert "通知公告（已更新）" in visitor.goto(f"{base}{notices.url}").text()
    visitor.context.close()

    # Upload an image through the multiple-upload page (its script posts each file).
    page.goto(f"{base}/admin/images/multiple/add/")
    page.set_input_files(
        "input[type=file]",
        files=[{"name": "logo.png", "mimeType": "image/png", "buffer": _png()}],
    )
    page.locator("#upload-list li.upload-success").wait_for()
    assert Image.objects.count() == 1
    page.goto(f"{base}/admin/images/{Image.objects.get().pk}/")
    assert page.locator("img").count() > 0

    assert violations == []
