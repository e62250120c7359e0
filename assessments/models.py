"""Schemes (versioned data), assessment drafts, evidence and frozen submissions."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from collections.abc import Callable
from functools import cached_property

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments import engine
from portal.accounts.models import Enterprise
from portal.core.i18n import text_lang


class Scheme(models.Model):
    """An assessment scheme, e.g. ``ip-enterprise``; its content lives in versions."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    title_zh = models.CharField(_("Chinese title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=200)

    class Meta:
        ordering = ["code"]
        verbose_name = _("scheme")
        verbose_name_plural = _("schemes")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return self.title_en if text_lang() == "en" else self.title_zh

    @property
    def retirement(self) -> engine.Retirement | None:
        """The scheme's retirement record (shipped data), or None while it is current."""
        return engine.retirement(self.code)

    @property
    def retired_on(self) -> dt.date | None:
        """From this day on no new self-check of the scheme can be started or submitted."""
        record = self.retirement
        return record.retired_on if record else None

    def is_retired(self, on: dt.date) -> bool:
        """Whether the scheme is closed for new self-checks on ``on``."""
        record = self.retirement
        return record is not None and record.applies(on)


class SchemeVersionQuerySet(models.QuerySet):
    def published(self) -> SchemeVersionQuerySet:
        return self.filter(status=SchemeVersion.Status.PUBLISHED)

    def latest_published(self) -> SchemeVersionQuerySet:
        """The newest published version of each scheme."""
        newest = (
            SchemeVersion.objects.filter(scheme=models.OuterRef("scheme"), status="published")
            .order_by("-version")
            .values("pk")[:1]
        )
        return self.published().filter(pk=models.Subquery(newest))


class SchemeVersion(models.Model):
    """One version of a scheme. Published versions are immutable; edits make a new draft."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")

    scheme = models.ForeignKey(
        Scheme, verbose_name=_("scheme"), on_delete=models.PROTECT, related_name="versions"
    )
    version = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    definition = models.JSONField(
        _("definition"), help_text=_("The scheme data in the documented JSON format.")
    )
    title_zh = models.CharField(_("Chinese title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=200)
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("based on"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    change_note = models.TextField(_("change note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = SchemeVersionQuerySet.as_manager()

    class Meta:
        ordering = ["scheme__code", "-version"]
        verbose_name = _("scheme version")
        verbose_name_plural = _("scheme versions")
        permissions = [("publish_schemeversion", _("Can publish scheme versions"))]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "version"], name="scheme_version_unique")
        ]

    def __str__(self) -> str:
        return _("%(title)s v%(version)s (%(status)s)") % {
            "title": self.title,
            "version": self.version,
            "status": self.get_status_display(),
        }

    @property
    def title(self) -> str:
        return self.title_en if text_lang() == "en" else self.title_zh

    @property
    def code(self) -> str:
        return self.scheme.code

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @cached_property
    def engine_scheme(self) -> engine.Scheme:
        """The validated engine model of this version, cached per process.

        A published (or retired) version never changes, so its model is kept by its id (with
        its creation time, so that an id a rolled-back transaction gave out and SQLite gives
        again is not mistaken for it), and the definition is not even read once it is cached:
        list queries defer it (``.defer("scheme_version__definition")``). A draft can still be
        edited, so it is kept by its content.
        """
        if self.pk is not None and self.status != self.Status.DRAFT:
            key = ("id", self.pk, self.created_at)
            return load_engine_scheme(key, lambda: self.definition)
        return load_engine_scheme(("draft", self.pk, self.definition_hash), lambda: self.definition)

    @property
    def definition_hash(self) -> str:
        return hashlib.sha256(
            json.dumps(self.definition, sort_keys=True, ensure_ascii=False).encode()
        ).hexdigest()

    def save(self, *args, **kwargs) -> None:
        if self.pk:
            stored = SchemeVersion.objects.filter(pk=self.pk).values("status", "definition").first()
            if (
                stored
                and stored["status"] != self.Status.DRAFT
                and stored["definition"] != self.definition
            ):
                raise ValidationError(
                    _("A published scheme version cannot be changed; create a new version.")
                )
        super().save(*args, **kwargs)


_ENGINE_CACHE: dict[tuple, engine.Scheme] = {}
_ENGINE_CACHE_SIZE = 64


def load_engine_scheme(key: tuple, definition: Callable[[], dict]) -> engine.Scheme:
    """The compiled scheme kept under ``key``; ``definition()`` is read only to compile it."""
    scheme = _ENGINE_CACHE.get(key)
    if scheme is None:
        scheme = engine.load_scheme(definition())
        if len(_ENGINE_CACHE) >= _ENGINE_CACHE_SIZE:
            _ENGINE_CACHE.pop(next(iter(_ENGINE_CACHE)))  # the oldest entry
        _ENGINE_CACHE[key] = scheme
    return scheme


class SchemeSection(models.Model):
    """Read-only projection of a version's sections (for browsing, queries and reports)."""

    version = models.ForeignKey(
        SchemeVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="sections"
    )
    code = models.CharField(_("code"), max_length=64)
    order = models.PositiveIntegerField(_("order"))
    weight = models.DecimalField(_("weight"), max_digits=8, decimal_places=2)
    title_zh = models.CharField(_("Chinese title"), max_length=300)
    title_en = models.CharField(_("English title"), max_length=300)

    class Meta:
        ordering = ["version", "order"]
        verbose_name = _("scheme section")
        verbose_name_plural = _("scheme sections")
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="scheme_section_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def title(self) -> str:
        return self.title_en if text_lang() == "en" else self.title_zh


