"""The one definition of every role question: who is a reviewer, a lead, an expert, an editor,
a moderator or an administrator, and which regions a reviewer covers.

A role is a permission group (``Roles``, created by the accounts migrations), plus a
``ReviewerProfile`` for the review roles. Every answer needs an active, signed-in user; a check
that reads the reviewer profile also reads the group membership, so removing a user from the
Reviewers group (or deactivating the account) removes every reviewer capability at once, even
though the profile and its regions stay.

Superusers hold every role and cover every region.

The facts behind the answers (group names, reviewer profile, region scope) are read once, when
first needed, and kept on the user object. Django loads ``request.user`` afresh for every request, so that is
"once per request"; code that changes a user's groups and asks again about the same object
calls :func:`forget`.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from portal.accounts.choices import Roles
from portal.accounts.models import Region, ReviewerProfile, User

AnyUser = User | AnonymousUser

_GROUPS_CACHE = "_portal_role_groups"
_PROFILE_CACHE = "_portal_reviewer_profile"
_SCOPE_CACHE = "_portal_region_scope"


def _groups(user: User) -> frozenset[str]:
    groups = getattr(user, _GROUPS_CACHE, None)
    if groups is None:
        groups = frozenset(user.groups.values_list("name", flat=True))
        setattr(user, _GROUPS_CACHE, groups)
    return groups


def _profile(user: User) -> ReviewerProfile | None:
    """The reviewer profile, read only for members of a review group (one query fewer for
    everyone else)."""
    if not hasattr(user, _PROFILE_CACHE):
        try:
            profile = user.reviewer_profile
        except ReviewerProfile.DoesNotExist:
            profile = None
        setattr(user, _PROFILE_CACHE, profile)
    return getattr(user, _PROFILE_CACHE)


def forget(user: AnyUser) -> None:
    """Drop the remembered facts (after changing the user's groups or profile)."""
    for name in (_GROUPS_CACHE, _PROFILE_CACHE, _SCOPE_CACHE):
        if hasattr(user, name):
            delattr(user, name)


def _active(user: AnyUser | None) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _in_group(user: AnyUser | None, *names: str) -> bool:
    if not _active(user):
        return False
    return user.is_superuser or bool(_groups(user) & set(names))


def is_reviewer(user: AnyUser | None) -> bool:
    """A bureau reviewer: a reviewer profile (with the region scope) and the Reviewers group."""
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    return Roles.REVIEWER in _groups(user) and _profile(user) is not None


def is_lead(user: AnyUser | None) -> bool:
    """A reviewer who assigns, decides and may import and export: a reviewer in the Lead
    reviewers group or with a profile marked lead."""
    if not is_reviewer(user):
        return False
    if user.is_superuser:
        return True
    return Roles.LEAD_REVIEWER in _groups(user) or _profile(user).is_lead


def is_expert(user: AnyUser | None) -> bool:
    """An expert: a reviewer in the Experts group, who scores the applications assigned to
    them (the group adds no page of its own to the review workspace)."""
    if not is_reviewer(user):
        return False
    return user.is_superuser or Roles.EXPERT in _groups(user)


def is_editor(user: AnyUser | None) -> bool:
    """A CMS editor (drafts pages and submits them for moderation)."""
    return _in_group(user, Roles.EDITOR)


def is_moderator(user: AnyUser | None) -> bool:
    """A CMS moderator (approves and publishes pages)."""
    return _in_group(user, Roles.MODERATOR)


def is_admin(user: AnyUser | None) -> bool:
    """An administrator: a superuser or a member of the Administrators group."""
    return _in_group(user, Roles.ADMIN)


def is_staff_role(user: AnyUser | None) -> bool:
    """Anyone who works for the bureau rather than for a firm: reviewers (experts and leads
    included), CMS editors and moderators, administrators and Django staff. Their sessions
    time out when idle."""
    if not _active(user):
        return False
    return bool(
        user.is_staff
        or is_reviewer(user)
        or _in_group(user, Roles.EDITOR, Roles.MODERATOR, Roles.ADMIN)
        or user.has_perm("wagtailadmin.access_admin")
    )


def reviewers() -> QuerySet[User]:
    """Every user :func:`is_reviewer` answers yes for, as a query."""
    return User.objects.filter(is_active=True).filter(
        Q(is_superuser=True) | Q(reviewer_profile__isnull=False, groups__name=Roles.REVIEWER)
    )


def region_scope(user: AnyUser | None) -> frozenset[str] | None:
    """Codes of the regions a reviewer covers (a province brings its cities); ``None`` means
    every region (superusers). Empty for everyone who is not a reviewer."""
    if not is_reviewer(user):
        return frozenset()
    if user.is_superuser:
        return None
    scope = getattr(user, _SCOPE_CACHE, None)
    if scope is None:
        codes = list(_profile(user).regions.values_list("code", flat=True))
        scope = frozenset(
            Region.objects.filter(Q(code__in=codes) | Q(parent__code__in=codes)).values_list(
                "code", flat=True
            )
            if codes
            else ()
        )
        setattr(user, _SCOPE_CACHE, scope)
    return scope
