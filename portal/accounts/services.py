"""State-changing operations on accounts and enterprises (each in one transaction)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.accounts.choices import MemberRole, Roles
from portal.accounts.models import AuditEvent, Enterprise, Invitation, Membership, User
from portal.core.text import subject_line

log = logging.getLogger(__name__)

ROLE_GROUPS = {MemberRole.OWNER: Roles.ENTERPRISE_OWNER, MemberRole.MEMBER: Roles.ENTERPRISE_MEMBER}


def audit(
    action: str, *, actor: User | None, enterprise: Enterprise | None = None, **detail
) -> None:
    AuditEvent.objects.create(
        actor=actor if actor and actor.is_authenticated else None,
        enterprise=enterprise,
        action=action,
        detail=detail,
    )


def _set_role_group(user: User, role: str | None) -> None:
    groups = Group.objects.filter(name__in=ROLE_GROUPS.values())
    user.groups.remove(*groups)
    if role:
        user.groups.add(Group.objects.get(name=ROLE_GROUPS[role]))


def add_member(user: User, enterprise: Enterprise, role: str) -> Membership:
    membership = Membership.objects.create(user=user, enterprise=enterprise, role=role)
    _set_role_group(user, role)
    return membership


@transaction.atomic
def register_enterprise(
    *, user: User, enterprise: Enterprise, code_overridden: bool, reasons: list[dict] = ()
) -> Enterprise:
    """Save a new account and its enterprise; the registrant becomes the owner.

    ``user`` and ``enterprise`` are unsaved instances. The enterprise is flagged for a reviewer
    to verify when the registrant declared a code genuine although its check failed, or for any
    other reason in ``reasons`` (see :mod:`portal.accounts.verification`).
    """
    user.save()
    enterprise.code_check_failed = code_overridden
    enterprise.verification_reasons = list(reasons)
    enterprise.needs_verification = code_overridden or bool(reasons)
    enterprise.save()
    add_member(user, enterprise, MemberRole.OWNER)
    audit(
        "enterprise.registered",
        actor=user,
        enterprise=enterprise,
        credit_code=enterprise.credit_code,
        code_check_overridden=code_overridden,
        verification_reasons=list(reasons),
    )
    return enterprise


@dataclass(frozen=True)
class SentInvitation:
    invitation: Invitation
    accept_url: str


def _require_owner(actor: User, enterprise: Enterprise) -> None:
    if not Membership.objects.filter(
        user=actor, enterprise=enterprise, role=MemberRole.OWNER
    ).exists():
        raise PermissionDenied(_("Only the enterprise's owner can manage its members."))


def _new_invitation(
    enterprise: Enterprise, email: str, role: str, invited_by: User | None
) -> tuple[Invitation, str]:
    """An unsaved invitation valid INVITATION_VALID_DAYS days, and its token (only its hash is
    stored)."""
    token, token_hash = Invitation.new_token()
    invitation = Invitation(
        enterprise=enterprise,
        email=email,
        role=role,
        token_hash=token_hash,
        invited_by=invited_by if invited_by and invited_by.is_authenticated else None,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    return invitation, token


def _accept_link(base_url: str) -> Callable[[str], str]:
    """Accept links under ``base_url`` in the active language (one reverse() for any number)."""
    marker = "0tokenmarker0"
    prefix = base_url.rstrip("/") + reverse("accounts:invitation-accept", args=[marker])
    return lambda token: prefix.replace(marker, token)


class InvitationError(ValidationError):
    pass


PENDING_MESSAGE = gettext_lazy(
    "An invitation to this address is still pending. Revoke it to send a new one."
)


def invite(
    *, actor: User, enterprise: Enterprise, email: str, base_url: str, role: str = MemberRole.MEMBER
) -> SentInvitation:
    """Create an invitation and e-mail its accept link (valid INVITATION_VALID_DAYS days).

    One pending invitation per address and enterprise: checked under a row lock on the
    enterprise, so two owners (or two tabs) inviting the same colleague at once make one. The
    e-mail is sent after the commit; when it cannot be sent the invitation is withdrawn again
    (so it does not block a retry) and :class:`InvitationError` says so.
    """
    with transaction.atomic():
        enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
        _require_owner(actor, enterprise)
        if enterprise.invitations.pending().filter(email__iexact=email).exists():
            raise InvitationError(PENDING_MESSAGE, code="pending")
        invitation, token = _new_invitation(enterprise, email, role, actor)
        invitation.save()
        accept_url = _accept_link(base_url)(token)
        context = {"invitation": invitation, "accept_url": accept_url, "inviter": actor}
        subject = _("Invitation to join %(name)s on IP Portal") % {"name": enterprise.name}
        body = render_to_string("accounts/email/invitation.txt", context)
        message = EmailMessage(subject_line(subject), body, settings.DEFAULT_FROM_EMAIL, [email])
        audit("member.invited", actor=actor, enterprise=enterprise, email=email)
    try:
        message.send()
    except Exception as exc:  # SMTP down, address refused, a header the backend rejects ...
        log.warning("invitation e-mail to %s not sent: %s", email, exc)
        Invitation.objects.filter(pk=invitation.pk).update(revoked_at=timezone.now())
        audit("member.invitation_not_sent", actor=actor, enterprise=enterprise, email=email)
        raise InvitationError(
            _(
                "The invitation e-mail could not be sent, so no invitation is pending. "
                "Check the address and try again later."
            ),
            code="not_sent",
        ) from exc
    return SentInvitation(invitation, accept_url)


@dataclass(frozen=True)
class OwnerInvite:
    """An owner invitation to make for an enterprise registered on its owner's behalf."""

    enterprise: Enterprise  # saved
    email: str = ""  # empty: no e-mail, the caller hands the accept link over


