"""A small CMS site built directly (no load_demo): home, indexes, policies from the seeds."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from wagtail.models import Locale, Page, Site

from cms.choices import PolicyCategory, Validity
from cms.demo import body_from_blocks
from cms.models import (
    HomePage,
    IssuingAuthority,
    NoticeIndexPage,
    NoticePage,
    PolicyIndexPage,
    PolicyPage,
)
from cms.seeds import parse_seed

SEED_DIR = Path(__file__).resolve().parents[2] / "cms" / "demo_content"


def seed_text(number: str) -> str:
    return next(SEED_DIR.glob(f"{number}_*.txt")).read_text(encoding="utf-8")


def publish(page: Page, parent: Page) -> Page:
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@dataclass
class CmsSite:
    home: HomePage
    policies: PolicyIndexPage
    notices: NoticeIndexPage
    zh: Locale
    en: Locale
    authorities: dict[str, IssuingAuthority] = field(default_factory=dict)
    pages: dict[str, PolicyPage] = field(default_factory=dict)

    def add_policy(self, title: str, *, body=None, **fields) -> PolicyPage:
        defaults = {
            "authority": self.authorities["hubei"],
            "region_id": "420900",
            "category": PolicyCategory.PLAN,
            "issue_date": dt.date(2022, 1, 1),
            "validity": Validity.VALID,
            "summary": "",
        }
        defaults.update(fields)
        page = PolicyPage(title=title, body=body or [], **defaults)
        return publish(page, self.policies)


SEED_POLICIES = {
    # number: (title, authority key, region, category, issue date, validity)
    "000": (
        "孝感强市建设实施方案",
        "hubei",
        "420900",
        "implementation_plan",
        dt.date(2022, 12, 1),
        "draft",
    ),
    "001": (
        "2020年江苏省知识产权工作要点",
        "jiangsu",
        "320000",
        "work_points",
        dt.date(2020, 4, 1),
        "expired",
    ),
    "002": (
        "争创知识产权示范市工作要点",
        "shaanxi",
        "610000",
        "work_points",
        dt.date(2010, 1, 1),
        "expired",
    ),
    "003": (
        "重庆市知识产权“十三五”发展规划",
        "chongqing",
        "500000",
        "plan",
        dt.date(2017, 4, 1),
        "valid",
    ),
    "004": (
        "中关村知识产权行动方案",
        "beijing",
        "110000",
        "action_plan",
        dt.date(2019, 1, 1),
        "expired",
    ),
}


@pytest.fixture
def cms_site(db) -> CmsSite:
    zh = Locale.objects.get_or_create(language_code="zh-hans")[0]
    en = Locale.objects.get_or_create(language_code="en")[0]
    root = Page.get_first_root_node()
    home = HomePage(title="知识产权服务平台", slug="portal-home", locale=zh)
    home = publish(home, root)
    site = Site.objects.get(is_default_site=True)
    site.root_page = home
    site.save()
    policies = publish(PolicyIndexPage(title="政策文件", slug="policies"), home)
    notices = publish(NoticeIndexPage(title="通知公告", slug="notices"), home)
    authorities = {
        key: IssuingAuthority.objects.create(name_zh=zh_name, name_en=en_name, region_id=region)
        for key, zh_name, en_name, region in [
            ("hubei", "孝感市人民政府", "Xiaogan Municipal Government", "420900"),
            ("jiangsu", "江苏省知识产权局", "Jiangsu IP Office", "320000"),
            ("shaanxi", "市知识产权局", "Municipal IP Office", "610000"),
            ("chongqing", "重庆市知识产权局", "Chongqing IP Office", "500000"),
            ("beijing", "中关村管委会", "Zhongguancun Administrative Committee", "110000"),
        ]
    }
    return CmsSite(home, policies, notices, zh, en, authorities)


@pytest.fixture
def seeded_site(cms_site) -> CmsSite:
    """The five seed documents as policy pages (cleaned and structured by ``parse_seed``)."""

    for number, (title, authority, region, category, issued, validity) in SEED_POLICIES.items():
        parsed = parse_seed(seed_text(number), title=title)
        cms_site.pages[number] = cms_site.add_policy(
            title,
            body=body_from_blocks(parsed.blocks),
            authority=cms_site.authorities[authority],
            region_id=region,
            category=category,
            issue_date=issued,
            validity=validity,
            summary=parsed.paragraphs[0][:120],
        )
    return cms_site


@pytest.fixture
def notice(cms_site) -> NoticePage:
    return publish(
        NoticePage(
            title="关于开展企业知识产权自评估工作的通知",
            date=dt.date(2026, 11, 16),
            summary="请在截止日期前完成自评估。",
            application_deadline=dt.datetime(2030, 3, 31, 9, 0, tzinfo=dt.UTC),
        ),
        cms_site.notices,
    )
