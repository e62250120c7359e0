"""Policies as structured records: 索引号, subject and the interpretation (解读) on the page."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from cms.choices import PolicySubject
from cms.demo import Report, ensure_workflow
from cms.models import IssuingAuthority


def test_policy_page_shows_index_number_subject_and_interpretation(client, cms_site):
    explained = cms_site.add_policy("关于知识产权强市建设实施方案的解读")
    page = cms_site.add_policy(
        "知识产权强市建设实施方案",
        index_number="114209000116345678/2022-00123",
        subject=PolicySubject.SCIENCE,
        interpretation_page=explained,
    )
    html = client.get(page.url).content.decode()
    assert "114209000116345678/2022-00123" in html
    assert "科技、教育" in html
    assert f'class="interpretation-link" href="{explained.url}"' in html
    assert "阅读本文件的解读" in html


def test_an_unpublished_interpretation_page_is_not_linked(client, cms_site):
    explained = cms_site.add_policy("解读文章")
    page = cms_site.add_policy("实施方案", interpretation_page=explained)
    explained.unpublish()
    assert "interpretation-link" not in client.get(page.url).content.decode()


def test_interpretation_is_a_page_or_an_address_not_both(cms_site):
    page = cms_site.add_policy("实施方案", interpretation_url="https://example.gov.cn/jd.html")
    page.interpretation_page = cms_site.add_policy("解读文章")
    with pytest.raises(ValidationError) as error:
        page.clean()
    assert "interpretation_url" in error.value.message_dict


def test_index_number_is_searchable(client, cms_site):
    page = cms_site.add_policy("实施方案", index_number="114209000116345678/2022-00123")
    response = client.get("/search/", {"q": "114209000116345678"})
    assert [hit.page.pk for hit in response.context["hits"]] == [page.pk]


def test_editor_finds_a_region_by_name_in_the_chooser(client, cms_site, editor):
    ensure_workflow(Report())  # grants the editors' admin permissions
    client.force_login(editor)
    response = client.get("/admin/cms/regions/choose/results/", {"q": "朝阳"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "北京市朝阳区（110105）" in html and "辽宁省朝阳市（211300）" in html
    assert "湖北省" not in html


def test_editor_creates_an_issuing_authority_from_the_chooser(client, cms_site, editor):
    ensure_workflow(Report())
    client.force_login(editor)
    response = client.post(
        "/admin/cms/authorities/choose/create/",
        {"name_zh": "朝阳市市场监督管理局", "name_en": "Chaoyang AMR", "region": "211300"},
    )
    assert response.status_code == 200
    assert IssuingAuthority.objects.filter(name_zh="朝阳市市场监督管理局").exists()