@transaction.atomic
def invite_owners(
    invites: Sequence[OwnerInvite],
    *,
    actor: User | None,
    base_url: str,
    language: str | None = None,
) -> list[SentInvitation]:
    """Owner invitations for enterprises that someone registered for their owners (a bureau's
    registry import), in bulk: the rules of ``invite``, without its owner check.

    Returns the invitations with their accept links, in the order given. The invitations that
    have an address are e-mailed after the commit, over one connection. Links and e-mails are
    in ``language`` (default: the portal's), since they are for the owners, not for the actor.
    """
    if not invites:
        return []
    language = language or settings.LANGUAGE_CODE
    with translation.override(language):
        link = _accept_link(base_url)
    sent: list[SentInvitation] = []
    for item in invites:
        invitation, token = _new_invitation(item.enterprise, item.email, MemberRole.OWNER, actor)
        sent.append(SentInvitation(invitation, link(token)))
    Invitation.objects.bulk_create([s.invitation for s in sent], batch_size=500)
    actor = actor if actor and actor.is_authenticated else None
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                actor=actor,
                enterprise=s.invitation.enterprise,
                action="owner.invited",
                detail={"email": s.invitation.email},
            )
            for s in sent
        ],
        batch_size=500,
    )
    mailed = [s for s in sent if s.invitation.email]
    if mailed:
        transaction.on_commit(lambda: _send_owner_invitations(mailed, actor, language))
    return sent


def _send_owner_invitations(
    sent: Sequence[SentInvitation], inviter: User | None, language: str
) -> int:
    """E-mail owner invitations over one connection; return how many were sent."""
    messages = []
    with translation.override(language):
        for item in sent:
            enterprise = item.invitation.enterprise
            context = {
                "enterprise": enterprise,
                "accept_url": item.accept_url,
                "inviter": inviter,
                "days": settings.INVITATION_VALID_DAYS,
            }
            subject = _("%(name)s is registered on IP Portal: activate the owner's account") % {
                "name": enterprise.name
            }
            body = render_to_string("accounts/email/owner_invitation.txt", context)
            messages.append(
                EmailMessage(
                    subject_line(subject),
                    body,
                    settings.DEFAULT_FROM_EMAIL,
                    [item.invitation.email],
                )
            )
    return get_connection().send_messages(messages) or 0


