"""Who may use the import and export pages, and which enterprises their exports cover.

The role questions themselves are answered by :mod:`portal.accounts.roles`.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from portal.accounts import roles
from portal.accounts.models import User


def can_transfer(user: User | AnonymousUser) -> bool:
    """Administrators and lead reviewers; never company users, plain reviewers or editors."""
    return roles.is_admin(user) or roles.is_lead(user)


def require_transfer(user: User | AnonymousUser) -> None:
    """404 (not 403) for everyone else, so the pages' existence is not revealed."""
    if not can_transfer(user):
        raise Http404


def scope_codes(user: User | None) -> frozenset[str] | None:
    """Region codes the user's imports and exports are limited to; None means all regions.

    ``None`` as the user stands for the management commands (run by the operator).
    """
    if user is None or roles.is_admin(user):
        return None
    return roles.region_scope(user)
