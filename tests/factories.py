"""factory_boy factories shared by the test suite."""

from __future__ import annotations

import datetime as dt
import itertools

import factory
from django.contrib.auth.models import Group

from assessments.samples import IP_ENTERPRISE_SAMPLE, conformity_answers
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


def scheme_version(code: str = "ip-enterprise", version: int | None = None):
    """A published version of a shipped scheme (the newest unless ``version`` is given),
    loading the shipped files on first use."""
    from assessments.models import SchemeVersion
    from assessments.schemes.services import load_builtin_schemes

    published = SchemeVersion.objects.filter(scheme__code=code, status="published")
    if version is not None:
        published = published.filter(version=version)
    if not published.exists():
        load_builtin_schemes()
    return published.order_by("-version")[:1].get()


IP_ENTERPRISE_ANSWERS = IP_ENTERPRISE_SAMPLE  # scores 72.00 + bonus 2.00 -> demonstration


def gbt_answers(
    code: str = "gbt29490-2023", answer: str = "full", prerequisites: bool = True
) -> dict:
    """Every conformity item of a GB/T 29490 scheme answered the same way."""
    return conformity_answers(
        scheme_version(code).engine_scheme, answer, prerequisites=prerequisites
    )


def make_submission(
    enterprise=None,
    code: str = "ip-enterprise",
    answers: dict | None = None,
    user=None,
    on: dt.date | None = None,
    language: str = "zh-hans",
):
    """A frozen submission scored by the engine (bypasses the wizard)."""
    from assessments.submissions import freeze_answers

    enterprise = enterprise or EnterpriseFactory()
    version = scheme_version(code)
    if answers is None:
        answers = dict(IP_ENTERPRISE_ANSWERS) if code == "ip-enterprise" else gbt_answers(code)
    return freeze_answers(
        enterprise=enterprise,
        version=version,
        answers=answers,
        user=user,
        on=on or dt.date.today(),
        language=language,
    )
