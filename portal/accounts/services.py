"""State-changing operations on accounts and enterprises (each in one transaction)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.choices import MemberRole, Roles
from portal.accounts.models import AuditEvent, Enterprise, Invitation, Membership, User
from portal.core.tasks import send_plain_mail_task

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
def register_enterprise(*, user: User, enterprise: Enterprise, code_overridden: bool) -> Enterprise:
    """Save a new account and its enterprise; the registrant becomes the owner.

    ``user`` and ``enterprise`` are unsaved instances from the registration forms. When the
    registrant declared a code genuine although its check failed, the enterprise is flagged for
    a reviewer to verify.
    """
    user.save()
    enterprise.code_check_failed = code_overridden
    enterprise.needs_verification = code_overridden
    enterprise.save()
    add_member(user, enterprise, MemberRole.OWNER)
    audit(
        "enterprise.registered",
        actor=user,
        enterprise=enterprise,
        credit_code=enterprise.credit_code,
        code_check_overridden=code_overridden,
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


@transaction.atomic
def invite(
    *, actor: User, enterprise: Enterprise, email: str, base_url: str, role: str = MemberRole.MEMBER
) -> SentInvitation:
    """Create an invitation and e-mail its accept link (valid INVITATION_VALID_DAYS days)."""
    _require_owner(actor, enterprise)
    token, token_hash = Invitation.new_token()
    invitation = Invitation.objects.create(
        enterprise=enterprise,
        email=email,
        role=role,
        token_hash=token_hash,
        invited_by=actor,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    accept_url = base_url.rstrip("/") + reverse("accounts:invitation-accept", args=[token])
    context = {"invitation": invitation, "accept_url": accept_url, "inviter": actor}
    subject = _("Invitation to join %(name)s on IP Portal") % {"name": enterprise.name}
    body = render_to_string("accounts/email/invitation.txt", context)
    transaction.on_commit(
        lambda: send_plain_mail_task.enqueue(subject=subject, body=body, recipients=[email])
    )
    audit("member.invited", actor=actor, enterprise=enterprise, email=email)
    return SentInvitation(invitation, accept_url)


class InvitationError(ValidationError):
    pass


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
    """Remove a colleague. The last owner cannot be removed (nor remove themselves)."""
    enterprise = membership.enterprise
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
    enterprise.needs_verification = False
    enterprise.verified_at = timezone.now()
    enterprise.verified_by = actor
    enterprise.save(update_fields=["needs_verification", "verified_at", "verified_by"])
    audit("enterprise.verified", actor=actor, enterprise=enterprise, note=note)
