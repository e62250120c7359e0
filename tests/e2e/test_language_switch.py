"""The language switch in a real browser, and every journey page at a phone's width.

One page of every URL pattern and page type (Wagtail home, indexes and pages, Django views of
accounts, the dashboard, the wizard, results, reports, review, verification, an error page) is
opened at 375 px in Chinese; the visitor clicks the switch and must land on the same page in
English, then click it again and be back where they started. On both sides the page answers
200 (the error page its own 404) and is no wider than the screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from wagtail.models import Locale

from assessments.review import services as review_services
from cms import demo as cms_demo
from cms.models import ContentPage
from tests import factories
from tests.assessments.review.conftest import make_programme

pytestmark = [pytest.mark.e2e]

PHONE = {"width": 375, "height": 740}
PASSWORD = "Switch-pass-2026"


class _Quiet:
    def write(self, *args, **kwargs) -> None:
        pass


class _NoStyle:
    def __getattr__(self, name):
        return lambda text: text


@dataclass
class Walk:
    """What went wrong, page by page: all pages are walked, then the test reports every fault."""

    base: str
    faults: list[str]

    def too_wide(self, page) -> str:
        width, viewport = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if width <= viewport:
            return ""
        culprits = page.evaluate(
            """() => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
                .slice(-3).map(e => e.tagName.toLowerCase() + '.' + e.className)"""
        )
        return f"{width}px wide ({', '.join(culprits)})"

    def path(self, page) -> str:
        parts = urlsplit(page.url)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def switch(self, page):
        with page.expect_navigation() as navigation:
            page.locator("form.lang-switch button").click()
        return navigation.value

    def check(self, page, chinese: str, english: str, status: int = 200) -> None:
        response = page.goto(self.base + chinese)
        if response.status != status:
            self.faults.append(f"{chinese}: status {response.status}")
            return
        for where, expected_path, expected_lang in (
            ("Chinese", chinese, "zh-Hans"),
            ("English", english, "en"),
            ("Chinese again", chinese, "zh-Hans"),
        ):
            if where != "Chinese":
                response = self.switch(page)
                if response is None or response.status != status:
                    code = response.status if response else "none"
                    self.faults.append(f"{chinese}: switch to {where} gave status {code}")
                    return
            if self.path(page) != expected_path:
                self.faults.append(f"{chinese}: {where} is {self.path(page)}, not {expected_path}")
                return
            if page.locator("html").get_attribute("lang") != expected_lang:
                self.faults.append(f"{chinese}: {where} page is not in {expected_lang}")
            if wide := self.too_wide(page):
                self.faults.append(f"{expected_path}: {wide}")


def _demo_pages() -> None:
    cms_demo.load(_Quiet(), _NoStyle())
    # The demo's help page may not have its English twin yet; the switch is what is under test.
    help_page = ContentPage.objects.get(locale__language_code="zh-hans", slug="help")
    english = Locale.objects.get(language_code="en")
    twin = help_page.get_translation_or_none(english)
    if twin is None:
        twin = help_page.copy_for_translation(english)
        twin.title = "Help"
    twin.save_revision().publish()


def test_every_page_type_switches_language_both_ways_and_fits_a_phone(
    new_context, live_server, login, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = live_server.url
    _demo_pages()
    owner = factories.company_user(username="switch-firm", password=PASSWORD)
    enterprise = owner.membership.enterprise
    gbt = factories.make_submission(enterprise, code="gbt29490-2023", user=owner)
    submission = factories.make_submission(enterprise, user=owner)
    application = review_services.apply(owner, make_programme(), submission)
    factories.reviewer(["420000"], lead=True, username="switch-lead", password=PASSWORD)

    walk = Walk(live_server.url, [])

    visitor = new_context(viewport=PHONE).new_page()
    public = [
        ("/", "/en/"),
        ("/policies/", "/en/policies/"),
        ("/policies/?category=work_points", "/en/policies/?category=work_points"),
        ("/policies/jiangsu-ip-work-points-2020/", "/en/policies/jiangsu-ip-work-points-2020/"),
        ("/notices/", "/en/notices/"),
        ("/notices/self-assessment-call-2027/", "/en/notices/self-assessment-call-2027/"),
        ("/about/", "/en/about/"),
        ("/help/", "/en/help/"),
        ("/search/?q=%E4%B8%93%E5%88%A9", "/en/search/?q=%E4%B8%93%E5%88%A9"),
        ("/verify/", "/en/verify/"),
        (f"/verify/{submission.verify_code}/", f"/en/verify/{submission.verify_code}/"),
        ("/accounts/login/", "/en/accounts/login/"),
        ("/accounts/register/", "/en/accounts/register/"),
    ]
    for chinese, english in public:
        walk.check(visitor, chinese, english)
    walk.check(visitor, "/no-such-page/", "/en/no-such-page/", status=404)

    firm = new_context(viewport=PHONE).new_page()
    login(firm, "switch-firm", PASSWORD, lang_prefix="")
    firm.goto(f"{live_server.url}/dashboard/")
    firm.locator("form[action='/assessments/start/ip-enterprise/'] button").first.click()
    firm.wait_for_load_state()
    step = walk.path(firm)
    assert "/step/" in step, step
    draft = step.split("/step/")[0]
    for chinese in (
        "/dashboard/",
        "/dashboard/profile/",
        step,
        f"{draft}/review/",
        f"/assessments/submissions/{submission.pk}/",
        f"/assessments/submissions/{gbt.pk}/",
        f"/reports/{submission.pk}/",
        "/applications/",
        f"/applications/{application.pk}/",
    ):
        walk.check(firm, chinese, "/en" + chinese)

    lead = new_context(viewport=PHONE).new_page()
    login(lead, "switch-lead", PASSWORD, lang_prefix="")
    for chinese in ("/review/", f"/review/{application.pk}/", "/review/dashboard/"):
        walk.check(lead, chinese, "/en" + chinese)

    assert walk.faults == []
