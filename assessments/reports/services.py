"""Rendering and storing result reports (state changes live here)."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from assessments.models import Evidence, Submission
from portal.core.i18n import django_language
from portal.core.siteurls import absolute_url

from . import tasks
from .content import Enterprise, report_context, report_title
from .models import ReportFile
from .pdf import render_html, render_pdf_with_pages
from .signing import SigningKeyError, sign_pdf, signing_key

logger = logging.getLogger(__name__)

REPORT_TEMPLATE = "reports/pdf/report.html"
LANGUAGES = (ReportFile.Language.ZH, ReportFile.Language.EN)
# A report still pending after this long is queued again (a worker died or lost the task).
STALE_AFTER = dt.timedelta(minutes=15)


def normalise_language(lang: str | None, default: str = ReportFile.Language.ZH) -> str:
    """ "en…" → "en", "zh…" → "zh-hans", anything else → ``default``."""
    lang = (lang or "").lower()
    if lang.startswith("en"):
        return ReportFile.Language.EN
    if lang.startswith("zh"):
        return ReportFile.Language.ZH
    return default


def verify_url(code: str, lang: str = ReportFile.Language.ZH) -> str:
    """The absolute public verification address of ``code`` (host: ``portal.core.siteurls``)."""
    with translation.override(django_language(lang)):
        path = reverse("verify:detail", kwargs={"code": code})
    return absolute_url(path)


def submission_report_context(submission: Submission, lang: str) -> dict:
    scheme = submission.scheme_version.engine_scheme
    enterprise = submission.enterprise
    return report_context(
        scheme=scheme,
        result=submission.result,
        answers=submission.answers,
        enterprise=Enterprise(enterprise.name, enterprise.credit_code),
        assessed_on=submission.assessed_on,
        lang=lang,
        verify_code=submission.verify_code,
        verify_url=verify_url(submission.verify_code, lang),
        issued_on=timezone.localdate(submission.submitted_at) if submission.submitted_at else None,
        evidence=Evidence.objects.filter(assessment_id=submission.assessment_id).order_by("pk"),
        warnings=submission.warnings or None,
    )


def submission_report_html(submission: Submission, lang: str) -> str:
    """The HTML that :func:`render_submission_report` hands to WeasyPrint."""
    lang = normalise_language(lang)
    scheme = submission.scheme_version.engine_scheme
    return render_html(
        REPORT_TEMPLATE,
        submission_report_context(submission, lang),
        lang=lang,
        title=report_title(scheme, submission.enterprise.name, lang),
    )


def render_submission_report(submission: Submission, lang: str) -> tuple[bytes, int]:
    """The signed PDF bytes and page count of a submission's report in ``lang``."""
    lang = normalise_language(lang)
    scheme = submission.scheme_version.engine_scheme
    title = report_title(scheme, submission.enterprise.name, lang)
    data, pages = render_pdf_with_pages(
        REPORT_TEMPLATE, submission_report_context(submission, lang), lang=lang, title=title
    )
    return sign_pdf(data, reason=title), pages


def request_report(submission: Submission, lang: str) -> ReportFile:
    """The report file of ``submission`` in ``lang``; rendering is queued when there is none.

    A failed rendering, or one pending for longer than ``STALE_AFTER``, is queued again; a
    ready one is left alone (rendered once). The rendering is queued when the transaction
    commits; outside a transaction with the immediate task backend (a view), the file is ready
    when this returns.
    """
    lang = normalise_language(lang)
    report = ReportFile.objects.filter(submission=submission, language=lang).first()
    if report is None:
        try:
            with transaction.atomic():
                report = ReportFile.objects.create(submission=submission, language=lang)
        except IntegrityError:  # another request created it meanwhile
            return ReportFile.objects.get(submission=submission, language=lang)
    elif report.status == ReportFile.Status.FAILED or (
        report.status == ReportFile.Status.PENDING
        and report.requested_at < timezone.now() - STALE_AFTER
    ):
        # Failed, or queued so long ago that the worker must have lost it: queue it again.
        ReportFile.objects.filter(pk=report.pk).update(
            status=ReportFile.Status.PENDING, error="", requested_at=timezone.now()
        )
    else:
        return report
    pk = report.pk
    transaction.on_commit(lambda: tasks.build_report_file_task.enqueue(pk))
    report.refresh_from_db()
    return report


def build_report_file(report_id: int) -> ReportFile | None:
    """Render and store one report file (the task body). Failures are recorded, not raised."""
    report = (
        ReportFile.objects.select_related("submission__enterprise", "submission__scheme_version")
        .filter(pk=report_id)
        .first()
    )
    if report is None or report.status == ReportFile.Status.READY:
        return report
    try:
        data, pages = render_submission_report(report.submission, report.language)
    except Exception as exc:  # a broken template or font must not leave the page waiting forever
        logger.exception("rendering report %s failed", report_id)
        report.status = ReportFile.Status.FAILED
        report.error = f"{type(exc).__name__}: {exc}"[:2000]
        report.save(update_fields=["status", "error"])
        return report
    report.file.save(report.download_name, ContentFile(data), save=False)
    report.sha256 = hashlib.sha256(data).hexdigest()
    report.size = len(data)
    report.pages = pages
    report.status = ReportFile.Status.READY
    report.error = ""
    report.rendered_at = timezone.now()
    report.save()
    return report


def read_upload(upload) -> bytes:
    """The bytes of an uploaded file (bounded by the form's size limit), read in chunks."""
    return b"".join(upload.chunks())


def signing_key_facts() -> dict:
    """Who signs the portal's PDFs, for the verification page: subject, SHA-256 fingerprint of
    the certificate, and whether it is the generated development key."""
    try:
        key = signing_key()
    except SigningKeyError:
        logger.exception("the PDF signing key cannot be loaded")
        return {"available": False}
    return {
        "available": True,
        "subject": key.subject,
        "fingerprint": key.fingerprint,
        "development": key.development,
    }
