"""Background import and export jobs: create, run (from django-tasks), confirm, read.

A job's rows-processed counter is written to the job row and to the cache; while an import
commits inside its transaction only the cache copy is visible to the polling page.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Callable
from typing import IO, Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assessments.transfer import enterprises
from assessments.transfer.files import UploadError, max_upload_bytes, read_table
from assessments.transfer.models import TransferJob
from portal.accounts.models import User
from portal.accounts.services import audit
from portal.core.uploads import SPREADSHEETS, check_upload

logger = logging.getLogger(__name__)

#: At most this many row errors are kept on the job for the page; the count is always exact.
MAX_STORED_ERRORS = 2000
Exporter = Callable[..., int]


def _progress_key(job_id: Any) -> str:
    return f"transfer:progress:{job_id}"


def report_progress(job_id: Any, processed: int, *, in_transaction: bool = False) -> None:
    cache.set(_progress_key(job_id), processed, 3600)
    if not in_transaction:
        TransferJob.objects.filter(pk=job_id).update(
            processed_rows=processed, updated_at=timezone.now()
        )


def processed_rows(job: TransferJob) -> int:
    cached = cache.get(_progress_key(job.pk))
    return max(job.processed_rows, cached or 0) if job.is_running else job.processed_rows


def job_for(user: User, job_id: Any) -> TransferJob:
    """The user's own job, or 404 (another user's job is never shown)."""
    try:
        return TransferJob.objects.get(pk=job_id, created_by=user)
    except (TransferJob.DoesNotExist, ValidationError, ValueError):
        raise Http404 from None


def recent_jobs(user: User, limit: int = 10) -> list[TransferJob]:
    return list(TransferJob.objects.filter(created_by=user)[:limit])


def _enqueue(task, job: TransferJob) -> None:
    """Hand the job to django-tasks; a failure to enqueue fails the job visibly."""
    try:
        task.enqueue(str(job.pk))
    except Exception:  # the backend is unreachable: say so instead of spinning forever
        logger.exception("could not enqueue transfer job %s", job.pk)
        TransferJob.objects.filter(pk=job.pk).update(
            status=TransferJob.Status.FAILED,
            message=_("The job could not be started; try again later."),
        )


# --- enterprise import -------------------------------------------------------------------


def start_import(
    *, user: User, fileobj: IO[bytes], name: str, size: int | None, base_url: str
) -> TransferJob:
    """Check the upload's size and type, store it privately and queue the dry run."""
    from assessments.transfer import tasks

    fmt = check_upload(
        fileobj, SPREADSHEETS, limit=max_upload_bytes(), name=name, size=size
    ).kind.code
    job = TransferJob.objects.create(
        kind=TransferJob.Kind.IMPORT_ENTERPRISES,
        created_by=user,
        source_name=name[:255],
        options={
            "format": fmt,
            "language": translation.get_language() or "zh-hans",
            "base_url": base_url,
        },
    )
    fileobj.seek(0)
    job.source.save(f"source.{fmt}", File(fileobj), save=True)
    _enqueue(tasks.validate_import, job)
    job.refresh_from_db()
    return job


def _fail(job: TransferJob, message: str) -> None:
    job.status = TransferJob.Status.FAILED
    job.message = message
    job.finished_at = timezone.now()
    job.save()


def _store_report(job: TransferJob, report: enterprises.ImportReport) -> None:
    job.total_rows = report.total_rows
    job.valid_rows = report.valid_rows
    job.invalid_rows = report.invalid_rows
    job.errors = report.error_dicts()[:MAX_STORED_ERRORS]
    job.options = {**job.options, "error_count": len(report.errors), "notices": report.notices}


def run_validation(job_id: str) -> None:
    job = TransferJob.objects.get(pk=job_id)
    job.status = TransferJob.Status.VALIDATING
    job.save(update_fields=["status", "updated_at"])
    try:
        with job.source.open("rb") as fileobj:
            table = read_table(fileobj, job.options["format"])
    except UploadError as exc:
        _fail(job, str(exc))
        return
    job.total_rows = len(table.row_numbers)
    job.save(update_fields=["total_rows", "updated_at"])
    with translation.override(job.options.get("language")):
        report = enterprises.import_enterprises(
            table,
            user=job.created_by,
            dry_run=True,
            progress=lambda n: report_progress(job.pk, n),
        )
    _store_report(job, report)
    job.preview = report.preview_rows()
    job.processed_rows = job.total_rows
    job.status = TransferJob.Status.PREVIEW
    job.save()


