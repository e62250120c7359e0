"""The language switch keeps the page: Django views, Wagtail pages, error pages, both ways."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.db import transaction
from wagtail.models import Page

from cms import demo as cms_demo
from cms.models import ContentPage, PolicyPage

SWITCH = "/i18n/setlang/"


class _Quiet:
    def write(self, *args, **kwargs) -> None:
        pass


class _NoStyle:
    def __getattr__(self, name):
        return lambda text: text


@pytest.fixture(scope="module")
def _demo_site(django_db_setup, django_db_blocker):
    """The demo pages and their translations, built once for the module and rolled back after
    it; each test runs in a savepoint inside, so what one test unpublishes comes back."""
    with django_db_blocker.unblock(), transaction.atomic():
        cms_demo.load(_Quiet(), _NoStyle())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo_site(_demo_site, db):
    return None


def switch(client, next_url: str, language: str):
    return client.post(SWITCH, {"language": language, "next": next_url})


@pytest.mark.parametrize(
    ("chinese", "english"),
    [
        ("/", "/en/"),
        ("/policies/", "/en/policies/"),
        ("/notices/", "/en/notices/"),
        ("/about/", "/en/about/"),
        ("/accounts/login/", "/en/accounts/login/"),
        ("/accounts/register/", "/en/accounts/register/"),
        ("/verify/", "/en/verify/"),
        ("/search/?q=%E4%B8%93%E5%88%A9", "/en/search/?q=%E4%B8%93%E5%88%A9"),
        ("/policies/?category=work_points&page=2", "/en/policies/?category=work_points&page=2"),
        ("/policies/jiangsu-ip-work-points-2020/", "/en/policies/jiangsu-ip-work-points-2020/"),
        ("/policies/feed/", "/en/policies/feed/"),  # a sub-route of a routable page
        ("/assessments/submissions/12/", "/en/assessments/submissions/12/"),
        ("/review/3/", "/en/review/3/"),
        ("/no-such-page/", "/en/no-such-page/"),  # an error page stays the same error page
    ],
)
def test_the_switch_keeps_the_page_both_ways(client, demo_site, chinese, english):
    to_english = switch(client, chinese, "en")
    assert to_english.status_code == 302
    assert to_english["Location"] == english
    assert to_english.cookies["django_language"].value == "en"
    to_chinese = switch(client, english, "zh-hans")
    assert to_chinese["Location"] == chinese
    assert to_chinese.cookies["django_language"].value == "zh-hans"


def test_switching_to_the_language_of_the_page_keeps_it(client, demo_site):
    assert switch(client, "/en/policies/", "en")["Location"] == "/en/policies/"
    assert switch(client, "/policies/", "zh-hans")["Location"] == "/policies/"


def test_a_translation_with_another_slug_is_found(client, demo_site):
    english = PolicyPage.objects.get(locale__language_code="en", slug="jiangsu-ip-work-points-2020")
    english.slug = "jiangsu-2020"
    english.save_revision().publish()
    response = switch(client, "/policies/jiangsu-ip-work-points-2020/", "en")
    assert response["Location"] == "/en/policies/jiangsu-2020/"
    assert switch(client, "/en/policies/jiangsu-2020/", "zh-hans")["Location"] == (
        "/policies/jiangsu-ip-work-points-2020/"
    )


def test_a_page_without_translation_goes_to_the_nearest_translated_page_with_a_notice(
    client, demo_site
):
    help_page = ContentPage.objects.get(locale__language_code="zh-hans", slug="help")
    english_help = help_page.get_translation_or_none(
        Page.objects.get(locale__language_code="en", depth=2).locale
    )
    if english_help is not None:  # the demo may carry an English help page
        english_help.unpublish()
    response = switch(client, "/help/", "en")
    assert response["Location"] == "/en/"
    notices = [str(m) for m in get_messages(response.wsgi_request)]
    assert notices == [
        "This page is not available in English yet; this is the nearest page that is."
    ]


def test_a_policy_without_translation_goes_to_the_other_policy_index(client, demo_site):
    policy = PolicyPage.objects.get(locale__language_code="en", slug="jiangsu-ip-work-points-2020")
    policy.unpublish()
    response = switch(client, "/policies/jiangsu-ip-work-points-2020/?x=1", "en")
    assert response["Location"] == "/en/policies/"
    notices = [str(m) for m in get_messages(response.wsgi_request)]
    assert notices == [
        "This page is not available in English yet; this is the nearest page that is."
    ]


def test_the_notice_is_in_the_language_switched_to(client, demo_site):
    english_home = Page.objects.get(locale__language_code="en", depth=2)
    english_home.add_child(
        instance=ContentPage(title="English only", slug="english-only", summary="Only here.")
    ).save_revision().publish()
    response = switch(client, "/en/english-only/", "zh-hans")
    assert response["Location"] == "/"
    notices = [str(m) for m in get_messages(response.wsgi_request)]
    assert notices == ["此页面暂无简体中文版本，这是最接近的简体中文页面。"]
    page = client.get("/")
    assert "此页面暂无简体中文版本" in page.content.decode()


@pytest.mark.parametrize("outside", ["/healthz", "/admin/", "/sitemap.xml", "/django-admin/"])
def test_addresses_outside_the_language_prefix_stay(client, db, outside):
    assert switch(client, outside, "en")["Location"] == outside


@pytest.mark.parametrize(
    "unsafe", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:x"]
)
def test_only_local_addresses_are_followed(client, db, unsafe):
    assert switch(client, unsafe, "en")["Location"] == "/en/"


def test_get_and_unknown_languages_change_nothing(client, db):
    response = client.get(SWITCH, {"next": "/policies/", "language": "en"})
    assert response["Location"] == "/policies/"
    assert "django_language" not in response.cookies
    response = switch(client, "/policies/", "fr")
    assert response["Location"] == "/policies/"
    assert "django_language" not in response.cookies


def test_the_header_form_posts_the_page_it_is_on(client, db):
    html = client.get("/en/accounts/login/?next=/dashboard/").content.decode()
    assert '<input type="hidden" name="next" value="/en/accounts/login/?next=/dashboard/">' in html
    html = client.get("/accounts/login/").content.decode()
    assert '<input type="hidden" name="next" value="/accounts/login/">' in html
