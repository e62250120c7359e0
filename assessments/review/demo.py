"""Demo content for the review workflow: an open programme for 湖北省 (conferring 湖北省知识产权
优势企业 and 示范企业, issued by 湖北省知识产权局), applications in several states and three
recognised enterprises: one certificate valid, one suspended, one revoked. Idempotent."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from assessments.demo import DEMO_VERSION
from assessments.models import Submission
from assessments.review import certificates, services
from assessments.review.models import (
    Application,
    Certificate,
    Programme,
    ProgrammeRecognition,
    State,
)
from assessments.review.transitions import perform
from assessments.samples import ip_enterprise_sample
from assessments.schemes.selectors import get_version
from assessments.submissions import freeze_answers
from cms.models import IssuingAuthority, NoticePage
from portal.accounts import roles
from portal.accounts.choices import EnterpriseSize, Industry, MemberRole, Roles
from portal.accounts.credit_code import code_check_character, org_check_character
from portal.accounts.models import Enterprise, Membership, Region, User
from portal.accounts.services import add_member

PROGRAMME_CODE = "hb-2026-advantage"
DEMO_PASSWORD = "changeme"  # noqa: S105 - documented development password

BASE_ANSWERS = ip_enterprise_sample(founded_on="2014-03-01")

# (username, enterprise name, city, org-code body, answer changes, target state)
FIRMS = [
    ("demo-firm-wuhan", "武汉光谷芯材科技有限公司", "420100", "MA4K7W11", {"M2": "implemented", "C1": "systematic"}, "recognised"),
    ("demo-firm-yichang", "宜昌三峡新能源装备有限公司", "420500", "MA4K7W22", {}, "public_notice"),
    ("demo-firm-xiangyang", "襄阳汉江汽车零部件有限公司", "420600", "MA4K7W33", {"M1": "implementing"}, "expert_review"),
    ("demo-firm-jingzhou", "荆州楚韵生物医药有限公司", "421000", "MA4K7W44", {"M4": "part_time", "ip_budget_3y": 20}, "returned"),
    ("demo-firm-huanggang", "黄冈大别山农业科技有限公司", "421100", "MA4K7W55", {"patent_product_revenue_3y": 8000}, "formal_check"),
    ("demo-firm-shiyan", "十堰武当精密机械有限公司", "420300", "MA4K7W66", {}, "recognised"),
    ("demo-firm-xiaogan", "孝感云梦新材料有限公司", "420900", "MA4K7W77", {}, "recognised"),
]  # fmt: skip

# Certificates changed after recognition, so that verification shows every status:
# username: (action, reason).
CERTIFICATE_CHANGES = {
    "demo-firm-shiyan": ("suspend", "年度复核材料未按期提交，暂停证书效力。"),
    "demo-firm-xiaogan": ("revoke", "经查申报材料中专利数据不实，撤销认定。"),
}

AUTHORITY = ("湖北省知识产权局", "Hubei Provincial Intellectual Property Administration", "420000")
RECOGNITIONS = [
    # level, Chinese title, English title, code in certificate numbers
    ("advantage", "湖北省知识产权优势企业", "Hubei IP Advantage Enterprise", "YS"),
    ("demonstration", "湖北省知识产权示范企业", "Hubei IP Demonstration Enterprise", "SF"),
]


def _credit_code(city: str, body: str) -> str:
    head = "91" + city + body + org_check_character(body)
    return head + code_check_character(head)


def _firm(username: str, name: str, city: str, body: str) -> tuple[Enterprise, User]:
    region = Region.objects.get(code=city)
    enterprise, _ = Enterprise.objects.get_or_create(
        credit_code=_credit_code(city, body),
        defaults={
            "name": name,
            "region": region,
            "industry": Industry.C,
            "size": EnterpriseSize.MEDIUM,
            "founded_on": dt.date(2014, 3, 1),
            "contact_name": "王芳",
            "contact_phone": "13900000000",
        },
    )
    user, created = User.objects.get_or_create(
        username=username, defaults={"email": f"{username}@example.com"}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    if not Membership.objects.filter(user=user).exists():
        add_member(user, enterprise, MemberRole.OWNER)
    return enterprise, user


def _submission(enterprise: Enterprise, user: User, answers: dict) -> Submission:
    existing = Submission.objects.filter(
        enterprise=enterprise, scheme_version__scheme__code="ip-enterprise"
    ).first()
    if existing is not None:
        return existing
    return freeze_answers(
        enterprise=enterprise,
        version=get_version("ip-enterprise", DEMO_VERSION),
        answers=answers,
        user=user,
    )


def _programme() -> Programme:
    now = timezone.now()
    programme, created = Programme.objects.get_or_create(
        code=PROGRAMME_CODE,
        defaults={
            "title_zh": "2026 年度知识产权优势企业申报",
            "title_en": "2026 call for IP advantage enterprises",
            "description_zh": "面向湖北省企业。以“知识产权优势/示范企业评价”自评结果申报，"
            "达到优势企业水平（55 分）及以上且无否决项者可申报。经形式审查、专家评审、公示后认定。",
            "description_en": "For enterprises in Hubei. Apply with an IP advantage / demonstration enterprise self-assessment "
            "at advantage level (55 points) or above and no veto item. Formal check, expert review "
            "and public notice precede recognition.",
            "scheme_version": get_version("ip-enterprise", DEMO_VERSION),
            "min_level": "advantage",
            "opens_at": now - dt.timedelta(days=30),
            "closes_at": now + dt.timedelta(days=60),
            "objection_days": 7,
            "quota": 20,
            "status": Programme.Status.OPEN,
        },
    )
    if created:
        programme.regions.set(Region.objects.filter(code="420000"))
    if programme.issuing_authority_id is None:
        name_zh, name_en, region = AUTHORITY
        programme.issuing_authority, _ = IssuingAuthority.objects.get_or_create(
            name_zh=name_zh, defaults={"name_en": name_en, "region_id": region}
        )
        programme.save(update_fields=["issuing_authority"])
    for level, title_zh, title_en, code in RECOGNITIONS:
        ProgrammeRecognition.objects.get_or_create(
            programme=programme,
            level=level,
            defaults={"title_zh": title_zh, "title_en": title_en, "number_code": code},
        )
    if programme.announcement_id is None:
        notice = NoticePage.objects.live().filter(title__contains="优势企业").first()
        if notice is not None:
            programme.announcement = notice
            programme.save(update_fields=["announcement"])
    return programme


def _drive(application: Application, target: str, reviewer: User) -> None:
    """Move a fresh application along the path to ``target`` as the demo lead reviewer."""

    def step(action: str, reason: str = "") -> None:
        application.refresh_from_db()
        perform(application, action, reviewer, reason=reason)

    if target == State.SUBMITTED:
        return
    services.assign(application, reviewer, reviewer, application.version)
    step("start_formal_check")
    if target == State.FORMAL_CHECK:
        return
    if target == State.RETURNED:
        application.refresh_from_db()
        services.request_changes(
            application,
            reviewer,
            ["M4", "M6"],
            {
                "M4": "请提供知识产权管理人员的劳动合同或任命文件。",
                "M6": "知识产权经费数据与审计报告不一致，请核对后更正。",
            },
            "请补正 M4、M6 两项后重新提交。",
            application.version,
        )
        return
    step("pass_formal_check")
    application.refresh_from_db()
    services.save_item_reviews(
        application,
        reviewer,
        {"C1": services.ItemInput(message="专利信息利用有检索记录，认可。")},
        application.version,
    )
    if target == State.EXPERT_REVIEW:
        return
    step("recommend", "专家组评审：知识产权运用和管理水平较好，建议推荐。")
    step("start_public_notice")
    if target == State.PUBLIC_NOTICE:
        return
    Application.objects.filter(pk=application.pk).update(
        notice_ends_on=timezone.localdate() - dt.timedelta(days=1)
    )
    step("recognise", "公示期满无异议，予以认定。")


def load(stdout, style) -> None:
    stdout.write(style.MIGRATE_HEADING("Programmes and review"))
    reviewer = User.objects.filter(username="demo-reviewer").first()
    if reviewer is None or not roles.is_lead(reviewer):
        stdout.write("  no demo-reviewer (lead) account: review demo skipped")
        return
    if not Group.objects.filter(name=Roles.ENTERPRISE_OWNER).exists():
        stdout.write("  role groups missing: review demo skipped")
        return
    programme = _programme()
    stdout.write(f"  programme {programme.code}: {programme.title_zh} ({programme.status})")
    for username, name, city, body, changes, target in FIRMS:
        enterprise, user = _firm(username, name, city, body)
        if Application.objects.filter(programme=programme, enterprise=enterprise).exists():
            continue
        with transaction.atomic():
            submission = _submission(enterprise, user, {**BASE_ANSWERS, **changes})
            application = services.apply(user, programme, submission)
            _drive(application, target, reviewer)
            if username in CERTIFICATE_CHANGES:
                action, reason = CERTIFICATE_CHANGES[username]
                certificate = Certificate.objects.get(application=application)
                certificates.change_status(certificate, action, reviewer, reason)
        application.refresh_from_db()
        stdout.write(f"  {name}: {application.get_state_display()} ({username} / {DEMO_PASSWORD})")
    company = (
        Membership.objects.filter(user__username="demo-company")
        .select_related("user", "enterprise")
        .first()
    )
    if company is not None:
        latest = (
            Submission.objects.filter(
                enterprise=company.enterprise, scheme_version=programme.scheme_version
            )
            .order_by("-submitted_at")
            .first()
        )
        has = Application.objects.filter(
            programme=programme, enterprise=company.enterprise
        ).exists()
        if (
            latest is not None
            and not has
            and not latest.vetoed
            and latest.level in ("advantage", "demonstration")
        ):
            services.apply(company.user, programme, latest)
            stdout.write(f"  {company.enterprise.name}: applied with its submission")
        elif not has:
            stdout.write(
                f"  {company.enterprise.name}: can apply after submitting an ip-enterprise self-assessment"
            )
