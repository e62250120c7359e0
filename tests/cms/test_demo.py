"""load_demo publishes the seed documents as clean policy pages, idempotently."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from wagtail.models import Page, Site, WorkflowPage

from cms.models import HomePage, NoticePage, PolicyPage


def test_load_demo_twice_gives_the_same_clean_pages(client, db, settings):
    settings.DEBUG = True
    first = StringIO()
    call_command("load_demo", stdout=first)
    counts = (Page.objects.count(), PolicyPage.objects.count(), NoticePage.objects.count())
    second = StringIO()
    call_command("load_demo", stdout=second)
    assert (Page.objects.count(), PolicyPage.objects.count(), NoticePage.objects.count()) == counts
    assert "/policies/chongqing-ip-13th-five-year-plan/" in first.getvalue()
    assert "unchanged" in second.getvalue()

    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)
    assert not Page.objects.filter(title__startswith="Welcome to your new Wagtail site").exists()

    chinese = PolicyPage.objects.filter(locale__language_code="zh-hans").live()
    assert chinese.count() == 5
    for policy in chinese:
        assert policy.authority and policy.region and policy.issue_date and policy.category
        text = policy.search_plain_text()
        assert "购买咨询" not in text and "本站为你精心整理" not in text and "首页 >" not in text
        assert any(block.block_type == "heading" for block in policy.body)
    xiaogan = chinese.get(slug="xiaogan-ip-city-implementation-plan")
    assert any(
        t["indicator"] == "培育国家、省、孝感市知识产权示范或优势企业" and t["target_value"] == 60
        for t in xiaogan.indicator_targets()
    )
    assert len(chinese.get(slug="chongqing-ip-13th-five-year-plan").indicator_targets()) == 5

    english = PolicyPage.objects.filter(locale__language_code="en").live()
    assert english.count() == 5
    en_chongqing = english.get(slug="chongqing-ip-13th-five-year-plan")
    assert en_chongqing.translation_key == chinese.get(slug=en_chongqing.slug).translation_key
    assert en_chongqing.summary.startswith("Chongqing")
    assert NoticePage.objects.filter(application_deadline__isnull=False).exists()
    assert WorkflowPage.objects.filter(page__depth=1, workflow__active=True).exists()

    assert client.get("/").status_code == 200
    assert client.get("/en/").status_code == 200
    for chinese_path, english_path in (("/about/", "/en/about/"), ("/help/", "/en/help/")):
        assert client.get(chinese_path).status_code == 200
        assert client.get(english_path).status_code == 200  # every public page has its twin
    html = client.get("/en/policies/chongqing-ip-13th-five-year-plan/").content.decode()
    assert "Chongqing 13th Five-Year Plan for Intellectual Property" in html
    assert client.get("/search/", {"q": "石墨烯"}).context["hits"][0].page.slug == (
        "chongqing-ip-13th-five-year-plan"
    )
