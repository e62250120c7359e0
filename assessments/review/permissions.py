"""Who may see and act on applications: reviewers in scope, lead reviewers, the firm's members."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from assessments.review.models import Application, ConflictOfInterest
from portal.accounts.choices import MemberRole, Roles
from portal.accounts.models import User
from portal.accounts.selectors import membership_for, regions_in_scope


def is_reviewer(user: User | AnonymousUser) -> bool:
    """A signed-in reviewer: a superuser, or a user with a reviewer profile in the group."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return (
        hasattr(user, "reviewer_profile")
        and user.groups.filter(name__in=(Roles.REVIEWER, Roles.LEAD_REVIEWER)).exists()
    )


def is_lead(user: User | AnonymousUser) -> bool:
    if not is_reviewer(user):
        return False
    if user.is_superuser:
        return True
    return (
        bool(user.reviewer_profile.is_lead) or user.groups.filter(name=Roles.LEAD_REVIEWER).exists()
    )


def in_scope(user: User, application: Application) -> bool:
    """Whether the application's enterprise is in the reviewer's regions."""
    if not is_reviewer(user):
        return False
    regions = regions_in_scope(user)
    if regions is None:
        return True
    return regions.filter(pk=application.enterprise.region_id).exists()


def has_conflict(user: User, application: Application) -> bool:
    return ConflictOfInterest.objects.filter(application=application, reviewer=user).exists()


def can_view_as_reviewer(user: User, application: Application) -> bool:
    return in_scope(user, application)


def firm_role(user: User, application: Application) -> str | None:
    """The user's role in the applying enterprise ("owner"/"member"), or None."""
    membership = membership_for(user)
    if membership is None or membership.enterprise_id != application.enterprise_id:
        return None
    return membership.role


def is_firm_owner(user: User, application: Application) -> bool:
    return firm_role(user, application) == MemberRole.OWNER