def confirm_import(job: TransferJob, *, valid_only: bool) -> None:
    """The user confirmed the preview: queue the import (all rows, or the valid ones only)."""
    from assessments.transfer import tasks

    if job.status != TransferJob.Status.PREVIEW:
        raise ValidationError(_("This import is not waiting for confirmation."))
    if job.invalid_rows and not valid_only:
        raise ValidationError(
            _(
                "Some rows have errors, so nothing can be imported as it is. Correct the file "
                "and upload it again, or choose to import the valid rows only."
            )
        )
    if job.valid_rows == 0:
        raise ValidationError(_("The file has no rows that can be imported."))
    job.status = TransferJob.Status.IMPORTING
    job.processed_rows = 0
    job.options = {**job.options, "valid_only": valid_only}
    job.save()
    _enqueue(tasks.run_import, job)


def _links_file(report: enterprises.ImportReport) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("Row"), _("Credit code"), _("Enterprise"), _("Owner e-mail"), _("Link")])
    for item in report.created:
        writer.writerow(
            [
                item.row,
                item.enterprise.credit_code,
                item.enterprise.name,
                item.email,
                item.accept_url,
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def run_import(job_id: str) -> None:
    job = TransferJob.objects.get(pk=job_id)
    try:
        with job.source.open("rb") as fileobj:
            table = read_table(fileobj, job.options["format"])
    except UploadError as exc:
        _fail(job, str(exc))
        return
    language = job.options.get("language") or "zh-hans"
    with translation.override(language):
        report = enterprises.import_enterprises(
            table,
            user=job.created_by,
            dry_run=False,
            valid_only=bool(job.options.get("valid_only")),
            base_url=job.options.get("base_url", ""),
            progress=lambda n: report_progress(job.pk, n, in_transaction=True),
        )
        _store_report(job, report)
        job.processed_rows = job.total_rows
        job.finished_at = timezone.now()
        if not report.written:
            job.status = TransferJob.Status.FAILED
            job.message = _(
                "Nothing was imported: rows failed when the import ran (the registry changed "
                "since the check). Review the errors and upload the file again."
            )
            job.save()
            return
        job.created_rows = len(report.created)
        if report.created:
            job.result.save("invitations.csv", ContentFile(_links_file(report)), save=False)
            job.result_name = f"invitations-{timezone.localdate():%Y%m%d}.csv"
        job.status = TransferJob.Status.DONE
        job.save()
    audit(
        "enterprises.imported",
        actor=job.created_by,
        job=str(job.pk),
        file=job.source_name,
        created=job.created_rows,
        skipped=job.invalid_rows,
    )


def invitation_links(job: TransferJob, limit: int = 200) -> list[dict[str, str]]:
    """Rows of the job's invitation file whose owner has no e-mail (their link is shown)."""
    if job.kind != TransferJob.Kind.IMPORT_ENTERPRISES or not job.result:
        return []
    with job.result.open("rb") as fileobj:
        text = fileobj.read().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))[1:]
    links = [
        {"row": r[0], "credit_code": r[1], "name": r[2], "url": r[4]} for r in rows if not r[3]
    ]
    return links[:limit]


# --- exports -----------------------------------------------------------------------------


def _exporters() -> dict[str, Exporter]:
    from assessments.transfer import applications

    return {
        TransferJob.Kind.EXPORT_ENTERPRISES: enterprises.export_enterprises,
        TransferJob.Kind.EXPORT_APPLICATIONS: applications.export_applications,
        TransferJob.Kind.EXPORT_SUBMISSIONS: applications.export_submissions,
    }


EXPORT_NAMES = {
    TransferJob.Kind.EXPORT_ENTERPRISES: "enterprises",
    TransferJob.Kind.EXPORT_APPLICATIONS: "applications",
    TransferJob.Kind.EXPORT_SUBMISSIONS: "submissions",
}


def start_export(
    *, user: User, kind: str, fmt: str, lang: str, filters: dict[str, Any] | None = None
) -> TransferJob:
    from assessments.transfer import tasks

    job = TransferJob.objects.create(
        kind=kind,
        created_by=user,
        status=TransferJob.Status.QUEUED,
        options={
            "format": fmt,
            "lang": lang,
            "filters": filters or {},
            "language": translation.get_language() or "zh-hans",
        },
    )
    _enqueue(tasks.run_export, job)
    job.refresh_from_db()
    return job


