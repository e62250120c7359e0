"""Site search: Chinese words inside body paragraphs, filters, pagination, highlighting.

Database-agnostic: the same assertions hold on SQLite (FTS5) and PostgreSQL.
"""

from __future__ import annotations

from tests.cms.conftest import seed_text


def _results(client, query: str, url: str = "/search/"):
    response = client.get(url, {"q": query} if isinstance(query, str) else query)
    assert response.status_code == 200
    return response


BODY_WORDS = [
    ("石墨烯", "003"),  # only in a paragraph of the Chongqing plan
    ("盐业化工", "000"),  # only in the Xiaogan plan's measures
    ("紫金", "001"),  # 紫金知识产权国际峰会, Jiangsu
    ("关中", "002"),  # "关中—天水"经济区
    ("审查员实践基地", "004"),  # Zhongguancun
]


def test_words_inside_body_paragraphs_find_their_document_first(client, seeded_site):
    for word, seed in BODY_WORDS:
        page = seeded_site.pages[seed]
        assert word not in page.title and word not in page.summary
        assert [n for n in seeded_site.pages if word in seed_text(n)] == [seed]
        hits = _results(client, word).context["hits"]
        assert hits and hits[0].page.pk == page.pk, word


def test_more_frequent_body_word_ranks_its_document_first(client, cms_site):
    once = cms_site.add_policy(
        "甲文件", body=[{"type": "paragraph", "value": "<p>开展专利导航工作。</p>"}]
    )
    often = cms_site.add_policy(
        "乙文件",
        body=[
            {"type": "paragraph", "value": f"<p>第{n}项：深化专利导航，推进专利导航项目。</p>"}
            for n in range(6)
        ],
    )
    hits = _results(client, "专利导航").context["hits"]
    assert [hit.page.pk for hit in hits] == [often.pk, once.pk]


def test_search_for_pledge_financing_finds_every_document_that_mentions_it(client, seeded_site):
    hits = _results(client, "质押融资").context["hits"]
    found = {hit.page.pk for hit in hits}
    expected = {seeded_site.pages[n].pk for n in ["000", "001", "003", "004"]}
    assert expected <= found
    assert seeded_site.pages["002"].pk not in found


def test_results_show_title_authority_date_and_escaped_highlight(client, seeded_site):
    response = _results(client, "石墨烯")
    html = response.content.decode()
    assert "重庆市知识产权“十三五”发展规划" in html
    assert "重庆市知识产权局" in html
    assert 'datetime="2017-04-01"' in html
    assert "<mark>石墨烯</mark>" in html


def test_query_is_escaped(client, seeded_site):
    html = _results(client, '<script>alert("x")</script>').content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html


def test_search_filters(client, seeded_site):
    site = seeded_site
    hits = _results(client, {"q": "质押融资", "validity": "valid"}).context["hits"]
    assert [h.page.pk for h in hits] == [site.pages["003"].pk]
    hits = _results(client, {"q": "质押融资", "region": "110000"}).context["hits"]
    assert [h.page.pk for h in hits] == [site.pages["004"].pk]
    hits = _results(client, {"q": "质押融资", "year": "2020"}).context["hits"]
    assert [h.page.pk for h in hits] == [site.pages["001"].pk]
    hits = _results(client, {"q": "质押融资", "category": "work_points"}).context["hits"]
    assert [h.page.pk for h in hits] == [site.pages["001"].pk]
    hits = _results(
        client, {"q": "质押融资", "authority": str(site.authorities["hubei"].pk)}
    ).context["hits"]
    assert [h.page.pk for h in hits] == [site.pages["000"].pk]


def test_search_paginates(client, cms_site):
    for n in range(13):
        cms_site.add_policy(
            f"第{n}号文件",
            body=[{"type": "paragraph", "value": "<p>推动专利导航服务在园区落地。</p>"}],
        )
    first = _results(client, "专利导航").context["results"]
    assert first.paginator.count == 13 and first.paginator.num_pages == 2
    second = _results(client, {"q": "专利导航", "page": "2"}).context["results"]
    assert len(second.object_list) == 3


def test_notices_are_searchable_and_drafts_are_not(client, cms_site, notice):
    draft = cms_site.add_policy("草稿政策", summary="独一无二的草稿关键词灰犀牛")
    draft.unpublish()
    hits = _results(client, "自评估").context["hits"]
    assert [h.page.pk for h in hits] == [notice.pk]
    assert hits[0].kind == "notice"
    assert _results(client, "灰犀牛").context["hits"] == []


def test_empty_and_unmatched_queries(client, seeded_site):
    response = _results(client, "")
    assert response.context["hits"] == []
    html = _results(client, "量子引力波").content.decode()
    assert 'class="empty"' in html


def test_english_search_uses_the_english_tree(client, seeded_site):
    site = seeded_site
    for page in (site.home, site.policies):
        page.copy_for_translation(site.en).save_revision().publish()
    en_policy = site.pages["003"].copy_for_translation(site.en)
    en_policy.title = "Chongqing IP plan"
    en_policy.summary = "Targets for graphene and other industries."
    en_policy.save_revision().publish()
    hits = _results(client, "graphene", url="/en/search/").context["hits"]
    assert [h.page.pk for h in hits] == [en_policy.pk]
    # The Chinese full text was copied with the translation and stays searchable.
    hits = _results(client, "石墨烯", url="/en/search/").context["hits"]
    assert [h.page.pk for h in hits] == [en_policy.pk]
