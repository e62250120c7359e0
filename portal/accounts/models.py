from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.accounts.choices import EnterpriseSize, Industry, MemberRole
from portal.core.i18n import is_english
from portal.core.text import validate_single_line


class User(AbstractUser):
    """A person who signs in: company staff, reviewers, editors and administrators."""

    email = models.EmailField(_("e-mail address"))
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    # As in AbstractUser, on one line: names go into e-mail headers.
    first_name = models.CharField(
        _("first name"), max_length=150, blank=True, validators=[validate_single_line]
    )
    last_name = models.CharField(
        _("last name"), max_length=150, blank=True, validators=[validate_single_line]
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="accounts_user_email_ci_unique",
                condition=~models.Q(email=""),
                violation_error_message=_("An account with this e-mail address already exists."),
            )
        ]

    def get_full_name(self) -> str:
        """The person's name as they write it: a Chinese name family name first and without a
        space (张敏), other names given name first (Min Zhang)."""
        first, last = self.first_name.strip(), self.last_name.strip()
        if any("\u3400" <= ch <= "\u9fff" for ch in first + last):
            return f"{last}{first}"
        return " ".join(part for part in (first, last) if part)


class Region(models.Model):
    """A province or a prefecture-level city (GB/T 2260 code)."""

    code = models.CharField(_("code"), max_length=6, primary_key=True)
    name_zh = models.CharField(_("Chinese name"), max_length=64)
    name_en = models.CharField(_("English name"), max_length=128)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if is_english() else self.name_zh

    @property
    def province(self) -> Region:
        return self.parent or self

    @property
    def full_name(self) -> str:
        if self.parent_id and self.parent.code != self.code:
            sep = " " if is_english() else ""
            return f"{self.parent.name}{sep}{self.name}"
        return self.name


class Enterprise(models.Model):
    name = models.CharField(_("enterprise name"), max_length=200, validators=[validate_single_line])
    credit_code = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="enterprises"
    )
    industry = models.CharField(_("industry"), max_length=1, choices=Industry.choices)
    size = models.CharField(_("size"), max_length=8, choices=EnterpriseSize.choices)
    founded_on = models.DateField(_("date founded"))
    contact_name = models.CharField(
        _("contact person"), max_length=64, validators=[validate_single_line]
    )
    contact_phone = models.CharField(_("contact phone"), max_length=32)
    code_check_failed = models.BooleanField(
        _("credit code failed the check"),
        default=False,
        help_text=_("The registrant declared the code genuine although its check failed."),
    )
    needs_verification = models.BooleanField(
        _("needs reviewer verification"), default=False, db_index=True
    )
    verification_reasons = models.JSONField(
        _("reasons for verification"),
        default=list,
        blank=True,
        help_text=_("Why a reviewer should compare the record with the business licence."),
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")

    def __str__(self) -> str:
        return f"{self.name} ({self.credit_code})"


class PendingRegistration(models.Model):
    """A registration waiting for its e-mail address to be confirmed.

    Nothing else exists until the link is followed: no account (so an address cannot be
    claimed by someone who does not receive its mail) and no enterprise (so a credit code
    cannot be blocked by an unconfirmed registration). One per address: registering again
    replaces it, and the older links stop working.
    """

    email = models.EmailField(_("e-mail address"))
    email_key = models.CharField(max_length=254, unique=True, editable=False)
    nonce = models.CharField(max_length=32, editable=False)
    enterprise = models.JSONField(_("enterprise"), default=dict)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)

    class Meta:
        verbose_name = _("pending registration")
        verbose_name_plural = _("pending registrations")

    def __str__(self) -> str:
        return self.email

    @staticmethod
    def key_for(email: str) -> str:
        return email.strip().lower()

    @staticmethod
    def new_nonce() -> str:
        return secrets.token_hex(16)


class Membership(models.Model):
    """Links a user to the one enterprise they act for."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="membership",
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=8, choices=MemberRole.choices)
    joined_at = models.DateTimeField(_("joined at"), auto_now_add=True)

    class Meta:
        ordering = ["enterprise", "-role", "joined_at"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} @ {self.enterprise.name} ({self.get_role_display()})"

    @property
    def is_owner(self) -> bool:
        return self.role == MemberRole.OWNER


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet):
    def pending(self) -> InvitationQuerySet:
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invitation(models.Model):
    """An e-mailed invitation to join an enterprise; only the token's hash is stored."""

    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(
        _("role"), max_length=8, choices=MemberRole.choices, default=MemberRole.MEMBER
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} → {self.enterprise.name}"

    @staticmethod
    def new_token() -> tuple[str, str]:
        token = secrets.token_urlsafe(32)
        return token, _hash_token(token)

    @staticmethod
    def hash_token(token: str) -> str:
        return _hash_token(token)

    @property
    def status(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"


class ReviewerProfile(models.Model):
    """A bureau reviewer's scope: the regions whose enterprises they may review."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="reviewer_profile",
    )
    regions = models.ManyToManyField(
        Region,
        verbose_name=_("region scope"),
        blank=True,
        help_text=_("A province covers all of its cities."),
    )
    is_lead = models.BooleanField(_("lead reviewer"), default=False)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("reviewer profile")
        verbose_name_plural = _("reviewer profiles")

    def __str__(self) -> str:
        return str(self.user)


class AuditEvent(models.Model):
    """Who did what to which object, for accounts and enterprise records."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="audit_events",
    )
    action = models.CharField(_("action"), max_length=64)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"
