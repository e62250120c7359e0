"""The navigation's role answers (which links the page header shows), computed once per user
and session.

Each answer is registered with the Wagtail hook ``portal.core.hooks.NAVIGATION`` as
:class:`NavigationLink` ``(name, shown)``: ``shown(user) -> bool``. The portal registers
``cms`` (the Wagtail admin); the apps register their own (``review``, ``transfer``). Templates
read them as ``{{ header_links.<name> }}`` (the ``portal`` context processor).

Asking the role questions costs a few queries (groups, reviewer profile, permissions), which
every page would repeat. The answers are kept in the session with a stamp instead: the user,
the account flags that change them (active, staff, superuser) and two generations, values in
the default cache: the user's own, which a change of that user's groups, permissions or
reviewer profile replaces, and everyone's, which a change of a group's permissions or a deleted
group replaces (the receivers below). They are asked at sign-in, and again when the stamp
differs, and at the latest after :data:`MAX_AGE` seconds (a cache that is not shared by every
worker only sees its own process's changes).

Navigation only: every view still checks access itself, with ``portal.accounts.roles``.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.http import HttpRequest
from wagtail import hooks

from portal.accounts.models import ReviewerProfile, User
from portal.core.hooks import NAVIGATION

SESSION_KEY = "portal_navigation"
GENERATION_KEY = "portal:roles-generation"
MAX_AGE = 300  # seconds


@dataclass(frozen=True)
class NavigationLink:
    """A header link's name and the question whether ``user`` sees it."""

    name: str
    shown: Callable[[User], bool]


def _links() -> list[NavigationLink]:
    return list(hooks.get_hooks(NAVIGATION))


def _user_key(pk) -> str:
    return f"{GENERATION_KEY}:{pk}"


def _stamp(user: User) -> list:
    generations = cache.get_many([GENERATION_KEY, _user_key(user.pk)])
    return [
        user.pk,
        user.is_active,
        user.is_staff,
        user.is_superuser,
        generations.get(GENERATION_KEY),
        generations.get(_user_key(user.pk)),
    ]


def navigation(request: HttpRequest) -> dict[str, bool]:
    """``{name: shown}`` for every registered link; all False for anonymous visitors."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {link.name: False for link in _links()}
    session = getattr(request, "session", None)
    stamp = _stamp(user)
    kept = session.get(SESSION_KEY) if session is not None else None
    if (
        isinstance(kept, dict)
        and kept.get("stamp") == stamp
        and 0 <= time.time() - kept.get("at", 0) < MAX_AGE
    ):
        return dict(kept["links"])
    return _remember(session, user, stamp)


def _remember(session, user: User, stamp: list) -> dict[str, bool]:
    answers = {link.name: bool(link.shown(user)) for link in _links()}
    if session is not None:
        session[SESSION_KEY] = {"stamp": stamp, "at": int(time.time()), "links": answers}
    return answers


@receiver(user_logged_in, dispatch_uid="portal.accounts.navigation.signed_in")
def _signed_in(sender, request, user, **kwargs) -> None:
    """Ask at sign-in, so that the pages after it find the answers in the session."""
    session = getattr(request, "session", None)
    if session is not None:
        _remember(session, user, _stamp(user))


def roles_changed(user_ids=None) -> None:
    """Make the sessions of ``user_ids`` (of every user when None) ask their navigation
    questions again: their roles changed."""
    if user_ids is None:
        cache.set(GENERATION_KEY, uuid.uuid4().hex, None)
    else:
        cache.set_many({_user_key(pk): uuid.uuid4().hex for pk in user_ids}, None)


def can_use_cms(user: User) -> bool:
    return user.has_perm("wagtailadmin.access_admin")


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="portal.nav.groups")
@receiver(m2m_changed, sender=User.user_permissions.through, dispatch_uid="portal.nav.perms")
@receiver(m2m_changed, sender=Group.permissions.through, dispatch_uid="portal.nav.group_perms")
def _memberships_changed(sender, action: str, instance, reverse: bool, pk_set, **kwargs) -> None:
    if not action.startswith("post_"):
        return
    if sender is Group.permissions.through:
        roles_changed()  # a group's permissions: every member (one change for everyone)
    elif isinstance(instance, User):
        roles_changed([instance.pk])  # this user's groups or permissions
    elif pk_set:
        roles_changed(pk_set)  # users added to or removed from a group
    else:
        roles_changed()  # a group cleared: its former members are not known any more


@receiver(post_delete, sender=Group, dispatch_uid="portal.nav.group_deleted")
def _group_deleted(sender, **kwargs) -> None:
    roles_changed()


@receiver(post_save, sender=ReviewerProfile, dispatch_uid="portal.nav.profile_saved")
@receiver(post_delete, sender=ReviewerProfile, dispatch_uid="portal.nav.profile_deleted")
def _profile_changed(sender, instance: ReviewerProfile, **kwargs) -> None:
    roles_changed([instance.user_id])
