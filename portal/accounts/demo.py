"""Demo accounts: one per role, all with the development password ``changeme``."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import Group

from portal.accounts.choices import EnterpriseSize, Industry, MemberRole, Roles
from portal.accounts.credit_code import code_check_character, org_check_character
from portal.accounts.models import Enterprise, Membership, Region, ReviewerProfile, User
from portal.accounts.services import add_member

DEMO_PASSWORD = "changeme"  # noqa: S105 - documented development password
DEMO_ENTERPRISE = {
    "name": "孝感示范科技有限公司",
    "region": "420900",  # 孝感市
    "industry": Industry.C,
    "size": EnterpriseSize.MEDIUM,
    "founded_on": dt.date(2015, 6, 18),
    "contact_name": "张敏",
    "contact_phone": "13800138000",
}


def demo_credit_code() -> str:
    """A valid code for the demo enterprise (both check characters computed)."""

    body = "MA4F0K3P"
    head = "91420900" + body + org_check_character(body)
    return head + code_check_character(head)


def _user(username: str, email: str, **extra) -> User:
    user, created = User.objects.get_or_create(
        username=username, defaults={"email": email, **extra}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def load(stdout, style) -> None:
    company = _user("demo-company", "company@example.com", first_name="敏", last_name="张")
    enterprise, _ = Enterprise.objects.update_or_create(
        credit_code=demo_credit_code(),
        defaults={**DEMO_ENTERPRISE, "region": Region.objects.get(code=DEMO_ENTERPRISE["region"])},
    )
    if not Membership.objects.filter(user=company).exists():
        add_member(company, enterprise, MemberRole.OWNER)

    reviewer = _user("demo-reviewer", "reviewer@example.com", first_name="Reviewer")
    reviewer.groups.add(
        Group.objects.get(name=Roles.REVIEWER), Group.objects.get(name=Roles.LEAD_REVIEWER)
    )
    profile, _ = ReviewerProfile.objects.get_or_create(
        user=reviewer, defaults={"is_lead": True, "organisation": "湖北省知识产权局"}
    )
    profile.regions.add(Region.objects.get(code="420000"))  # 湖北省 and all its cities

    editor = _user("demo-editor", "editor@example.com", first_name="Editor")
    editor.groups.add(Group.objects.get(name=Roles.EDITOR))
    moderator = _user("demo-moderator", "moderator@example.com", first_name="Moderator")
    moderator.groups.add(Group.objects.get(name=Roles.MODERATOR))

    admin = _user("demo-admin", "admin@example.com", is_staff=True, is_superuser=True)
    admin.groups.add(Group.objects.get(name=Roles.ADMIN))

    stdout.write(style.MIGRATE_HEADING("Demo accounts (development password: changeme)"))
    for user, role in [
        (company, f"enterprise owner of {enterprise.name} ({enterprise.credit_code})"),
        (reviewer, "lead reviewer, scope 湖北省"),
        (editor, "CMS editor (drafts, submits for moderation)"),
        (moderator, "CMS moderator (approves and publishes)"),
        (admin, "administrator (superuser)"),
    ]:
        stdout.write(f"  {user.username:<16} {role}")
