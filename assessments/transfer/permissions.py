"""Who may use the import and export pages, and which enterprises their exports cover."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from portal.accounts.choices import Roles
from portal.accounts.models import User
from portal.accounts.selectors import regions_in_scope


def is_admin(user: User | AnonymousUser) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.groups.filter(name=Roles.ADMIN).exists())
    )


def can_transfer(user: User | AnonymousUser) -> bool:
    """Administrators and lead reviewers; never company users, plain reviewers or editors.

    The answer is memoised on the user object: pages ask more than once (navigation, buttons).
    """
    if not user.is_authenticated or not user.is_active:
        return False
    cached = getattr(user, "_can_transfer", None)
    if cached is None:
        cached = _can_transfer(user)
        user._can_transfer = cached
    return cached


def _can_transfer(user: User) -> bool:
    if is_admin(user):
        return True
    profile = getattr(user, "reviewer_profile", None)
    if profile is None:
        return False
    return bool(profile.is_lead) or user.groups.filter(name=Roles.LEAD_REVIEWER).exists()


def require_transfer(user: User | AnonymousUser) -> None:
    """404 (not 403) for everyone else, so the pages' existence is not revealed."""
    if not can_transfer(user):
        raise Http404


def scope_codes(user: User | None) -> frozenset[str] | None:
    """Region codes the user's imports and exports are limited to; None means all regions.

    ``None`` as the user stands for the management commands (run by the operator).
    """
    if user is None or is_admin(user):
        return None
    regions = regions_in_scope(user)
    if regions is None:
        return None
    return frozenset(regions.values_list("code", flat=True))
