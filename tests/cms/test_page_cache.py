"""The shared cache of public pages: keyed on the content version and the language, renewed by
a publish, never holding anything personal, never serving restricted pages."""

from __future__ import annotations

from wagtail.models import PageViewRestriction

from cms.cache import content_version
from tests.factories import UserFactory


def test_publish_changes_the_cached_policy_page_and_index(client, cms_site):
    page = cms_site.add_policy("知识产权强市方案", summary="第一版摘要。")
    assert "第一版摘要。" in client.get(page.url).content.decode()
    assert "知识产权强市方案" in client.get("/policies/").content.decode()
    page.summary = "第二版摘要。"
    page.title = "知识产权强市方案（修订）"
    page.save()  # a draft save, not published
    assert "第一版摘要。" in client.get(page.url).content.decode()
    before = content_version()
    page.save_revision().publish()
    assert content_version() != before
    html = client.get(page.url).content.decode()
    assert "第二版摘要。" in html and "第一版摘要。" not in html
    assert "知识产权强市方案（修订）" in client.get("/policies/").content.decode()


def test_publish_changes_cached_search_results(client, cms_site):
    cms_site.add_policy("专利导航方案")
    assert "专利导航方案" in client.get("/search/", {"q": "专利导航"}).content.decode()
    cms_site.add_policy("专利导航试点")
    assert "专利导航试点" in client.get("/search/", {"q": "专利导航"}).content.decode()


def test_cache_is_per_language(client, cms_site):
    page = cms_site.add_policy("知识产权强市方案")
    assert 'lang="zh-Hans"' in client.get(page.url).content.decode()
    for parent in (cms_site.home, cms_site.policies):
        parent.copy_for_translation(cms_site.en).save_revision().publish()
    translation = page.copy_for_translation(cms_site.en)
    translation.title = "IP-strong city plan"
    translation.save_revision().publish()
    translation.refresh_from_db()
    html = client.get(translation.url).content.decode()
    assert "IP-strong city plan" in html and 'lang="en"' in html


def test_signed_in_users_get_their_own_header_around_the_shared_body(client, cms_site):
    page = cms_site.add_policy("知识产权强市方案")
    anonymous = client.get(page.url).content.decode()  # fills the cache
    user = UserFactory(username="zhangsan-reader")
    client.force_login(user)
    html = client.get(page.url).content.decode()
    assert "zhangsan-reader" in html and "知识产权强市方案" in html
    client.logout()
    html = client.get(page.url).content.decode()
    assert "zhangsan-reader" not in html
    assert html.count("csrfmiddlewaretoken") == anonymous.count("csrfmiddlewaretoken")


def test_restricted_pages_are_not_served_from_the_cache(client, cms_site):
    page = cms_site.add_policy("内部文件")
    assert client.get(page.url).status_code == 200  # cached while public
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(page.url)
    assert response.status_code == 302
    assert client.get("/search/", {"q": "内部文件"}).context["hits"] == []