class SchemeItem(models.Model):
    """Read-only projection of a version's scored items."""

    version = models.ForeignKey(
        SchemeVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="items"
    )
    section = models.ForeignKey(
        SchemeSection, verbose_name=_("section"), on_delete=models.CASCADE, related_name="items"
    )
    code = models.CharField(_("code"), max_length=64)
    order = models.PositiveIntegerField(_("order"))
    type = models.CharField(_("type"), max_length=16)
    required = models.BooleanField(_("required"), default=True)
    max_points = models.DecimalField(_("maximum points"), max_digits=8, decimal_places=2, null=True)
    text_zh = models.TextField(_("Chinese text"))
    text_en = models.TextField(_("English text"))
    help_zh = models.TextField(_("Chinese help"), blank=True)
    help_en = models.TextField(_("English help"), blank=True)
    recommendation_zh = models.TextField(_("Chinese recommendation"), blank=True)
    recommendation_en = models.TextField(_("English recommendation"), blank=True)
    options = models.JSONField(_("options"), default=list, blank=True)
    bands = models.JSONField(_("bands"), default=list, blank=True)
    expression = models.CharField(_("expression"), max_length=500, blank=True)

    class Meta:
        ordering = ["version", "order"]
        verbose_name = _("scheme item")
        verbose_name_plural = _("scheme items")
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="scheme_item_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"

    @property
    def text(self) -> str:
        return self.text_en if text_lang() == "en" else self.text_zh

    @property
    def help(self) -> str:
        return self.help_en if text_lang() == "en" else self.help_zh

    @property
    def recommendation(self) -> str:
        return self.recommendation_en if text_lang() == "en" else self.recommendation_zh


