"""Ranked site search over the stored search documents: field weights, term frequency,
traditional characters, numbers in snippets, and one query per page of results."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms import fulltext
from cms.models import SearchDocument
from cms.search import query_terms


def _hit_titles(client, query, **params) -> list[str]:
    response = client.get("/search/", {"q": query, **params})
    assert response.status_code == 200
    return [hit.page.title for hit in response.context["hits"]]


def _paragraph(text: str) -> dict:
    return {"type": "paragraph", "value": f"<p>{text}</p>"}


def test_title_outranks_index_number_outranks_frequent_body_mentions(client, cms_site):
    cms_site.add_policy(
        "正文多次提到",
        body=[_paragraph("推进专利导航。专利导航项目。专利导航服务。") for _ in range(4)],
    )
    cms_site.add_policy("元数据提到", index_number="专利导航-2022-001", body=[_paragraph("其他。")])
    cms_site.add_policy("专利导航实施方案", body=[_paragraph("其他内容。")])
    cms_site.add_policy("毫不相关", body=[_paragraph("商标品牌建设。")])
    assert _hit_titles(client, "专利导航") == ["专利导航实施方案", "元数据提到", "正文多次提到"]


def test_six_mentions_and_a_tag_outrank_one_mention(client, cms_site):
    once = cms_site.add_policy("甲", body=[_paragraph("开展质押融资。")])
    often = cms_site.add_policy("乙", body=[_paragraph("质押融资。") for _ in range(6)])
    often.tags.add("质押融资")
    often.save_revision().publish()
    assert _hit_titles(client, "质押融资") == [often.title, once.title]


def test_traditional_query_finds_simplified_pages_and_the_other_way_round(client, cms_site):
    cms_site.add_policy("专利导航工作方案", body=[_paragraph("开展专利导航。")])
    cms_site.add_policy("專利導航試點", body=[_paragraph("傳統字文件。")])
    assert query_terms("專利導航") == query_terms("专利导航")
    assert set(_hit_titles(client, "專利導航")) == {"专利导航工作方案", "專利導航試點"}
    assert set(_hit_titles(client, "专利导航")) == {"专利导航工作方案", "專利導航試點"}


def test_snippets_keep_numbers_and_units(client, cms_site):
    cms_site.add_policy(
        "培育方案",
        body=[
            {
                "type": "target",
                "value": {
                    "indicator": "培育示范或优势企业",
                    "qualifier": "at_least",
                    "target_value": "60",
                    "unit": "家",
                    "target_year": 2025,
                    "note": "",
                },
            },
            _paragraph("每万人口高价值发明专利拥有量达到12.5件。"),
        ],
    )
    html = client.get("/search/", {"q": "优势企业"}).content.decode()
    assert "不少于60家" in html
    html = client.get("/search/", {"q": "拥有量"}).content.decode()
    assert "12.5件" in html


def test_results_show_validity_and_document_number(client, cms_site):
    cms_site.add_policy("知识产权强市方案", document_number="孝政发〔2022〕8号", validity="expired")
    html = client.get("/search/", {"q": "强市"}).content.decode()
    assert "孝政发〔2022〕8号" in html
    assert "validity-expired" in html


def test_unpublished_pages_leave_the_results(client, cms_site):
    page = cms_site.add_policy("专利导航方案")
    assert SearchDocument.objects.filter(page=page).exists()
    page.unpublish()
    assert not SearchDocument.objects.filter(page=page).exists()
    assert _hit_titles(client, "专利导航") == []


def test_one_statement_returns_the_page_and_the_count(cms_site):
    for n in range(25):
        cms_site.add_policy(f"专利导航方案{n}", body=[_paragraph("专利导航。" * (n + 1))])
    terms = query_terms("专利导航")
    with CaptureQueriesContext(connection) as queries:
        ranked = fulltext.ranked(terms, cms_site.zh.pk, limit=10, offset=10)
    assert ranked.total == 25
    assert len(ranked.hits) == 10
    assert len(queries) == 1


def test_search_query_count_does_not_grow_with_matches(
    client, cms_site, django_assert_max_num_queries
):
    for n in range(30):
        cms_site.add_policy(f"质押融资方案{n}")
    client.get("/search/", {"q": "质押融资", "page": "3"})  # warm the filter choices
    with django_assert_max_num_queries(12):
        response = client.get("/search/", {"q": "质押融资", "page": "2"})
    assert len(response.context["hits"]) == 10


def test_rebuild_rewrites_the_documents(cms_site):
    from io import StringIO

    from django.core.management import call_command

    page = cms_site.add_policy("专利导航方案")
    SearchDocument.objects.filter(page=page).update(title_terms="", body_terms="")
    assert fulltext.ranked(query_terms("专利导航"), cms_site.zh.pk).total == 0
    out = StringIO()
    call_command("rebuild_search", stdout=out)
    assert "search documents written" in out.getvalue()
    assert fulltext.ranked(query_terms("专利导航"), cms_site.zh.pk).total == 1
