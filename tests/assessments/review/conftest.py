"""Fixtures of the review tests: an open programme for 湖北省, reviewers, applications."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation

from assessments.review import services
from assessments.review.models import Application, Programme
from assessments.review.transitions import perform
from portal.accounts.choices import MemberRole
from portal.accounts.models import Region
from tests import factories


def make_programme(code: str = "hb-2026-advantage", regions=("420000",), **kw) -> Programme:
    now = timezone.now()
    fields = {
        "title_zh": "2026 年度知识产权优势企业申报",
        "title_en": "2026 IP advantage enterprise call",
        "scheme_version": factories.scheme_version("ip-enterprise"),
        "opens_at": now - dt.timedelta(days=1),
        "closes_at": now + dt.timedelta(days=30),
        "status": Programme.Status.OPEN,
        "objection_days": 7,
        **kw,
    }
    programme = Programme.objects.create(code=code, **fields)
    programme.regions.set(Region.objects.filter(code__in=regions))
    return programme


@pytest.fixture(autouse=True)
def _english_messages():
    """Service messages are asserted in English; pages choose their language by URL."""
    with translation.override("en"):
        yield


@pytest.fixture
def programme(db):
    return make_programme()


@pytest.fixture
def member(enterprise):
    return factories.company_user(enterprise, role=MemberRole.MEMBER, username="member-a")


@pytest.fixture
def reviewer(db):
    return factories.reviewer(["420000"], username="rev-hubei")


@pytest.fixture
def other_reviewer(db):
    return factories.reviewer(["420000"], username="rev-hubei-2")


@pytest.fixture
def lead(db):
    return factories.reviewer(["420000"], lead=True, username="lead-hubei")


@pytest.fixture
def outsider(db):
    """A reviewer for 广东省 only."""
    return factories.reviewer(["440000"], username="rev-guangdong")


@pytest.fixture
def submission(enterprise, owner):
    return factories.make_submission(enterprise, user=owner)


@pytest.fixture
def application(owner, programme, submission) -> Application:
    return services.apply(owner, programme, submission)


def advance(application: Application, actor, *actions: str, reason: str = "ok") -> Application:
    for action in actions:
        application.refresh_from_db()
        perform(application, action, actor, reason=reason)
    application.refresh_from_db()
    return application


def assigned(application: Application, reviewer) -> Application:
    services.assign(application, reviewer, reviewer, application.version)
    application.refresh_from_db()
    return application