class Assessment(models.Model):
    """An enterprise's self-assessment in progress (the wizard's draft, saved on the server)."""

    class Status(models.TextChoices):
        OPEN = "open", _("In progress")
        SUBMITTED = "submitted", _("Submitted")
        ABANDONED = "abandoned", _("Abandoned")

    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="assessments",
    )
    scheme = models.ForeignKey(
        Scheme, verbose_name=_("scheme"), on_delete=models.PROTECT, related_name="assessments"
    )
    scheme_version = models.ForeignKey(
        SchemeVersion, verbose_name=_("scheme version"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    wizard_state = models.JSONField(
        _("wizard state"),
        default=dict,
        blank=True,
        help_text=_("Per-step form data kept by the wizard, including input not yet valid."),
    )
    current_step = models.CharField(_("current step"), max_length=64, blank=True)
    revision = models.PositiveIntegerField(_("revision"), default=0)
    carried_from = models.ForeignKey(
        "Submission",
        verbose_name=_("carried over from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    to_confirm = models.JSONField(
        _("answers to confirm"),
        default=list,
        blank=True,
        help_text=_("Answer keys pre-filled from an earlier edition that the firm must confirm."),
    )
    carry_note = models.JSONField(
        _("note on carried answers"),
        default=dict,
        blank=True,
        help_text=_(
            "Why carried answers must be confirmed: the item map's explanation, where they came "
            "from, and the earlier answers that had no place in this version."
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last saved by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "scheme"],
                condition=Q(status="open"),
                name="one_open_assessment_per_scheme",
            )
        ]

    def __str__(self) -> str:
        return f"{self.enterprise.name} · {self.scheme_version}"


def evidence_upload_to(instance: Evidence, filename: str) -> str:
    token = secrets.token_hex(8)
    return f"private/evidence/{instance.assessment.enterprise_id}/{instance.assessment_id}/{token}/{filename}"


class Evidence(models.Model):
    """A file supporting one answer; stored in the default storage, served via a checked view."""

    assessment = models.ForeignKey(
        Assessment,
        verbose_name=_("self-assessment"),
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    item_code = models.CharField(_("item"), max_length=64)
    file = models.FileField(_("file"), upload_to=evidence_upload_to, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["item_code", "-uploaded_at"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self) -> str:
        return self.original_name


def new_verify_code() -> str:
    """A 16-character verification code (about 80 bits), easy to read aloud."""
    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    return "".join(secrets.choice(alphabet) for _ in range(16))


class Submission(models.Model):
    """A frozen, immutable self-assessment: answers, scheme version and engine result."""

    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="submissions",
    )
    assessment = models.OneToOneField(
        Assessment,
        verbose_name=_("self-assessment"),
        on_delete=models.PROTECT,
        related_name="submission",
    )
    scheme_version = models.ForeignKey(
        SchemeVersion,
        verbose_name=_("scheme version"),
        on_delete=models.PROTECT,
        related_name="submissions",
    )
    answers = models.JSONField(_("answers"))
    result = models.JSONField(_("result"))
    total = models.DecimalField(_("total"), max_digits=7, decimal_places=2)
    percent = models.DecimalField(_("percent"), max_digits=6, decimal_places=2)
    level = models.CharField(_("level"), max_length=32, db_index=True)
    vetoed = models.BooleanField(_("vetoed"), default=False)
    assessed_on = models.DateField(_("assessment date"))
    language = models.CharField(_("language"), max_length=8, default="zh-hans")
    verify_code = models.CharField(
        _("verification code"), max_length=20, unique=True, default=new_verify_code, editable=False
    )
    warnings = models.JSONField(
        _("plausibility warnings"),
        default=list,
        blank=True,
        help_text=_(
            "The plausibility warnings of the answers as the firm confirmed them: "
            "[{code, items, explanation}]."
        ),
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True, db_index=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        indexes = [
            # Peer benchmarks: each enterprise's latest submission of a scheme version.
            models.Index(
                fields=["scheme_version", "enterprise", "-submitted_at"],
                name="submission_latest_per_firm",
            )
        ]

    def __str__(self) -> str:
        return f"{self.enterprise.name} · {self.scheme_version} · {self.submitted_at:%Y-%m-%d}"

    def save(self, *args, **kwargs) -> None:
        if self.pk and Submission.objects.filter(pk=self.pk).exists():
            raise ValidationError(_("A submission is immutable."))
        super().save(*args, **kwargs)


class AssessmentChange(models.Model):
    """One saved change to a draft: which answers changed, from what to what (newest last).

    The wizard uses it to tell a later save in another tab or device what changed meanwhile.
    """

    assessment = models.ForeignKey(
        Assessment,
        verbose_name=_("self-assessment"),
        on_delete=models.CASCADE,
        related_name="changes",
    )
    revision = models.PositiveIntegerField(_("revision"))
    step = models.CharField(_("step"), max_length=64, blank=True)
    changes = models.JSONField(
        _("changes"), default=dict, help_text=_("Answer key → [value before, value after].")
    )
    saved_at = models.DateTimeField(_("saved at"), auto_now_add=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saved by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["assessment", "revision"]
        verbose_name = _("self-assessment change")
        verbose_name_plural = _("self-assessment changes")
        indexes = [models.Index(fields=["assessment", "revision"], name="assessment_change_rev")]

    def __str__(self) -> str:
        return f"{self.assessment_id} r{self.revision}"


class StashedPost(models.Model):
    """Answers posted to a wizard step after the session expired, kept until the user signs in.

    Only the SHA-256 of the one-time token (carried in the login ``next`` URL) is stored, and
    of the browser session that had opened the draft: one stash per draft and session.
    """

    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    browser_hash = models.CharField(max_length=64, editable=False)
    assessment = models.ForeignKey(
        Assessment,
        verbose_name=_("self-assessment"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    step = models.CharField(_("step"), max_length=64)
    data = models.JSONField(_("posted data"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("answers kept while signed out")
        verbose_name_plural = _("answers kept while signed out")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "browser_hash"], name="one_stash_per_draft_and_session"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id} {self.step} {self.created_at:%Y-%m-%d %H:%M}"