def check_invitation_usable(invitation: Invitation | None) -> Invitation:
    if invitation is None:
        raise InvitationError(_("This invitation link is not valid."), code="unknown")
    status = invitation.status
    if status == "accepted":
        raise InvitationError(_("This invitation has already been used."), code="accepted")
    if status == "revoked":
        raise InvitationError(_("This invitation has been withdrawn."), code="revoked")
    if status == "expired":
        raise InvitationError(
            _("This invitation has expired. Ask the enterprise's owner for a new one."),
            code="expired",
        )
    return invitation


@transaction.atomic
def accept_invitation(*, invitation: Invitation, user: User) -> Membership:
    """Join the invitation's enterprise. A user acts for one enterprise only."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    check_invitation_usable(invitation)
    if Membership.objects.filter(user=user).exists():
        raise InvitationError(
            _("Your account already belongs to an enterprise; use another account."),
            code="has_enterprise",
        )
    membership = add_member(user, invitation.enterprise, invitation.role)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit("member.joined", actor=user, enterprise=invitation.enterprise, email=invitation.email)
    return membership


@transaction.atomic
def revoke_invitation(*, actor: User, invitation: Invitation) -> None:
    _require_owner(actor, invitation.enterprise)
    if invitation.status == "pending":
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        audit(
            "member.invitation_revoked",
            actor=actor,
            enterprise=invitation.enterprise,
            email=invitation.email,
        )


@transaction.atomic
def remove_member(*, actor: User, membership: Membership) -> None:
    """Remove a colleague. The last owner cannot be removed (nor remove themselves).

    The owners are counted under a row lock on the enterprise: two owners removing each other
    at the same moment leave one.
    """
    enterprise = Enterprise.objects.select_for_update().get(pk=membership.enterprise_id)
    _require_owner(actor, enterprise)
    if membership.role == MemberRole.OWNER:
        owners = enterprise.memberships.filter(role=MemberRole.OWNER).count()
        if owners <= 1:
            raise ValidationError(_("An enterprise must keep at least one owner."))
    user = membership.user
    membership.delete()
    _set_role_group(user, None)
    audit("member.removed", actor=actor, enterprise=enterprise, username=user.get_username())


@transaction.atomic
def verify_enterprise(*, actor: User, enterprise: Enterprise, note: str = "") -> None:
    """A reviewer confirms a flagged credit code against the business licence."""
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    if not enterprise.needs_verification:
        return
    reasons = enterprise.verification_reasons
    enterprise.needs_verification = False
    enterprise.verification_reasons = []
    enterprise.verified_at = timezone.now()
    enterprise.verified_by = actor
    enterprise.save(
        update_fields=["needs_verification", "verification_reasons", "verified_at", "verified_by"]
    )
    audit("enterprise.verified", actor=actor, enterprise=enterprise, note=note, reasons=reasons)


PROFILE_FIELDS = (
    "name",
    "credit_code",
    "region",
    "industry",
    "size",
    "founded_on",
    "contact_name",
    "contact_phone",
)


@transaction.atomic
def update_profile(
    *, actor: User, enterprise: Enterprise, code_overridden: bool, reasons: list[dict]
) -> list[str]:
    """Save an owner's edits to the enterprise record; returns the changed fields.

    ``enterprise`` carries the edits (unsaved). New ``reasons`` (a changed code, a region that
    does not agree with the code…) flag the record for a reviewer again.
    """
    _require_owner(actor, enterprise)
    saved = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    changed = [f for f in PROFILE_FIELDS if getattr(saved, f) != getattr(enterprise, f)]
    if "credit_code" in changed:
        enterprise.code_check_failed = code_overridden
    if reasons:
        enterprise.needs_verification = True
        enterprise.verification_reasons = [*saved.verification_reasons, *reasons]
    else:
        enterprise.needs_verification = saved.needs_verification
        enterprise.verification_reasons = saved.verification_reasons
    enterprise.verified_at, enterprise.verified_by = saved.verified_at, saved.verified_by
    if reasons:
        enterprise.verified_at = enterprise.verified_by = None
    enterprise.save()
    if changed:
        audit(
            "enterprise.updated",
            actor=actor,
            enterprise=enterprise,
            fields=changed,
            verification_reasons=reasons,
        )
    return changed
