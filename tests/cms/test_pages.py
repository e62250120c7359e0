"""Home, policy index (filters, sort, pagination, empty state), policy page, English pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.urls import reverse
from wagtail.models import Site

from cms.choices import PolicyCategory, Validity


def test_home_page_has_the_self_assessment_call_to_action(client, cms_site):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="{reverse("dashboard:home")}"' in html
    assert f'href="{reverse("accounts:register")}"' in html
    assert Site.objects.get(is_default_site=True).root_page_id == cms_site.home.pk


def test_home_lists_latest_policies_and_notices(client, seeded_site, notice):
    html = client.get("/").content.decode()
    assert "重庆市知识产权“十三五”发展规划" in html
    assert notice.title in html


def test_policy_index_lists_policies_newest_first_and_links_its_feed(client, seeded_site):
    response = client.get("/policies/")
    html = response.content.decode()
    titles = [p.title for p in response.context["policies"].object_list]
    assert titles[0] == "孝感强市建设实施方案"  # 2022
    assert titles[-1] == "争创知识产权示范市工作要点"  # 2010
    assert '<link rel="alternate" type="application/rss+xml"' in html
    assert "/policies/feed/" in html
    oldest = client.get("/policies/?sort=oldest").context["policies"].object_list
    assert oldest[0].title == "争创知识产权示范市工作要点"


def _titles(client, query: str) -> set[str]:
    return {p.title for p in client.get("/policies/" + query).context["policies"].object_list}


def test_policy_index_filters(client, seeded_site):
    site = seeded_site
    assert _titles(client, "?category=work_points") == {
        "2020年江苏省知识产权工作要点",
        "争创知识产权示范市工作要点",
    }
    assert _titles(client, f"?authority={site.authorities['chongqing'].pk}") == {
        "重庆市知识产权“十三五”发展规划"
    }
    assert _titles(client, "?year=2019") == {"中关村知识产权行动方案"}
    assert _titles(client, "?validity=draft") == {"孝感强市建设实施方案"}
    # A province matches the policies of its cities (孝感市 is in 湖北省).
    assert _titles(client, "?region=420000") == {"孝感强市建设实施方案"}
    assert _titles(client, "?region=420900&validity=valid") == set()
    # Invalid values are ignored rather than failing.
    assert len(_titles(client, "?year=abc&category=nonsense")) == 5


def test_policy_index_empty_state(client, seeded_site):
    html = client.get("/policies/?validity=repealed").content.decode()
    assert 'class="empty"' in html
    assert 'href="/policies/"' in html  # a way back to all policies


def test_policy_index_without_policies(client, cms_site):
    response = client.get("/policies/")
    assert response.status_code == 200
    assert 'class="empty"' in response.content.decode()


def test_policy_index_paginates(client, cms_site):
    for n in range(23):
        cms_site.add_policy(f"政策{n:02d}", issue_date=dt.date(2000 + n, 1, 1))
    first = client.get("/policies/").context["policies"]
    assert first.paginator.num_pages == 3
    assert [p.title for p in first.object_list][:2] == ["政策22", "政策21"]
    third = client.get("/policies/?page=3&category=plan").context["policies"]
    assert [p.title for p in third.object_list] == ["政策02", "政策01", "政策00"]
    html = client.get("/policies/?page=2&category=plan").content.decode()
    assert 'href="?page=3&amp;category=plan"' in html  # the filters are kept, in their order
    assert client.get("/policies/?page=999").context["policies"].number == 3


def test_policy_page_shows_metadata_and_targets(client, seeded_site):
    page = seeded_site.pages["000"]
    response = client.get(page.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "孝感市人民政府" in html and "孝感市" in html
    assert 'class="targets"' in html
    assert "培育国家、省、孝感市知识产权示范或优势企业" in html
    assert '<h2 class="body-heading"' in html and "二、工作目标" in html
    assert "<title>孝感强市建设实施方案" in html
    assert '<nav class="breadcrumbs' in html and 'href="/policies/"' in html


def test_indicator_targets_helper_returns_plain_dicts(seeded_site):
    targets = seeded_site.pages["003"].indicator_targets()
    assert len(targets) == 5
    pct = next(t for t in targets if t["indicator"].startswith("PCT"))
    assert pct["target_value"] == Decimal(2500)
    assert pct["unit"] == "件" and pct["target_year"] == 2020 and pct["qualifier"] == "reach"
    assert pct["policy_id"] == seeded_site.pages["003"].pk
    assert seeded_site.pages["001"].indicator_targets()[0]["target_value"] == Decimal("32.5")


def test_policy_page_meta_description_uses_the_summary(client, cms_site):
    page = cms_site.add_policy("测试政策", summary="这是一份关于专利导航的政策摘要。")
    html = client.get(page.url).content.decode()
    assert '<meta name="description" content="这是一份关于专利导航的政策摘要。">' in html


def test_english_pages_are_linked_translations(client, seeded_site):
    site = seeded_site
    en_home = site.home.copy_for_translation(site.en)
    en_home.title = "IP Portal"
    en_home.save_revision().publish()
    en_index = site.policies.copy_for_translation(site.en)
    en_index.title = "Policies"
    en_index.save_revision().publish()
    chongqing = site.pages["003"]
    en_policy = chongqing.copy_for_translation(site.en)
    en_policy.title = "Chongqing 13th Five-Year Plan for IP"
    en_policy.summary = "Double the invention patents per 10,000 people by 2020."
    en_policy.save_revision().publish()

    response = client.get("/en/policies/")
    assert response.status_code == 200
    assert [p.title for p in response.context["policies"].object_list] == [
        "Chongqing 13th Five-Year Plan for IP"
    ]
    html = client.get(en_policy.url).content.decode()
    assert en_policy.url.startswith("/en/policies/")
    assert "Double the invention patents per 10,000 people by 2020." in html
    assert 'lang="zh-Hans"' in html  # the Chinese full text is marked as such
    assert "Chongqing IP Office" in html  # snippet names follow the language
    # Absolute links use the host that served the request, not the Site's configured one.
    assert f'hreflang="zh-Hans" href="http://testserver{chongqing.url}"' in html
    assert client.get("/en/").status_code == 200


def test_policy_page_related_policies_and_tags(client, seeded_site):
    page = seeded_site.pages["000"]
    page.related_links.create(related=seeded_site.pages["003"])
    page.tags.add("质押融资")
    page.save_revision().publish()
    html = client.get(page.url).content.decode()
    assert "重庆市知识产权“十三五”发展规划" in html
    assert "质押融资</span>" in html


def test_policy_page_query_count_is_bounded(client, seeded_site, django_assert_max_num_queries):
    page = seeded_site.pages["003"]
    page.related_links.create(related=seeded_site.pages["000"])
    page.tags.add("规划", "专利")
    page.save_revision().publish()
    with django_assert_max_num_queries(25):
        assert client.get(page.url).status_code == 200
    # The page's parts are in the shared cache now: only the content version is read (from
    # the database, as the test cache is per process).
    with django_assert_max_num_queries(1):
        assert client.get(page.url).status_code == 200


def test_policy_index_query_count_is_bounded(client, cms_site, django_assert_max_num_queries):
    for n in range(15):
        cms_site.add_policy(
            f"政策{n}",
            category=PolicyCategory.PLAN if n % 2 else PolicyCategory.WORK_POINTS,
            validity=Validity.VALID,
            region_id="420900" if n % 3 else "500000",
        )
    with django_assert_max_num_queries(24):
        assert client.get("/policies/?category=plan&region=420000").status_code == 200
    with django_assert_max_num_queries(24):
        assert client.get("/policies/?page=2").status_code == 200
    with django_assert_max_num_queries(1):  # cached for this address and content version
        assert client.get("/policies/?page=2").status_code == 200


def test_cached_lists_change_when_content_is_published(client, cms_site):
    cms_site.add_policy("第一份政策", issue_date=dt.date(2020, 1, 1))
    assert "第一份政策" in client.get("/").content.decode()
    assert client.get("/policies/").context["filter_form"].fields["year"].choices[1:] == [
        (2020, "2020")
    ]
    cms_site.add_policy("第二份政策", issue_date=dt.date(2021, 1, 1))
    assert "第二份政策" in client.get("/").content.decode()  # the cached fragment was replaced
    years = client.get("/policies/").context["filter_form"].fields["year"].choices[1:]
    assert years == [(2021, "2021"), (2020, "2020")]


def test_policy_page_cache_follows_edits(client, cms_site):
    page = cms_site.add_policy("缓存测试", summary="旧摘要")
    assert "旧摘要" in client.get(page.url).content.decode()
    page.summary = "新摘要"
    page.save_revision().publish()
    assert "新摘要" in client.get(page.url).content.decode()
