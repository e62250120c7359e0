"""Read-only queries for accounts and enterprises, always scoped to the asking user."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from portal.accounts import divisions, roles
from portal.accounts.choices import MemberRole, Roles
from portal.accounts.models import (
    Enterprise,
    Invitation,
    Membership,
    PendingRegistration,
    Region,
    User,
)


def cities() -> QuerySet[Region]:
    """Regions an enterprise can be registered in (cities, or a province without cities)."""
    return Region.objects.filter(children__isnull=True).select_related("parent").order_by("code")


def default_region_for(division: str) -> Region | None:
    """The selectable region standing for a GB/T 2260 division (a county → its city)."""
    if len(division) != 6 or not division.isdigit():
        return None
    candidates = divisions.city_candidates(division)
    found = {r.code: r for r in cities().filter(code__in=candidates)}
    return next((found[c] for c in candidates if c in found), None)


def region_agrees(region: Region, division: str) -> bool:
    """Whether an enterprise's region agrees with the division of its credit code."""
    return divisions.contains(division, region.code)


def owners_of(enterprise: Enterprise) -> QuerySet[User]:
    return User.objects.filter(
        membership__enterprise=enterprise, membership__role=MemberRole.OWNER, is_active=True
    )


def reviewers_for_region(region: Region) -> QuerySet[User]:
    """Active reviewers (in a reviewer group) whose scope covers ``region``."""
    return (
        User.objects.filter(
            is_active=True,
            groups__name__in=[Roles.REVIEWER, Roles.LEAD_REVIEWER],
            reviewer_profile__regions__code__in=[region.code, region.province.code],
        )
        .distinct()
        .order_by("pk")
    )


def pending_registration(pk: int, nonce: str) -> PendingRegistration | None:
    return PendingRegistration.objects.filter(
        pk=pk, nonce=nonce, expires_at__gt=timezone.now()
    ).first()


def membership_for(user: User) -> Membership | None:
    if not user.is_authenticated:
        return None
    try:
        return Membership.objects.select_related("enterprise__region__parent").get(user=user)
    except Membership.DoesNotExist:
        return None


def enterprise_for(user: User) -> Enterprise | None:
    membership = membership_for(user)
    return membership.enterprise if membership else None


def members_of(enterprise: Enterprise) -> QuerySet[Membership]:
    return enterprise.memberships.select_related("user").order_by("-role", "joined_at")


def member_of_user_enterprise(user: User, membership_id: int) -> Membership:
    """A membership of the user's own enterprise, or 404 (never another enterprise's)."""
    enterprise = enterprise_for(user)
    if enterprise is None:
        raise Http404
    try:
        return enterprise.memberships.select_related("user").get(pk=membership_id)
    except Membership.DoesNotExist:
        raise Http404 from None


def invitation_of_user_enterprise(user: User, invitation_id: int) -> Invitation:
    enterprise = enterprise_for(user)
    if enterprise is None:
        raise Http404
    try:
        return enterprise.invitations.get(pk=invitation_id)
    except Invitation.DoesNotExist:
        raise Http404 from None


def invitation_by_token(token: str) -> Invitation | None:
    try:
        return Invitation.objects.select_related("enterprise").get(
            token_hash=Invitation.hash_token(token)
        )
    except Invitation.DoesNotExist:
        return None


def enterprises_in_scope(user: User) -> QuerySet[Enterprise]:
    """Enterprises a reviewer may see: those registered in a region of their scope."""
    if not roles.is_reviewer(user):
        return Enterprise.objects.none()
    scope = roles.region_scope(user)
    qs = Enterprise.objects.select_related("region__parent")
    return qs if scope is None else qs.filter(region_id__in=scope)


def email_has_account(email: str) -> bool:
    """Whether an account uses ``email`` (compared without regard to case)."""
    return User.objects.filter(email__iexact=email.strip()).exists()
