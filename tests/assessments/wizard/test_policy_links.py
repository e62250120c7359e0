"""The results page links the related policies of its own language, listed the Chinese way."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from assessments.wizard import selectors
from cms import demo as cms_demo
from tests import factories

pytestmark = pytest.mark.django_db


class _Quiet:
    def write(self, *args, **kwargs) -> None:
        pass


class _NoStyle:
    def __getattr__(self, name):
        return lambda text: text


@pytest.fixture
def policies(db):
    cms_demo.load(_Quiet(), _NoStyle())


def test_policy_links_are_in_the_language_asked_for(policies):
    with translation.override("zh-hans"):
        chinese = selectors.policy_links("gbt29490-2023", "zh")
    with translation.override("en"):
        english = selectors.policy_links("gbt29490-2023", "en")
    assert chinese and english
    assert all(not url.startswith("/en/") for _title, url in chinese)
    assert all(url.startswith("/en/") for _title, url in english)
    assert all(re.search(r"[\u4e00-\u9fff]", title) for title, _url in chinese)


def test_the_chinese_results_page_lists_policies_with_the_chinese_comma(client, owner, policies):
    submission = factories.make_submission(owner.membership.enterprise, user=owner)
    client.force_login(owner)
    html = client.get(reverse("wizard:results", args=[submission.pk])).content.decode()
    links = re.search(r"相关政策：(.*?)</p>", html, re.S).group(1)
    assert "</a>、<a" in links
    assert "</a>, <a" not in links
