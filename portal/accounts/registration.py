"""Registration that does not tell anyone which addresses or enterprises exist.

Whatever was entered, the register page answers the same: a confirmation e-mail has been
sent. What the e-mail says depends on what exists, and only the owner of the address reads it:

* a new address and a new credit code: a link (signed, expiring) to the page where the
  registrant chooses a password; following it creates the account and the enterprise;
* an address that already has an account: "someone tried to register with your address",
  with links to sign in and to reset the password; nothing is created;
* a credit code that already has an enterprise: the registrant is told to ask the owner for an
  invitation; the enterprise's owners and the reviewers of its region are told of the attempt;
  no second enterprise is created.

The registration is kept as a :class:`PendingRegistration` (one per address) until then.
"""

from __future__ import annotations

import enum
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts import selectors, services
from portal.accounts.emails import send_later
from portal.accounts.models import Enterprise, PendingRegistration, Region, User

SALT = "portal.accounts.registration"


class Outcome(enum.Enum):
    """What a registration request led to (never shown on the page; for tests and logs)."""

    PENDING = "pending"
    EXISTING_ACCOUNT = "existing_account"
    ENTERPRISE_EXISTS = "enterprise_exists"


def _valid_for() -> timedelta:
    return timedelta(hours=settings.REGISTRATION_CONFIRM_HOURS)


def make_token(pending: PendingRegistration) -> str:
    return signing.dumps({"p": pending.pk, "n": pending.nonce}, salt=SALT)


def pending_from_token(token: str) -> PendingRegistration | None:
    """The registration a link stands for, or None (tampered, expired, used or replaced)."""
    try:
        data = signing.loads(token, salt=SALT, max_age=_valid_for())
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("p"), int):
        return None
    return selectors.pending_registration(data["p"], str(data.get("n", "")))


def _absolute(base_url: str, path: str) -> str:
    return base_url.rstrip("/") + path


def _send_confirmation(pending: PendingRegistration, base_url: str) -> None:
    url = _absolute(base_url, reverse("accounts:register-confirm", args=[make_token(pending)]))
    send_later(
        _("Confirm your registration on IP Portal"),
        "accounts/email/registration_confirm.txt",
        {
            "url": url,
            "enterprise": pending.enterprise,
            "hours": settings.REGISTRATION_CONFIRM_HOURS,
        },
        [pending.email],
    )


def _tell_existing_account(email: str, base_url: str) -> None:
    send_later(
        _("Someone tried to register on IP Portal with your e-mail address"),
        "accounts/email/registration_existing_account.txt",
        {
            "login_url": _absolute(base_url, reverse("accounts:login")),
            "reset_url": _absolute(base_url, reverse("accounts:password_reset")),
        },
        [email],
    )


def _tell_enterprise_exists(email: str, enterprise: Enterprise, base_url: str) -> None:
    """The registrant learns (by e-mail only) to ask for an invitation; the owners and the
    region's reviewers learn of the attempt."""
    send_later(
        _("Your registration on IP Portal"),
        "accounts/email/registration_enterprise_exists.txt",
        {"credit_code": enterprise.credit_code},
        [email],
    )
    context = {
        "email": email,
        "enterprise": enterprise,
        "at": timezone.localtime(),
        "dashboard_url": _absolute(base_url, reverse("dashboard:home")),
    }
    send_later(
        _("Someone tried to register an enterprise you own on IP Portal"),
        "accounts/email/registration_attempt_owner.txt",
        context,
        selectors.owners_of(enterprise).values_list("email", flat=True),
    )
    send_later(
        _("Attempt to register an enterprise a second time on IP Portal"),
        "accounts/email/registration_attempt_reviewer.txt",
        {
            **context,
            "verifications_url": _absolute(base_url, reverse("accounts:verifications")),
        },
        selectors.reviewers_for_region(enterprise.region).values_list("email", flat=True),
    )
    services.audit(
        "registration.duplicate_code",
        actor=None,
        enterprise=enterprise,
        email=email,
        credit_code=enterprise.credit_code,
    )


