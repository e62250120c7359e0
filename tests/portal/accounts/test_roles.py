"""portal.accounts.roles: every role question, answered once per request, and losing the group
(or the account) loses every capability of the role."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.review import services as review_services
from portal.accounts import roles
from portal.accounts.choices import Roles
from portal.accounts.models import User
from tests import factories
from tests.assessments.review.conftest import make_programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead():
    return factories.reviewer(["420000"], lead=True, username="lead-hubei")


@pytest.fixture
def world(lead):
    """A firm of 孝感市 with a submission and an application, and a flagged enterprise."""
    firm = factories.EnterpriseFactory(name="甲企业有限公司")
    owner = factories.company_user(firm, username="firm-owner")
    submission = factories.make_submission(firm, user=owner)
    application = review_services.apply(owner, make_programme(), submission)
    flagged = factories.EnterpriseFactory(needs_verification=True, code_check_failed=True)
    return {"submission": submission, "application": application, "flagged": flagged}


def capabilities(world) -> list[tuple[str, str]]:
    """(method, URL) of every page a lead reviewer in scope uses."""
    return [
        ("get", "/en/accounts/verifications/"),
        ("post", f"/en/accounts/verifications/{world['flagged'].pk}/verify/"),
        ("get", f"/en/reports/{world['submission'].pk}/"),
        ("get", "/en/review/"),
        ("get", "/en/review/dashboard/"),
        ("get", f"/en/review/{world['application'].pk}/"),
        ("get", "/en/transfer/"),
        ("get", "/en/transfer/applications/export/"),
    ]


def visit(client, method: str, url: str) -> int:
    return getattr(client, method)(url).status_code


def test_the_lead_reviewer_in_scope_has_every_capability(client, lead, world):
    client.force_login(lead)
    for method, url in capabilities(world):
        if method == "post":
            continue  # the verification is used up by the first POST
        assert visit(client, method, url) == 200, url
    assert visit(client, "post", capabilities(world)[1][1]) == 302
    world["flagged"].refresh_from_db()
    assert not world["flagged"].needs_verification


def _refused(client, world) -> None:
    for method, url in capabilities(world):
        status = visit(client, method, url)
        assert status in (302, 403, 404), f"{method.upper()} {url}: {status}"
        if status == 302:  # only ever to the sign-in page
            assert "/accounts/login/" in client.get(url)["Location"], url
    world["flagged"].refresh_from_db()
    assert world["flagged"].needs_verification  # the POST changed nothing


def test_leaving_the_reviewers_group_removes_every_reviewer_capability(client, lead, world):
    lead.groups.remove(Group.objects.get(name=Roles.REVIEWER))
    # The profile (lead, 湖北省) and the Lead reviewers group stay: neither is enough alone.
    assert lead.reviewer_profile.is_lead and lead.groups.filter(name=Roles.LEAD_REVIEWER).exists()
    client.force_login(lead)
    _refused(client, world)
    user = User.objects.get(pk=lead.pk)
    assert not roles.is_reviewer(user) and not roles.is_lead(user)
    assert roles.region_scope(user) == frozenset()


def test_a_deactivated_reviewer_loses_every_capability(client, lead, world):
    client.force_login(lead)
    User.objects.filter(pk=lead.pk).update(is_active=False)
    _refused(client, world)
    user = User.objects.get(pk=lead.pk)
    assert not any(
        check(user) for check in (roles.is_reviewer, roles.is_lead, roles.is_expert, roles.is_admin)
    )
    assert roles.region_scope(user) == frozenset()


def test_a_profile_without_the_group_is_no_reviewer():
    user = factories.reviewer(["420000"])
    user.groups.clear()
    roles.forget(user)
    assert not roles.is_reviewer(user)
    assert user not in roles.reviewers()


def test_answers_are_read_once_per_user_object(lead):
    user = User.objects.get(pk=lead.pk)
    roles.is_reviewer(user)
    roles.region_scope(user)
    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            assert roles.is_reviewer(user) and roles.is_lead(user)
            assert not roles.is_editor(user) and not roles.is_admin(user)
            assert "420900" in roles.region_scope(user)
    assert len(queries) == 0


def test_region_scope_a_province_brings_its_cities():
    scope = roles.region_scope(factories.reviewer(["420000"]))
    assert {"420000", "420100", "420900"} <= scope
    assert not any(code.startswith("44") for code in scope)
    city = roles.region_scope(factories.reviewer(["420900"]))
    assert city == {"420900"}


def test_each_role_question():
    reviewer = factories.reviewer(["420000"])
    expert = factories.reviewer(["420000"])
    expert.groups.add(Group.objects.get(name=Roles.EXPERT))
    editor = factories.UserFactory(groups=[Roles.EDITOR])
    moderator = factories.UserFactory(groups=[Roles.MODERATOR])
    admin = factories.UserFactory(groups=[Roles.ADMIN])
    superuser = factories.UserFactory(is_superuser=True)
    company = factories.company_user()

    def answers(user):
        return (
            roles.is_reviewer(user),
            roles.is_lead(user),
            roles.is_expert(user),
            roles.is_editor(user),
            roles.is_moderator(user),
            roles.is_admin(user),
        )

    assert answers(reviewer) == (True, False, False, False, False, False)
    assert answers(expert) == (True, False, True, False, False, False)
    assert answers(editor) == (False, False, False, True, False, False)
    assert answers(moderator) == (False, False, False, False, True, False)
    assert answers(admin) == (False, False, False, False, False, True)
    assert answers(superuser) == (True,) * 6
    assert answers(company) == (False,) * 6
    assert answers(AnonymousUser()) == (False,) * 6
    assert answers(None) == (False,) * 6
    assert roles.region_scope(superuser) is None
    assert roles.region_scope(company) == frozenset()


def test_a_lead_by_profile_is_a_lead():
    user = factories.reviewer(["420000"])
    user.reviewer_profile.is_lead = True
    user.reviewer_profile.save()
    assert roles.is_lead(User.objects.get(pk=user.pk))
