"""Rendered result reports (one per submission and language) and report revocations."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from assessments.models import Submission


def report_upload_to(instance: ReportFile, filename: str) -> str:
    """``private/reports/<enterprise>/<submission>/<random>/<name>.pdf`` (never served directly)."""
    token = secrets.token_hex(8)
    return (
        f"private/reports/{instance.submission.enterprise_id}/{instance.submission_id}/"
        f"{token}/{filename}"
    )


class ReportFile(models.Model):
    """The PDF result report of one submission in one language, rendered once."""

    class Status(models.TextChoices):
        PENDING = "pending", _("being prepared")
        READY = "ready", _("ready")
        FAILED = "failed", _("failed")

    class Language(models.TextChoices):
        ZH = "zh-hans", "中文"
        EN = "en", "English"

    submission = models.ForeignKey(
        Submission,
        verbose_name=_("submission"),
        on_delete=models.CASCADE,
        related_name="report_files",
    )
    language = models.CharField(_("language"), max_length=8, choices=Language.choices)
    file = models.FileField(_("file"), upload_to=report_upload_to, max_length=300, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, db_index=True)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    pages = models.PositiveIntegerField(_("pages"), default=0)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    error = models.TextField(_("error"), blank=True)
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    rendered_at = models.DateTimeField(_("rendered at"), null=True, blank=True)

    class Meta:
        ordering = ["submission", "language"]
        verbose_name = _("report file")
        verbose_name_plural = _("report files")
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "language"], name="reports_one_file_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.submission_id} · {self.language} · {self.status}"

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY

    @property
    def download_name(self) -> str:
        return f"report-{self.submission.verify_code}-{self.language}.pdf"


class Revocation(models.Model):
    """A submission's report withdrawn by the bureau: verification then says "revoked"."""

    submission = models.OneToOneField(
        Submission,
        verbose_name=_("submission"),
        on_delete=models.CASCADE,
        related_name="revocation",
    )
    reason = models.TextField(_("reason"))
    revoked_at = models.DateTimeField(_("revoked at"), auto_now_add=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("report revocation")
        verbose_name_plural = _("report revocations")

    def __str__(self) -> str:
        return f"{self.submission_id} · {self.revoked_at:%Y-%m-%d}"
