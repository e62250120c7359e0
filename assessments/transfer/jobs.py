"""Background import and export jobs: the services that start, run, confirm, retry and read them.

``start_import``, ``confirm_import``, ``start_export`` and ``retry_job`` put a job in the
``queued`` state for a step (``TransferJob.Step``) in a transaction and enqueue the step's task
(``assessments.transfer.tasks``) after the commit, so that a worker never looks for a job that
is not committed yet. The tasks call back into the ``*_job`` functions here
(``validate_import_job``, ``import_enterprises_job``, ``export_job``) through ``run_guarded``;
each first *claims* the job (queued → running, in one UPDATE), so a task that is delivered
twice, or one left over from before a retry, runs nothing.

Progress (rows processed, and when) is written to the progress cache (``caches["progress"]``:
the shared cache, or a file cache on one machine) and, outside the import's transaction, to the
job row. A running job that has not reported for ``TRANSFER_JOB_TIMEOUT`` seconds (a worker
that died, or no worker at all) is marked failed when it is next looked at, and can be retried.
"""

from __future__ import annotations

import csv
import io
import logging
import tempfile
import time
from collections.abc import Callable
from typing import IO, Any

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assessments.models import SchemeVersion
from assessments.review import dossier
from assessments.transfer import applications, enterprises, tasks
from assessments.transfer.files import UploadError, check_spreadsheet, read_table
from assessments.transfer.models import TransferJob
from assessments.transfer.schemes import create_draft, read_scheme_sheet
from assessments.transfer.workbooks import write_check_report
from portal.accounts.models import User
from portal.accounts.services import audit

logger = logging.getLogger(__name__)

#: At most this many row errors are kept on the job for the page; the count is always exact.
MAX_STORED_ERRORS = 2000
#: Rows of the preview and invitation links shown on the job page (the files have them all).
PREVIEW_ROWS = 20
LINKS_SHOWN = 200
Exporter = Callable[..., int]
Step = TransferJob.Step
Status = TransferJob.Status
#: The state a claimed job is in while its step runs.
RUNNING = {
    Step.VALIDATE: Status.VALIDATING,
    Step.IMPORT: Status.IMPORTING,
    Step.EXPORT: Status.EXPORTING,
}


def job_timeout() -> int:
    """Seconds without a sign of life after which a running or queued job is failed."""
    return settings.TRANSFER_JOB_TIMEOUT


def _progress_cache():
    return caches["progress"] if "progress" in settings.CACHES else caches["default"]


def _progress_key(job_id: Any) -> str:
    return f"transfer:progress:{job_id}"


def report_progress(job_id: Any, processed: int, *, in_transaction: bool = False) -> None:
    """Rows processed so far, with the time (the worker's sign of life)."""
    _progress_cache().set(_progress_key(job_id), (processed, time.time()), 24 * 3600)
    if not in_transaction:
        TransferJob.objects.filter(pk=job_id).update(
            processed_rows=processed, updated_at=timezone.now()
        )


def _heartbeat(job: TransferJob) -> tuple[int, float]:
    cached = _progress_cache().get(_progress_key(job.pk))
    if isinstance(cached, (tuple, list)) and len(cached) == 2:
        return int(cached[0]), float(cached[1])
    return 0, 0.0


def processed_rows(job: TransferJob) -> int:
    if not job.is_running:
        return job.processed_rows
    return max(job.processed_rows, _heartbeat(job)[0])


def expire_if_stale(job: TransferJob) -> bool:
    """Fail a queued or running job that gave no sign of life for ``job_timeout()`` seconds.

    The update only applies when the row is unchanged since it was read, so a worker that
    reports meanwhile wins. Returns whether the job was failed.
    """
    if not job.is_running:
        return False
    last = max(job.updated_at.timestamp(), _heartbeat(job)[1])
    if time.time() - last < job_timeout():
        return False
    minutes = max(1, round(job_timeout() / 60))
    if job.status == Status.QUEUED:
        message = _(
            "No task worker started this job within %(minutes)s minutes, so it was stopped. "
            "Nothing was changed. Try again; if it happens again, the site administrator must "
            "start the task worker (manage.py db_worker)."
        ) % {"minutes": minutes}
    else:
        message = _(
            "The job stopped: its task worker gave no sign of life for %(minutes)s minutes (it "
            "was probably stopped or restarted). Nothing was changed. Try again."
        ) % {"minutes": minutes}
    options = {**job.options, "retryable": True, "stale": True}
    now = timezone.now()
    changed = TransferJob.objects.filter(
        pk=job.pk, status=job.status, updated_at=job.updated_at
    ).update(
        status=Status.FAILED, message=message, finished_at=now, updated_at=now, options=options
    )
    if changed:
        logger.warning("transfer job %s (%s) timed out in %s", job.pk, job.step, job.status)
        job.status, job.message, job.finished_at, job.options = Status.FAILED, message, now, options
    return bool(changed)