def run_export(job_id: str) -> None:
    job = TransferJob.objects.get(pk=job_id)
    job.status = TransferJob.Status.EXPORTING
    job.save(update_fields=["status", "updated_at"])
    fmt = job.options.get("format", "xlsx")
    buffer = io.BytesIO()
    kwargs: dict[str, Any] = {
        "fmt": fmt,
        "lang": job.options.get("lang", "zh"),
        "user": job.created_by,
    }
    if job.kind != TransferJob.Kind.EXPORT_ENTERPRISES:
        kwargs["filters"] = job.options.get("filters") or {}
    with translation.override(job.options.get("language")):
        rows = _exporters()[job.kind](buffer, **kwargs)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    job.result_name = f"{EXPORT_NAMES[job.kind]}-{stamp}.{fmt}"
    job.result.save(f"export.{fmt}", ContentFile(buffer.getvalue()), save=False)
    job.total_rows = job.processed_rows = job.created_rows = rows
    job.status = TransferJob.Status.DONE
    job.finished_at = timezone.now()
    job.save()
    audit("transfer.exported", actor=job.created_by, job=str(job.pk), kind=job.kind, rows=rows)


def run_guarded(runner: Callable[[str], None], job_id: str) -> None:
    """Run a job step; an unexpected error fails the job with a message instead of hanging."""
    try:
        runner(job_id)
    except Exception:
        logger.exception("transfer job %s failed", job_id)
        TransferJob.objects.filter(pk=job_id).update(
            status=TransferJob.Status.FAILED,
            message=_(
                "The job failed unexpectedly and was stopped; nothing was changed. Try again "
                "later, and tell the site administrator if it fails again."
            ),
            finished_at=timezone.now(),
        )


# --- scheme items round trip -------------------------------------------------------------


def start_scheme_import(
    *, user: User, fileobj: IO[bytes], name: str, size: int | None, base
) -> TransferJob:
    """Check an edited scheme sheet against ``base`` and keep the diff for confirmation."""
    from assessments.transfer.schemes import read_scheme_sheet

    fmt = check_upload(
        fileobj, SPREADSHEETS, limit=max_upload_bytes(), name=name, size=size
    ).kind.code
    if fmt != "xlsx":
        raise UploadError(_("Scheme items are imported from the .xlsx file of their export."))
    table = read_table(fileobj, fmt)
    result = read_scheme_sheet(table, base)
    bad_rows = {e.row for e in result.errors}
    job = TransferJob.objects.create(
        kind=TransferJob.Kind.IMPORT_SCHEME,
        created_by=user,
        status=TransferJob.Status.PREVIEW,
        source_name=name[:255],
        options={
            "format": fmt,
            "base_version": base.pk,
            "scheme": base.scheme.code,
            "base_number": base.version,
            "error_count": len(result.errors),
        },
        total_rows=len(table.row_numbers),
        processed_rows=len(table.row_numbers),
        invalid_rows=len(bad_rows),
        valid_rows=len(table.row_numbers) - len(bad_rows),
        errors=result.error_dicts()[:MAX_STORED_ERRORS],
        preview=result.diff_dicts(),
    )
    fileobj.seek(0)
    job.source.save(f"source.{fmt}", File(fileobj), save=True)
    return job


def confirm_scheme_import(job: TransferJob, *, change_note: str) -> None:
    """Create the next draft version from the confirmed sheet (read again from storage)."""
    from assessments.models import SchemeVersion
    from assessments.transfer.schemes import create_draft, read_scheme_sheet

    if job.status != TransferJob.Status.PREVIEW or not job.is_scheme_import:
        raise ValidationError(_("This import is not waiting for confirmation."))
    base = SchemeVersion.objects.select_related("scheme").get(pk=job.options["base_version"])
    with job.source.open("rb") as fileobj:
        table = read_table(fileobj, "xlsx")
    result = read_scheme_sheet(table, base)
    draft = create_draft(result, base=base, user=job.created_by, change_note=change_note)
    job.status = TransferJob.Status.DONE
    job.finished_at = timezone.now()
    job.created_rows = len(result.diffs)
    job.options = {**job.options, "new_version": draft.pk, "new_number": draft.version}
    job.message = _("Draft version %(n)s of %(code)s was created; a moderator publishes it.") % {
        "n": draft.version,
        "code": base.scheme.code,
    }
    job.save()
    audit(
        "scheme.items_imported",
        actor=job.created_by,
        job=str(job.pk),
        scheme=base.scheme.code,
        based_on=base.version,
        version=draft.version,
    )
