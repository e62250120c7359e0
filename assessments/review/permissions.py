"""Who may see and act on applications: reviewers in scope, lead reviewers, the firm's members."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from assessments.review.models import Application, ConflictOfInterest
from portal.accounts.choices import MemberRole, Roles
from portal.accounts.models import User
from portal.accounts.selectors import membership_for, regions_in_scope


def _groups(user: User) -> frozenset[str]:
    """The user's group names, memoised on the user object (one query per request)."""
    cached = getattr(user, "_review_groups", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._review_groups = cached
    return cached


def is_reviewer(user: User | AnonymousUser) -> bool:
    """A signed-in reviewer: a superuser, or a user with a reviewer profile in the group."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return hasattr(user, "reviewer_profile") and bool(
        _groups(user) & {Roles.REVIEWER, Roles.LEAD_REVIEWER}
    )


def is_lead(user: User | AnonymousUser) -> bool:
    if not is_reviewer(user):
        return False
    if user.is_superuser:
        return True
    return bool(user.reviewer_profile.is_lead) or Roles.LEAD_REVIEWER in _groups(user)


def scope(user: User) -> list | None:
    """``regions_in_scope(user)`` evaluated once per user object (None means all regions)."""
    if not hasattr(user, "_review_scope"):
        regions = regions_in_scope(user)
        user._review_scope = None if regions is None else list(regions)
    return user._review_scope


def in_scope(user: User, application: Application) -> bool:
    """Whether the application's enterprise is in the reviewer's regions."""
    if not is_reviewer(user):
        return False
    regions = scope(user)
    if regions is None:
        return True
    return application.enterprise.region_id in {r.pk for r in regions}


def has_conflict(user: User, application: Application) -> bool:
    """Whether ``user`` declared a conflict of interest (memoised on the application object)."""
    cache = application.__dict__.setdefault("_review_conflicts", {})
    if user.pk not in cache:
        cache[user.pk] = ConflictOfInterest.objects.filter(
            application=application, reviewer=user
        ).exists()
    return cache[user.pk]


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