def job_for(user: User, job_id: Any) -> TransferJob:
    """The user's own job, or 404 (another user's job is never shown); a stale one is failed."""
    try:
        job = TransferJob.objects.get(pk=job_id, created_by=user)
    except (TransferJob.DoesNotExist, ValidationError, ValueError):
        raise Http404 from None
    expire_if_stale(job)
    return job


def recent_jobs(user: User, limit: int = 10) -> list[TransferJob]:
    jobs = list(TransferJob.objects.filter(created_by=user)[:limit])
    for job in jobs:
        expire_if_stale(job)
    return jobs


def _fail_retryably(job_id: Any, message: str) -> None:
    """Fail a job that was stopped (not refused): the user can run its step again."""
    job = TransferJob.objects.filter(pk=job_id).first()
    if job is None:
        return
    job.status = Status.FAILED
    job.message = message
    job.finished_at = timezone.now()
    job.options = {**job.options, "retryable": True}
    job.save(update_fields=["status", "message", "finished_at", "options", "updated_at"])


def _enqueue(task, job_id: Any) -> None:
    """Hand the job to django-tasks; a failure to enqueue fails the job visibly."""
    try:
        task.enqueue(str(job_id))
    except Exception:  # the backend is unreachable: say so instead of spinning forever
        logger.exception("could not enqueue transfer job %s", job_id)
        _fail_retryably(job_id, _("The job could not be started; try again later."))


def _task_for(step: str):
    return {
        Step.VALIDATE: tasks.validate_import_task,
        Step.IMPORT: tasks.import_enterprises_task,
        Step.EXPORT: tasks.export_task,
    }[step]


def _queue(job: TransferJob, step: str) -> None:
    """Put the saved job in the queue for ``step``: its task is enqueued after the commit."""
    _progress_cache().delete(_progress_key(job.pk))
    job_id = job.pk
    task = _task_for(step)
    transaction.on_commit(lambda: _enqueue(task, job_id))


def claim(job_id: Any, step: str) -> TransferJob | None:
    """Move a queued job into its running state; None when it is not queued for ``step``."""
    claimed = TransferJob.objects.filter(pk=job_id, status=Status.QUEUED, step=step).update(
        status=RUNNING[step], updated_at=timezone.now()
    )
    if not claimed:
        logger.info("transfer job %s is not queued for %s: nothing to run", job_id, step)
        return None
    return TransferJob.objects.select_related("created_by").get(pk=job_id)


def retry_job(job: TransferJob) -> None:
    """Run a stopped job's step again (same file, same choices)."""
    if not job.can_retry or job.step not in RUNNING:
        raise ValidationError(_("This job cannot be tried again."))
    with transaction.atomic():
        job.status = Status.QUEUED
        job.message = ""
        job.finished_at = None
        job.processed_rows = 0
        job.options = {k: v for k, v in job.options.items() if k not in ("retryable", "stale")}
        job.save()
        _queue(job, job.step)


# --- enterprise import -------------------------------------------------------------------


def start_import(
    *, user: User, fileobj: IO[bytes], name: str, size: int | None, base_url: str
) -> TransferJob:
    """Check the upload's size and type, store it privately and queue the dry run."""
    fmt = check_spreadsheet(fileobj, name, size)
    with transaction.atomic():
        job = TransferJob.objects.create(
            kind=TransferJob.Kind.IMPORT_ENTERPRISES,
            created_by=user,
            source_name=name[:255],
            step=Step.VALIDATE,
            options={
                "format": fmt,
                "language": translation.get_language() or "zh-hans",
                "base_url": base_url,
            },
        )
        fileobj.seek(0)
        job.source.save(f"source.{fmt}", File(fileobj), save=True)
        _queue(job, Step.VALIDATE)
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


def validate_import_job(job_id: str) -> None:
    """Check every row of the job's file (a dry run); store the counts, the preview and the
    check report (every row, each bad cell marked with its problem)."""
    job = claim(job_id, Step.VALIDATE)
    if job is None:
        return
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
        if report.checked:
            with tempfile.TemporaryFile() as out:
                write_check_report(table, report, out)
                out.seek(0)
                job.report.save("check.xlsx", File(out), save=False)
    job.preview = report.preview_rows(PREVIEW_ROWS)
    job.processed_rows = job.total_rows
    job.status = TransferJob.Status.PREVIEW
    job.save()


def confirm_import(job: TransferJob, *, valid_only: bool) -> None:
    """The user confirmed the preview: queue the import (all rows, or the valid ones only)."""
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
    with transaction.atomic():
        job.status = Status.QUEUED
        job.step = Step.IMPORT
        job.processed_rows = 0
        job.options = {**job.options, "valid_only": valid_only}
        job.save()
        _queue(job, Step.IMPORT)


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


