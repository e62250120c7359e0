"""RSS feeds, sitemap.xml and robots.txt."""

from __future__ import annotations

import xml.etree.ElementTree as ET


def test_policy_feed_lists_published_policies(client, seeded_site):
    response = client.get("/policies/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    feed = ET.fromstring(response.content)  # noqa: S314 - our own feed
    channel = feed.find("channel")
    items = channel.findall("item")
    assert len(items) == 5
    assert items[0].findtext("title") == "孝感强市建设实施方案"  # newest first
    assert items[0].findtext("link").endswith(seeded_site.pages["000"].url)
    assert "2022" in items[0].findtext("pubDate")
    assert channel.findtext("link").endswith("/policies/")


def test_notice_feed_and_index_link_it(client, cms_site, notice):
    response = client.get("/notices/feed/")
    assert response.status_code == 200
    feed = ET.fromstring(response.content)  # noqa: S314 - our own feed
    items = feed.find("channel").findall("item")
    assert [i.findtext("title") for i in items] == [notice.title]
    html = client.get("/notices/").content.decode()
    assert '<link rel="alternate" type="application/rss+xml"' in html
    assert 'href="/notices/feed/"' in html
    assert notice.title in html


def test_notice_page_shows_the_application_deadline(client, cms_site, notice):
    html = client.get(notice.url).content.decode()
    assert "2030" in html and 'class="deadline-box"' in html


def test_sitemap_lists_pages_of_both_languages(client, seeded_site):
    site = seeded_site
    site.home.copy_for_translation(site.en).save_revision().publish()
    en_index = site.policies.copy_for_translation(site.en)
    en_index.save_revision().publish()
    draft = site.add_policy("未发布草稿")
    draft.unpublish()
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    body = response.content.decode()
    for page in site.pages.values():
        assert f"{page.url}</loc>" in body
    assert "/en/policies/</loc>" in body
    assert f"{draft.url}</loc>" not in body


def test_robots_txt_points_to_the_sitemap(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "Disallow: /admin/" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body
