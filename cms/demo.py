"""Demo content: home page, the five seed policies, notices, help pages, English translations
and the moderation workflow. Idempotent: a second run changes nothing and adds nothing.

The seed texts (public government documents scraped from the web) live in
``cms/demo_content/``; ``cms.seeds.parse_seed`` cleans and structures them. The metadata
below (title, authority, region, dates, category) was read from each document; where the
scraped text gives no date, the year comes from the text and the day is the first of a month
(noted per seed).
"""

from __future__ import annotations

import datetime as dt
import html
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from wagtail.models import (
    GroupApprovalTask,
    GroupPagePermission,
    Locale,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from cms.choices import PolicyCategory, Validity
from cms.models import (
    ContentPage,
    HomePage,
    IssuingAuthority,
    NoticeIndexPage,
    NoticePage,
    PolicyIndexPage,
    PolicyPage,
    PolicyRelatedLink,
)
from cms.seeds import Block, parse_seed
from portal.accounts.models import Region

CONTENT_DIR = Path(__file__).resolve().parent / "demo_content"
WORKFLOW_NAME = "Moderators approval"
DEMO_PUBLISHER = "demo-admin"

AUTHORITIES = {
    "yingcheng": ("应城市人民政府", "Yingcheng Municipal People's Government", "420900"),
    "jiangsu": ("江苏省知识产权局", "Jiangsu Intellectual Property Office", "320000"),
    "shaanxi-city": (
        "市知识产权局（陕西省）",
        "Municipal Intellectual Property Office (Shaanxi)",
        "610000",
    ),
    "chongqing": ("重庆市知识产权局", "Chongqing Intellectual Property Office", "500000"),
    "zhongguancun": (
        "中关村科技园区管理委员会",
        "Administrative Committee of Zhongguancun Science Park",
        "110000",
    ),
}


@dataclass(frozen=True)
class SeedMeta:
    file: str
    slug: str
    title: str
    title_en: str
    authority: str
    region: str
    category: str
    issue_date: dt.date
    validity: str
    summary: str
    summary_en: str
    effective_date: dt.date | None = None
    expiry_date: dt.date | None = None
    document_number: str = ""
    tags: tuple[str, ...] = ()
    related: tuple[str, ...] = ()


# Tags named after assessment schemes ("gbt29490" for 贯标 / GB/T 29490, "ip-enterprise" for the
# demonstration and advantage enterprise scheme) link the policies from the assessment pages.
SEEDS = (
    # 000: the drafting notes of a county-level city in Xiaogan (盐业化工, "孝感县市前列" →
    # 应城市). The plan itself was a 送审稿, hence "draft for comment". Year from the cited
    # 2022 documents; day not stated.
    SeedMeta(
        file="000_17259582287339a0.txt",
        slug="xiaogan-ip-city-implementation-plan",
        title="《关于加快推进国家知识产权强市建设的实施方案》起草说明",
        title_en="Implementation plan for building a national IP-strong city: drafting notes",
        authority="yingcheng",
        region="420900",
        category=PolicyCategory.IMPLEMENTATION_PLAN,
        issue_date=dt.date(2022, 12, 1),
        validity=Validity.DRAFT,
        summary=(
            "面向国家知识产权强县建设试点示范，提出到2025年的主要目标和2023—2025年指标"
            "（专利授权、每万人口高价值发明专利拥有量、质押融资增幅、示范或优势企业数量等），"
            "以及创造、保护、运用、服务、管理五方面21项工作措施。"
        ),
        summary_en=(
            "Targets for 2025 (patent grants, high-value invention patents per 10,000 people, "
            "growth of IP-backed loans, 60 or more demonstration or advantage enterprises) and "
            "21 measures on creating, protecting, using, serving and managing IP."
        ),
        tags=("知识产权强市", "高价值专利", "质押融资", "gbt29490", "ip-enterprise"),
        related=("chongqing-ip-13th-five-year-plan",),
    ),
    # 001: circular of the Jiangsu IP Office issuing the 2020 work points (COVID measures →
    # spring 2020; day not stated).
    SeedMeta(
        file="001_e5a5745fbaa68540.txt",
        slug="jiangsu-ip-work-points-2020",
        title="2020年江苏省知识产权工作要点",
        title_en="Jiangsu Province IP work points for 2020",
        authority="jiangsu",
        region="320000",
        category=PolicyCategory.WORK_POINTS,
        issue_date=dt.date(2020, 4, 1),
        expiry_date=dt.date(2020, 12, 31),
        validity=Validity.EXPIRED,
        summary=(
            "构建知识产权保护、创造运用、公共服务三个体系，提升国际合作、基础保障和统筹协调"
            "能力；万人发明专利拥有量达到32.5件。"
        ),
        summary_en=(
            "Three systems (protection, creation and use, services) and three capabilities; "
            "32.5 invention patents per 10,000 people."
        ),
        tags=("工作要点", "知识产权保护", "质押融资", "gbt29490"),
        related=("shaanxi-ip-demonstration-city-work-points",),
    ),
    # 002: work points of a city in the Guanzhong–Tianshui economic zone (Shaanxi) applying to
    # become a national IP demonstration city; the scraped text lost the city and the years.
    SeedMeta(
        file="002_d8b8a507da2919de.txt",
        slug="shaanxi-ip-demonstration-city-work-points",
        title="争创知识产权示范市工作要点",
        title_en="Work points for becoming a national IP demonstration city",
        authority="shaanxi-city",
        region="610000",
        category=PolicyCategory.WORK_POINTS,
        issue_date=dt.date(2010, 1, 1),
        validity=Validity.EXPIRED,
        summary=(
            "创建国家知识产权示范城市的目标任务：专利申请量增长15%以上、培育试点示范企业30家、"
            "建成6个行业专利数据库、培训1万人次，以及管理、服务、保护体系和企业工作的措施。"
        ),
        summary_en=(
            "Goals for becoming a national IP demonstration city: 15% more patent applications, "
            "30 pilot and demonstration enterprises, six industry patent databases."
        ),
        tags=("示范城市", "工作要点", "ip-enterprise"),
        related=("jiangsu-ip-work-points-2020",),
    ),
    # 003: dates and validity from the page's own metadata (颁布日期, 实施日期, 当前状态).
    SeedMeta(
        file="003_0a5f83c4f7ea3fda.txt",
        slug="chongqing-ip-13th-five-year-plan",
        title="重庆市知识产权“十三五”发展规划",
        title_en="Chongqing 13th Five-Year Plan for Intellectual Property",
        authority="chongqing",
        region="500000",
        category=PolicyCategory.PLAN,
        issue_date=dt.date(2017, 4, 1),
        effective_date=dt.date(2017, 4, 1),
        expiry_date=dt.date(2020, 12, 31),
        validity=Validity.VALID,
        summary=(
            "回顾“十二五”发展基础，提出到2020年建成知识产权强市的目标：每万人口发明专利拥有量"
            "比2015年翻一番、PCT国际专利申请累计2500件、知识产权服务业营业收入年均增长20%，"
            "以及制度建设、保护、创新驱动、产业转型和开放五方面重点工作。"
        ),
        summary_en=(
            "Chongqing's IP plan to 2020: double the invention patents per 10,000 people "
            "compared with 2015, 2,500 PCT applications in total, 20% annual growth of IP "
            "services, and priorities for protection, innovation, industry and opening up."
        ),
        tags=("规划", "十三五", "专利导航", "质押融资", "gbt29490"),
        related=("xiaogan-ip-city-implementation-plan",),
    ),
    # 004: the 2019–2021 action plan; year from the title, day not stated.
    SeedMeta(
        file="004_2e895e8dcb72e919.txt",
        slug="zhongguancun-ip-action-plan-2019-2021",
        title="中关村国家自主创新示范区知识产权行动方案（2019-2021年）",
        title_en="Zhongguancun National Innovation Demonstration Zone IP action plan (2019–2021)",
        authority="zhongguancun",
        region="110000",
        category=PolicyCategory.ACTION_PLAN,
        issue_date=dt.date(2019, 1, 1),
        expiry_date=dt.date(2021, 12, 31),
        validity=Validity.EXPIRED,
        summary=(
            "到2021年有效发明专利拥有量超过15万件、年度PCT专利申请量8000件，"
            "16项任务覆盖创造、保护、运营、国际化和服务业。"
        ),
        summary_en=(
            "By 2021: over 150,000 valid invention patents and 8,000 PCT applications a year; "
            "16 tasks on creation, protection, commercialisation, internationalisation and "
            "IP services."
        ),
        tags=("行动方案", "审查员实践基地", "质押融资"),
        related=("chongqing-ip-13th-five-year-plan",),
    ),
)


@dataclass
class Report:
    entries: list[tuple[str, Page]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, verb: str, page: Page) -> None:
        self.entries.append((verb, page))

    def lines(self) -> list[str]:
        rows = [f"  {verb:<10} {page.url or '-'}  {page.title}" for verb, page in self.entries]
        return rows + self.notes


# --- helpers ----------------------------------------------------------------------------------
def seed_text(meta: SeedMeta) -> str:
    return (CONTENT_DIR / meta.file).read_text(encoding="utf-8")


def body_from_blocks(blocks: list[Block]) -> list[dict]:
    """Raw StreamField data for parsed blocks (headings, paragraphs, indicator targets)."""

    raw: list[dict] = []
    for block in blocks:
        if block.kind == "heading":
            raw.append(
                {"type": "heading", "value": {"text": block.text, "level": f"h{block.level}"}}
            )
        elif block.kind == "paragraph":
            raw.append({"type": "paragraph", "value": f"<p>{html.escape(block.text)}</p>"})
        elif block.kind == "target" and block.target:
            target = block.target
            raw.append(
                {
                    "type": "target",
                    "value": {
                        "indicator": target.indicator,
                        "target_value": str(target.value),
                        "unit": target.unit,
                        "target_year": target.year,
                        "qualifier": target.qualifier,
                        "note": "",
                    },
                }
            )
    return raw


def paragraphs(*texts: str) -> list[dict]:
    return [{"type": "paragraph", "value": f"<p>{html.escape(t)}</p>"} for t in texts]


def _comparable(value) -> object:
    """Field values in a form that compares equal when the content is the same."""

    if hasattr(value, "raw_data"):
        return [
            (b["type"], b["value"])
            for b in json.loads(json.dumps(list(value.raw_data), default=str))
        ]
    if isinstance(value, list):
        return [(b["type"], b["value"]) for b in json.loads(json.dumps(value, default=str))]
    return value


def publish(
    page: Page, parent: Page | None, fields: dict, user, report: Report, verb: str = "updated"
) -> Page:
    """Create ``page`` under ``parent`` (or update the existing one) and publish it if changed."""

    if page.pk is None:
        for name, value in fields.items():
            setattr(page, name, value)
        parent.add_child(instance=page)
        verb = "created"
    else:
        changed = [
            name
            for name, value in fields.items()
            if _comparable(getattr(page, name)) != _comparable(value)
        ]
        if not changed and page.live and not page.has_unpublished_changes:
            report.add("unchanged", page)
            return page
        for name, value in fields.items():
            setattr(page, name, value)
    revision = page.save_revision(user=user, log_action=True)
    revision.publish(user=user)
    page.refresh_from_db()
    report.add(verb, page)
    return page


def translate(page: Page, locale: Locale, fields: dict, user, report: Report) -> Page:
    """The page's translation in ``locale`` (Wagtail's translation copy), updated and published."""

    translation = page.get_translation_or_none(locale)
    verb = "updated"
    if translation is None:
        translation = page.copy_for_translation(locale)
        verb = "translated"
    translation = translation.specific
    return publish(translation, None, fields, user, report, verb=verb)


# --- steps ------------------------------------------------------------------------------------
def ensure_locales() -> tuple[Locale, Locale]:
    zh = Locale.objects.get_or_create(language_code="zh-hans")[0]
    en = Locale.objects.get_or_create(language_code="en")[0]
    return zh, en


def ensure_home(zh: Locale, user, report: Report) -> HomePage:
    """The portal's home page at the site root, replacing Wagtail's welcome page."""

    fields = {
        "title": "知识产权服务平台",
        "seo_title": "知识产权服务平台：企业知识产权自评估、政策与认定",
        "search_description": "企业知识产权管理自评估、政策文件库、通知公告和认定证书查验。",
        "intro": (
            "<p>企业在线完成知识产权管理自评估，获得得分、等级和报告；"
            "查阅各地知识产权政策文件及其量化指标；关注申报通知。</p>"
        ),
    }
    home = HomePage.objects.filter(locale=zh, depth=2).first()
    root = Page.get_first_root_node()
    if home is None:
        home = HomePage(slug="portal-home", locale=zh)
    home = publish(home, root, fields, user, report)

    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    elif site.root_page_id != home.pk:
        old_root = site.root_page
        site.root_page = home
        site.save()
        # Wagtail's "Welcome to your new Wagtail site!" page, if that is what it was.
        if type(old_root.specific) is Page and not old_root.get_children().exists():
            old_root.delete()
    return home


def ensure_authorities() -> dict[str, IssuingAuthority]:
    authorities = {}
    for key, (name_zh, name_en, region) in AUTHORITIES.items():
        authorities[key], _ = IssuingAuthority.objects.update_or_create(
            name_zh=name_zh, defaults={"name_en": name_en, "region_id": region}
        )
    return authorities


def _child(parent: Page, model: type[Page], slug: str) -> Page:
    existing = model.objects.child_of(parent).filter(slug=slug).first()
    return existing or model(slug=slug)


def ensure_policies(index: PolicyIndexPage, user, report: Report) -> dict[str, PolicyPage]:
    authorities = ensure_authorities()
    pages: dict[str, PolicyPage] = {}
    for meta in SEEDS:
        parsed = parse_seed(seed_text(meta), title=meta.title)
        effective = meta.effective_date
        if not effective and parsed.metadata.get("实施日期"):
            effective = dt.date.fromisoformat(parsed.metadata["实施日期"])
        fields = {
            "title": meta.title,
            "document_number": meta.document_number,
            "authority": authorities[meta.authority],
            "region": Region.objects.get(code=meta.region),
            "category": meta.category,
            "issue_date": meta.issue_date,
            "effective_date": effective,
            "expiry_date": meta.expiry_date,
            "validity": meta.validity,
            "summary": meta.summary,
            "search_description": meta.summary[:150],
            "body": body_from_blocks(parsed.blocks),
        }
        page = publish(_child(index, PolicyPage, meta.slug), index, fields, user, report)
        if set(page.tags.names()) != set(meta.tags):
            page.tags.set(meta.tags)
            page.save_revision(user=user).publish(user=user)
            report.add("tagged", page)
        pages[meta.slug] = page
    for meta in SEEDS:
        page = pages[meta.slug]
        wanted = [pages[slug].pk for slug in meta.related]
        if list(page.related_links.values_list("related_id", flat=True)) != wanted:
            page.related_links.set([PolicyRelatedLink(related_id=pk) for pk in wanted])
            page.save_revision(user=user).publish(user=user)
            report.add("linked", page)
    return pages


NOTICE_DEADLINE = dt.datetime(2027, 3, 31, 17, 0)


def ensure_notices(index: NoticeIndexPage, policies: dict[str, PolicyPage], user, report: Report):
    call = publish(
        _child(index, NoticePage, "self-assessment-call-2027"),
        index,
        {
            "title": "关于开展2027年度知识产权优势企业自评估申报工作的通知（演示）",
            "date": dt.date(2026, 11, 16),
            "application_deadline": timezone.make_aware(NOTICE_DEADLINE),
            "summary": "请有意申报知识产权示范或优势企业的企业在截止日期前完成平台自评估并提交报告。",
            "related_policy": policies["xiaogan-ip-city-implementation-plan"],
            "body": paragraphs(
                "各有关企业：",
                "为落实知识产权强市建设实施方案，培育知识产权示范或优势企业，现组织开展2027年度"
                "企业知识产权管理自评估工作。",
                "一、企业登录本平台注册企业账号，完成知识产权管理自评估，并下载自评估报告。",
                "二、自评估结果达到相应等级的企业，可在申报期内通过平台提交申请。",
                "三、本通知为演示内容。",
            ),
        },
        user,
        report,
    )
    launch = publish(
        _child(index, NoticePage, "policy-library-launch"),
        index,
        {
            "title": "知识产权政策文件库上线公告（演示）",
            "date": dt.date(2026, 11, 20),
            "application_deadline": None,
            "summary": "平台政策文件库收录各地知识产权规划、实施方案、工作要点和行动方案，支持全文检索。",
            "body": paragraphs(
                "平台政策文件库现已上线，收录各地知识产权规划、实施方案、工作要点和行动方案，"
                "可按类别、发文机关、地区、年份和效力状态筛选，并支持全文检索和RSS订阅。",
                "本公告为演示内容。",
            ),
        },
        user,
        report,
    )
    return call, launch


def ensure_content_pages(home: HomePage, user, report: Report) -> tuple[ContentPage, ContentPage]:
    about = publish(
        _child(home, ContentPage, "about"),
        home,
        {
            "title": "关于本站",
            "summary": "知识产权服务平台为企业提供知识产权管理自评估、政策查询和认定证书查验服务。",
            "body": paragraphs(
                "企业可以在线完成知识产权管理自评估，获得得分、等级和PDF报告，并据此申报示范或优势企业。",
                "政策文件库收录各地知识产权政策及其量化目标，通知公告发布申报通知。",
            ),
        },
        user,
        report,
    )
    help_page = publish(
        _child(home, ContentPage, "help"),
        home,
        {
            "title": "使用帮助",
            "summary": "注册企业账号、完成自评估、查找政策文件的步骤。",
            "body": [
                {"type": "heading", "value": {"text": "一、注册企业账号", "level": "h2"}},
                *paragraphs("点击页面右上角的“注册”，填写统一社会信用代码和联系人信息。"),
                {"type": "heading", "value": {"text": "二、开始自评估", "level": "h2"}},
                *paragraphs("登录后进入“我的企业”，按步骤回答问题，可随时保存草稿。"),
                {"type": "heading", "value": {"text": "三、查找政策", "level": "h2"}},
                *paragraphs(
                    "在“政策文件”中按类别、发文机关、地区、年份和效力筛选，或使用全文检索。"
                ),
            ],
        },
        user,
        report,
    )
    return about, help_page


def ensure_english(
    home, policy_index, notice_index, policies, notices, about, help_page, en, user, report
):
    en_home = translate(
        home,
        en,
        {
            "title": "IP Portal",
            "seo_title": "IP Portal: enterprise IP self-assessment, policies and certification",
            "search_description": (
                "Self-assess how your enterprise manages intellectual property, read IP "
                "policies and their targets, and follow calls for applications."
            ),
            "intro": (
                "<p>Assess how your enterprise manages intellectual property and get a score, a "
                "level and a report; read regional IP policies and their quantitative targets; "
                "follow calls for applications.</p>"
            ),
        },
        user,
        report,
    )
    translate(
        policy_index,
        en,
        {
            "title": "Policies",
            "intro": "<p>Intellectual-property policies of Chinese governments.</p>",
        },
        user,
        report,
    )
    translate(
        notice_index,
        en,
        {"title": "Notices", "intro": "<p>Notices and calls for applications.</p>"},
        user,
        report,
    )
    for meta in SEEDS:
        translate(
            policies[meta.slug],
            en,
            {
                "title": meta.title_en,
                "summary": meta.summary_en,
                "search_description": meta.summary_en[:150],
                "full_text_language": "zh-hans",
            },
            user,
            report,
        )
    call, _launch = notices
    translate(
        call,
        en,
        {
            "title": "Call: 2027 enterprise IP management self-assessment (demo)",
            "summary": (
                "Enterprises that intend to apply as IP demonstration or advantage enterprises "
                "complete the self-assessment on this portal and submit their report before "
                "the deadline."
            ),
            "body": paragraphs(
                "Register your enterprise on this portal, complete the IP management "
                "self-assessment and download the report.",
                "Enterprises whose result reaches the required level can apply during the "
                "application window. This notice is demo content.",
            ),
        },
        user,
        report,
    )
    translate(
        about,
        en,
        {
            "title": "About",
            "summary": (
                "IP Portal offers enterprises an IP management self-assessment, a policy library "
                "and certificate verification."
            ),
            "body": paragraphs(
                "Enterprises complete the self-assessment online and receive a score, a level and "
                "a PDF report; the policy library lists regional IP policies with their targets."
            ),
        },
        user,
        report,
    )
    translate(
        help_page,
        en,
        {
            "title": "Help",
            "summary": "How to register an enterprise, complete a self-assessment and find policies.",
            "body": [
                {
                    "type": "heading",
                    "value": {"text": "1. Register your enterprise", "level": "h2"},
                },
                *paragraphs(
                    "Choose “Register” at the top right and give your unified social credit code "
                    "and a contact person."
                ),
                {"type": "heading", "value": {"text": "2. Start a self-assessment", "level": "h2"}},
                *paragraphs(
                    "Signed in, open “My enterprise” and answer the questions step by step; your "
                    "answers are saved as you go."
                ),
                {"type": "heading", "value": {"text": "3. Find policies", "level": "h2"}},
                *paragraphs(
                    "Under “Policies”, filter by category, issuing authority, region, year and "
                    "validity, or search the full text."
                ),
            ],
        },
        user,
        report,
    )
    return en_home


def ensure_workflow(report: Report) -> Workflow:
    """Moderators approve everything before it goes live; editors cannot publish."""

    moderators = Group.objects.get(name="Moderators")
    editors = Group.objects.get(name="Editors")
    task = GroupApprovalTask.objects.filter(name=WORKFLOW_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=WORKFLOW_NAME, active=True)
    task.groups.set([moderators])
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    if not workflow.active:
        workflow.active = True
        workflow.save()
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    root = Page.get_first_root_node()
    WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})

    def grant(group: Group, codenames: tuple[str, ...]) -> None:
        for codename in codenames:
            permission = Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            )
            GroupPagePermission.objects.get_or_create(group=group, page=root, permission=permission)

    grant(editors, ("add_page", "change_page"))
    grant(moderators, ("add_page", "change_page", "publish_page", "lock_page", "unlock_page"))
    GroupPagePermission.objects.filter(
        group=editors, permission__codename__in=("publish_page", "bypass_workflow_page")
    ).delete()
    report.notes.append(
        f"  workflow   “{workflow.name}”: editors submit, moderators approve and publish"
    )
    return workflow


def load(stdout, style) -> None:
    user = get_user_model().objects.filter(username=DEMO_PUBLISHER).first()
    report = Report()
    zh, en = ensure_locales()
    home = ensure_home(zh, user, report)
    policy_index = publish(
        _child(home, PolicyIndexPage, "policies"),
        home,
        {
            "title": "政策文件",
            "intro": "<p>各地知识产权规划、实施方案、工作要点和行动方案，附量化指标。</p>",
            "search_description": "知识产权政策文件库：按类别、发文机关、地区、年份和效力筛选。",
        },
        user,
        report,
    )
    notice_index = publish(
        _child(home, NoticeIndexPage, "notices"),
        home,
        {"title": "通知公告", "intro": "<p>申报通知和平台公告。</p>"},
        user,
        report,
    )
    policies = ensure_policies(policy_index, user, report)
    notices = ensure_notices(notice_index, policies, user, report)
    about, help_page = ensure_content_pages(home, user, report)
    ensure_english(
        home, policy_index, notice_index, policies, notices, about, help_page, en, user, report
    )
    ensure_workflow(report)

    stdout.write(style.MIGRATE_HEADING("CMS pages (published by demo-admin)"))
    for line in report.lines():
        stdout.write(line)
