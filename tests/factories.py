"""factory_boy factories shared by the test suite.

Team rules: read /work/TEAM_BRIEF.md before changing anything in this repository.
"""

from __future__ import annotations

import datetime as dt
import itertools

import factory
from django.contrib.auth.models import Group

from portal.accounts.choices import EnterpriseSize, Industry, MemberRole, Roles
from portal.accounts.credit_code import code_check_character, org_check_character
from portal.accounts.models import Enterprise, Membership, Region, ReviewerProfile, User

PASSWORD = "correct-horse-battery-staple"

_serial = itertools.count(1)
_ORG_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def valid_credit_code(region: str = "420900", n: int | None = None) -> str:
    """A fresh credit code with correct check characters (positions 17 and 18)."""
    n = next(_serial) if n is None else n
    body = ""
    for _ in range(8):
        n, r = divmod(n, 31)
        body = _ORG_ALPHABET[r] + body
    body = ("MA" + body)[-8:]
    head = "91" + region + body + org_check_character(body)
    return head + code_check_character(head)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*Group.objects.filter(name__in=extracted))


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"测试企业{n}有限公司")
    credit_code = factory.LazyFunction(valid_credit_code)
    region = factory.LazyFunction(lambda: Region.objects.get(code="420900"))
    industry = Industry.C
    size = EnterpriseSize.SMALL
    founded_on = dt.date(2015, 1, 1)
    contact_name = "李雷"
    contact_phone = "13900001111"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    enterprise = factory.SubFactory(EnterpriseFactory)
    role = MemberRole.OWNER


def company_user(enterprise: Enterprise | None = None, role: str = MemberRole.OWNER, **kw) -> User:
    """A user who is a member (owner by default) of an enterprise, with the role's group."""
    from portal.accounts.services import add_member

    user = UserFactory(**kw)
    add_member(user, enterprise or EnterpriseFactory(), role)
    return user


def reviewer(regions: list[str] = ("420000",), lead: bool = False, **kw) -> User:
    groups = [Roles.REVIEWER] + ([Roles.LEAD_REVIEWER] if lead else [])
    user = UserFactory(groups=groups, **kw)
    profile = ReviewerProfile.objects.create(user=user, is_lead=lead)
    profile.regions.set(Region.objects.filter(code__in=regions))
    return user


# --- Assessments ---------------------------------------------------------------------------


def scheme_version(code: str = "ip-enterprise"):
    """The published version of a shipped scheme, loading the shipped files on first use."""
    from assessments.models import SchemeVersion
    from assessments.schemes.services import load_builtin_schemes

    version = (
        SchemeVersion.objects.filter(scheme__code=code, status="published")
        .order_by("-version")
        .first()
    )
    if version is None:
        load_builtin_schemes()
        version = SchemeVersion.objects.get(scheme__code=code, status="published")
    return version


IP_ENTERPRISE_ANSWERS = {
    "revenue_3y": 50000,
    "rd_expense_3y": 2000,
    "patent_product_revenue_3y": 20000,
    "ip_budget_3y": 60,
    "valid_invention_patents": 12,
    "valid_utility_patents": 20,
    "valid_design_patents": 2,
    "patent_apps_3y": 30,
    "invention_apps_3y": 18,
    "invention_grants_3y": 9,
    "foreign_apps_total": 2,
    "trademarks": 5,
    "copyrights": 3,
    "other_ip": 0,
    "ip_transactions_3y": 150,
    "core_staff_trained_pct": 70,
    "founded_on": "2016-05-01",
    "C1": "occasional",
    "M1": "cert_2023",
    "M2": "documented",
    "M3": "paid",
    "M4": "one_fulltime",
    "M8": "major_projects",
    "M9": "agreements",
    "M10": "procedure",
    "B1": True,
    "V1": False,
    "V2": False,
    "V3": False,
    "V4": False,
    "V5": False,
    "V6": False,
}  # scores 72.00 + bonus 2.00 -> demonstration


def gbt_answers(
    code: str = "gbt29490-2023", answer: str = "full", prerequisites: bool = True
) -> dict:
    """Every conformity item of a GB/T 29490 scheme answered the same way."""
    scheme = scheme_version(code).engine_scheme
    answers = {item.code: answer for item in scheme.items}
    answers.update({p.key: prerequisites for p in scheme.prerequisites})
    return answers


def make_submission(
    enterprise=None,
    code: str = "ip-enterprise",
    answers: dict | None = None,
    user=None,
    on: dt.date | None = None,
    language: str = "zh-hans",
):
    """A frozen submission scored by the engine (bypasses the wizard)."""
    from assessments import engine
    from assessments.models import Assessment, Submission

    enterprise = enterprise or EnterpriseFactory()
    version = scheme_version(code)
    if answers is None:
        answers = dict(IP_ENTERPRISE_ANSWERS) if code == "ip-enterprise" else gbt_answers(code)
    on = on or dt.date.today()
    result = engine.score(version.engine_scheme, answers, on)
    data = engine.result_to_dict(result)
    import json

    stored = json.loads(engine.dumps(data))
    assessment = Assessment.objects.create(
        enterprise=enterprise,
        scheme=version.scheme,
        scheme_version=version,
        status=Assessment.Status.SUBMITTED,
        answers=answers,
        created_by=user,
    )
    return Submission.objects.create(
        enterprise=enterprise,
        assessment=assessment,
        scheme_version=version,
        answers=answers,
        result=stored,
        total=result.total,
        percent=result.percent or 0,
        level=result.level,
        vetoed=result.vetoed,
        assessed_on=on,
        language=language,
        submitted_by=user,
    )