def import_enterprises_job(job_id: str) -> None:
    """Import the confirmed file in one transaction; keep the invitation links on the job."""
    job = claim(job_id, Step.IMPORT)
    if job is None:
        return
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


def invitation_links(
    job: TransferJob, limit: int = LINKS_SHOWN
) -> tuple[list[dict[str, str]], int]:
    """The first ``limit`` invitation links of owners without an e-mail (shown on the page,
    the others are in the job's CSV file), and how many there are in all."""
    if job.kind != TransferJob.Kind.IMPORT_ENTERPRISES or not job.result:
        return [], 0
    links: list[dict[str, str]] = []
    total = 0
    with job.result.open("rb") as fileobj:
        text = io.TextIOWrapper(fileobj, encoding="utf-8-sig", newline="")
        reader = csv.reader(text)
        next(reader, None)
        for r in reader:
            if len(r) < 5 or r[3]:
                continue
            total += 1
            if len(links) < limit:
                links.append({"row": r[0], "credit_code": r[1], "name": r[2], "url": r[4]})
    return links, total


# --- exports -----------------------------------------------------------------------------


def _exporters() -> dict[str, Exporter]:
    # Looked up when the export runs, so that the exporters can be replaced in tests.
    return {
        TransferJob.Kind.EXPORT_ENTERPRISES: enterprises.export_enterprises,
        TransferJob.Kind.EXPORT_APPLICATIONS: applications.export_applications,
        TransferJob.Kind.EXPORT_SUBMISSIONS: applications.export_submissions,
        TransferJob.Kind.EXPORT_DOSSIERS: dossier.export_dossiers,
    }


EXPORT_NAMES = {
    TransferJob.Kind.EXPORT_ENTERPRISES: "enterprises",
    TransferJob.Kind.EXPORT_APPLICATIONS: "applications",
    TransferJob.Kind.EXPORT_SUBMISSIONS: "submissions",
    TransferJob.Kind.EXPORT_DOSSIERS: "dossiers",
}


def start_export(
    *, user: User, kind: str, fmt: str, lang: str, filters: dict[str, Any] | None = None
) -> TransferJob:
    """Create an export job and queue it."""
    with transaction.atomic():
        job = TransferJob.objects.create(
            kind=kind,
            created_by=user,
            status=Status.QUEUED,
            step=Step.EXPORT,
            options={
                "format": fmt,
                "lang": lang,
                "filters": filters or {},
                "language": translation.get_language() or "zh-hans",
            },
        )
        _queue(job, Step.EXPORT)
    job.refresh_from_db()
    return job


def export_job(job_id: str) -> None:
    """Stream the job's export into a temporary file and attach it to the job for download."""
    job = claim(job_id, Step.EXPORT)
    if job is None:
        return
    fmt = job.options.get("format", "xlsx")

    def progress(done: int, total: int) -> None:
        if done == 0:
            TransferJob.objects.filter(pk=job.pk).update(total_rows=total)
        report_progress(job.pk, done)

    kwargs: dict[str, Any] = {
        "fmt": fmt,
        "lang": job.options.get("lang", "zh"),
        "user": job.created_by,
        "progress": progress,
    }
    if job.kind != TransferJob.Kind.EXPORT_ENTERPRISES:  # filtered like the review queue
        kwargs["filters"] = job.options.get("filters") or {}
    with tempfile.TemporaryFile() as out:
        with translation.override(job.options.get("language")):
            rows = _exporters()[job.kind](out, **kwargs)
        out.seek(0)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        job.result_name = f"{EXPORT_NAMES[job.kind]}-{stamp}.{fmt}"
        job.result.save(f"export.{fmt}", File(out), save=False)
    job.total_rows = job.processed_rows = job.created_rows = rows
    job.status = TransferJob.Status.DONE
    job.finished_at = timezone.now()
    job.save()
    audit("transfer.exported", actor=job.created_by, job=str(job.pk), kind=job.kind, rows=rows)


def run_guarded(runner: Callable[[str], None], job_id: str) -> None:
    """Run a job step; an unexpected error fails the job with a message instead of hanging
    (the step can be retried: a failed import's transaction was rolled back)."""
    try:
        runner(job_id)
    except Exception:
        logger.exception("transfer job %s failed", job_id)
        _fail_retryably(
            job_id,
            _(
                "The job failed unexpectedly and was stopped; nothing was changed. Try again "
                "later, and tell the site administrator if it fails again."
            ),
        )


# --- scheme items round trip -------------------------------------------------------------


def start_scheme_import(
    *, user: User, fileobj: IO[bytes], name: str, size: int | None, base
) -> TransferJob:
    """Check an edited scheme sheet against ``base`` and keep the diff for confirmation."""
    fmt = check_spreadsheet(fileobj, name, size)
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
