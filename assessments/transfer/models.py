"""Background import and export jobs, polled by the transfer pages."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def job_file_path(job: TransferJob, filename: str) -> str:
    """Private storage (never served directly): downloads go through a permission check."""
    return f"private/transfer/{job.pk}/{filename}"


class TransferJob(models.Model):
    class Kind(models.TextChoices):
        IMPORT_ENTERPRISES = "import_enterprises", _("Enterprise registry import")
        EXPORT_ENTERPRISES = "export_enterprises", _("Enterprise registry export")
        EXPORT_APPLICATIONS = "export_applications", _("Applications export")
        EXPORT_SUBMISSIONS = "export_submissions", _("Submissions export")
        EXPORT_DOSSIERS = "export_dossiers", _("Dossiers of applications (ZIP)")
        IMPORT_SCHEME = "import_scheme", _("Scheme items import")

    class Step(models.TextChoices):
        """The task a job waits for or runs (what a retry runs again)."""

        VALIDATE = "validate", _("Checking the file")
        IMPORT = "import", _("Importing")
        EXPORT = "export", _("Exporting")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        VALIDATING = "validating", _("Checking the file")
        PREVIEW = "preview", _("Checked: waiting for confirmation")
        IMPORTING = "importing", _("Importing")
        EXPORTING = "exporting", _("Exporting")
        DONE = "done", _("Finished")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.CASCADE,
        related_name="transfer_jobs",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    step = models.CharField(_("step"), max_length=16, choices=Step.choices, blank=True)
    options = models.JSONField(_("options"), default=dict, blank=True)
    source = models.FileField(_("uploaded file"), upload_to=job_file_path, blank=True)
    source_name = models.CharField(_("uploaded file name"), max_length=255, blank=True)
    result = models.FileField(_("result file"), upload_to=job_file_path, blank=True)
    result_name = models.CharField(_("result file name"), max_length=255, blank=True)
    report = models.FileField(_("check report"), upload_to=job_file_path, blank=True)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    valid_rows = models.PositiveIntegerField(_("valid rows"), default=0)
    invalid_rows = models.PositiveIntegerField(_("rows with errors"), default=0)
    created_rows = models.PositiveIntegerField(_("rows imported"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    preview = models.JSONField(_("preview"), default=list, blank=True)
    message = models.TextField(_("message"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import or export job")
        verbose_name_plural = _("import and export jobs")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_import(self) -> bool:
        return self.kind == self.Kind.IMPORT_ENTERPRISES

    @property
    def is_scheme_import(self) -> bool:
        return self.kind == self.Kind.IMPORT_SCHEME

    @property
    def is_running(self) -> bool:
        return self.status in (
            self.Status.QUEUED,
            self.Status.VALIDATING,
            self.Status.IMPORTING,
            self.Status.EXPORTING,
        )

    @property
    def can_retry(self) -> bool:
        """A job stopped by a crash, a dead worker or a queue failure can be run again."""
        return self.status == self.Status.FAILED and bool(self.options.get("retryable"))

    @property
    def percent(self) -> int:
        if self.status in (self.Status.DONE, self.Status.PREVIEW):
            return 100
        if not self.total_rows:
            return 0
        return min(100, int(self.processed_rows * 100 / self.total_rows))
