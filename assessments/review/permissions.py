"""Who may see and act on applications: reviewers in scope, the firm's members.

The role questions themselves (reviewer, lead, region scope) are answered by
:mod:`portal.accounts.roles`.
"""

from __future__ import annotations

from assessments.review.models import Application, ConflictOfInterest
from portal.accounts import roles
from portal.accounts.choices import MemberRole
from portal.accounts.models import User
from portal.accounts.selectors import membership_for


def in_scope(user: User, application: Application) -> bool:
    """Whether the application's enterprise is in the reviewer's regions."""
    if not roles.is_reviewer(user):
        return False
    regions = roles.region_scope(user)
    return regions is None or application.enterprise.region_id in regions


def has_conflict(user: User, application: Application) -> bool:
    """Whether ``user`` declared a conflict of interest (memoised on the application object)."""
    cache = application.__dict__.setdefault("_review_conflicts", {})
    if user.pk not in cache:
        cache[user.pk] = ConflictOfInterest.objects.filter(
            application=application, reviewer=user
        ).exists()
    return cache[user.pk]


def firm_role(user: User, application: Application) -> str | None:
    """The user's role in the applying enterprise ("owner"/"member"), or None."""
    membership = membership_for(user)
    if membership is None or membership.enterprise_id != application.enterprise_id:
        return None
    return membership.role


def is_firm_owner(user: User, application: Application) -> bool:
    return firm_role(user, application) == MemberRole.OWNER