@transaction.atomic
def request_registration(*, email: str, enterprise: dict, base_url: str) -> Outcome:
    """Act on a valid registration form without revealing what exists (see the module)."""
    PendingRegistration.objects.filter(expires_at__lte=timezone.now()).delete()
    account = User.objects.filter(email__iexact=email).first()
    existing = (
        Enterprise.objects.select_related("region__parent")
        .filter(credit_code=enterprise["credit_code"])
        .first()
    )
    if account is not None:
        _tell_existing_account(account.email, base_url)
        if existing is not None and not existing.memberships.filter(user=account).exists():
            _tell_enterprise_exists(email, existing, base_url)
        return Outcome.EXISTING_ACCOUNT
    if existing is not None:
        _tell_enterprise_exists(email, existing, base_url)
        return Outcome.ENTERPRISE_EXISTS
    pending, _created = PendingRegistration.objects.update_or_create(
        email_key=PendingRegistration.key_for(email),
        defaults={
            "email": email,
            "nonce": PendingRegistration.new_nonce(),
            "enterprise": enterprise,
            "expires_at": timezone.now() + _valid_for(),
        },
    )
    _send_confirmation(pending, base_url)
    return Outcome.PENDING


@transaction.atomic
def resend_confirmation(*, email: str, base_url: str) -> bool:
    """Send the link of a pending registration again (its expiry starts again)."""
    pending = (
        PendingRegistration.objects.select_for_update()
        .filter(email_key=PendingRegistration.key_for(email), expires_at__gt=timezone.now())
        .first()
    )
    if pending is None:
        return False
    pending.expires_at = timezone.now() + _valid_for()
    pending.save(update_fields=["expires_at"])
    _send_confirmation(pending, base_url)
    return True


def username_for(email: str) -> str:
    """A user name derived from the address (accounts sign in with the address itself)."""
    candidate = email.lower()[:150]
    if not User.objects.filter(username__iexact=candidate).exists():
        return candidate
    return f"{email.lower()[:141]}-{secrets.token_hex(4)}"


@dataclass(frozen=True)
class Confirmation:
    """What following a confirmation link led to: the new account, or why there is none."""

    user: User | None = None
    enterprise: Enterprise | None = None
    problem: str = ""
    message: str = ""


@transaction.atomic
def confirm_registration(
    *, pending: PendingRegistration, password: str, base_url: str
) -> Confirmation:
    """Create the account and the enterprise of a confirmed registration (once)."""
    pending = PendingRegistration.objects.select_for_update().filter(pk=pending.pk).first()
    if pending is None:
        return Confirmation(
            problem="used", message=_("This confirmation link has already been used.")
        )
    data = pending.enterprise
    email = pending.email
    pending.delete()
    if User.objects.filter(email__iexact=email).exists():
        return Confirmation(
            problem="existing_account",
            message=_(
                "This e-mail address already has an account. Sign in, or reset the password."
            ),
        )
    existing = Enterprise.objects.filter(credit_code=data["credit_code"]).first()
    if existing is not None:
        _tell_enterprise_exists(email, existing, base_url)
        return Confirmation(
            problem="enterprise_exists",
            message=_(
                "The registration could not be completed; we have sent you an e-mail that says why."
            ),
        )
    user = User(username=username_for(email), email=email)
    user.set_password(password)
    enterprise = Enterprise(
        name=data["name"],
        credit_code=data["credit_code"],
        region=Region.objects.get(code=data["region"]),
        industry=data["industry"],
        size=data["size"],
        founded_on=data["founded_on"],
        contact_name=data["contact_name"],
        contact_phone=data["contact_phone"],
    )
    try:
        with transaction.atomic():
            services.register_enterprise(
                user=user,
                enterprise=enterprise,
                code_overridden=bool(data.get("code_check_failed")),
                reasons=data.get("verification_reasons") or [],
            )
    except IntegrityError:  # the same code or address, confirmed at the same moment
        return Confirmation(
            problem="conflict",
            message=_("The registration could not be completed; please register again."),
        )
    return Confirmation(user=user, enterprise=enterprise)
