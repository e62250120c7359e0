"""Import and export pages (administrators and lead reviewers only; everyone else gets 404)."""

from __future__ import annotations

import io
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessments.models import SchemeVersion
from assessments.transfer import jobs
from assessments.transfer.applications import (
    applications_for_export,
    describe_filters,
    queue_filters,
)
from assessments.transfer.files import UploadError, content_type, max_upload_bytes
from assessments.transfer.forms import (
    ConfirmImportForm,
    ConfirmSchemeForm,
    DossierExportForm,
    ExportForm,
    ImportForm,
    SchemeImportForm,
    SubmissionExportForm,
)
from assessments.transfer.models import TransferJob
from assessments.transfer.permissions import require_transfer, scope_codes
from assessments.transfer.schemes import export_scheme_items
from assessments.transfer.workbooks import write_template
from portal.accounts.resources import ENTERPRISE_COLUMNS
from portal.core.downloads import protected_file_response
from portal.core.requests import accepts_uploads


def transfer_role_required(view):
    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        require_transfer(request.user)
        return view(request, *args, **kwargs)

    return wrapper


@require_GET
@transfer_role_required
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "transfer/index.html",
        {
            "export_form": ExportForm(),
            "submission_form": SubmissionExportForm(),
            "jobs": jobs.recent_jobs(request.user),
        },
    )


@accepts_uploads(max_upload_bytes)  # a bigger body is refused before it is read
@require_http_methods(["GET", "POST"])
@transfer_role_required
def import_enterprises(request: HttpRequest) -> HttpResponse:
    form = ImportForm()
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            job = jobs.start_import(
                user=request.user,
                fileobj=upload,
                name=upload.name,
                size=upload.size,
                base_url=request.build_absolute_uri("/"),
            )
            return redirect("transfer:job", job.pk)
    return render(request, "transfer/import.html", {"form": form, "columns": ENTERPRISE_COLUMNS})


def _export(request: HttpRequest, kind: str, form, filters: dict) -> HttpResponse:
    if not form.is_valid():
        messages.error(request, _("Choose a file type and a header language."))
        return redirect("transfer:index")
    job = jobs.start_export(
        user=request.user,
        kind=kind,
        fmt=form.cleaned_data["format"],
        lang=form.cleaned_data["lang"],
        filters=filters,
    )
    return redirect("transfer:job", job.pk)


@require_POST
@transfer_role_required
def export_enterprises(request: HttpRequest) -> HttpResponse:
    return _export(request, TransferJob.Kind.EXPORT_ENTERPRISES, ExportForm(request.POST), {})


@require_http_methods(["GET", "POST"])
@transfer_role_required
def export_applications(request: HttpRequest) -> HttpResponse:
    """GET with the review queue's query string shows the filters; POST starts the export."""
    params = request.POST if request.method == "POST" else request.GET
    filters = queue_filters(request.user, params)
    if request.method == "POST":
        return _export(
            request, TransferJob.Kind.EXPORT_APPLICATIONS, ExportForm(request.POST), filters
        )
    hidden = [(k, v) for k, values in request.GET.lists() for v in values if k != "page"]
    return render(
        request,
        "transfer/export_applications.html",
        {
            "form": ExportForm(),
            "filters": describe_filters(request.user, request.GET),
            "hidden": hidden,
        },
    )


@require_http_methods(["GET", "POST"])
@transfer_role_required
def export_dossiers(request: HttpRequest) -> HttpResponse:
    """The dossiers (ZIP) of the applications of a filtered review queue, in the background."""
    params = request.POST if request.method == "POST" else request.GET
    filters = queue_filters(request.user, params)
    if request.method == "POST":
        form = DossierExportForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose the language of the dossiers."))
            return redirect("transfer:index")
        job = jobs.start_export(
            user=request.user,
            kind=TransferJob.Kind.EXPORT_DOSSIERS,
            fmt="zip",
            lang=form.cleaned_data["lang"],
            filters=filters,
        )
        return redirect("transfer:job", job.pk)
    hidden = [(k, v) for k, values in request.GET.lists() for v in values if k != "page"]
    return render(
        request,
        "transfer/export_dossiers.html",
        {
            "form": DossierExportForm(),
            "filters": describe_filters(request.user, request.GET),
            "count": applications_for_export(request.user, filters).count(),
            "hidden": hidden,
        },
    )


@require_POST
@transfer_role_required
def export_submissions(request: HttpRequest) -> HttpResponse:
    form = SubmissionExportForm(request.POST)
    filters = {}
    if form.is_valid():
        filters = {"scheme_version": form.cleaned_data["scheme_version"].pk}
    return _export(request, TransferJob.Kind.EXPORT_SUBMISSIONS, form, filters)


@require_GET
@transfer_role_required
def job_detail(request: HttpRequest, job_id) -> HttpResponse:
    job = jobs.job_for(request.user, job_id)
    links, link_count = jobs.invitation_links(job) if job.status == job.Status.DONE else ([], 0)
    return render(
        request,
        "transfer/job.html",
        {
            "job": job,
            "processed": jobs.processed_rows(job),
            "confirm_form": ConfirmSchemeForm() if job.is_scheme_import else ConfirmImportForm(),
            "links": links,
            "link_count": link_count,
            "error_count": job.options.get("error_count", len(job.errors)),
            "status_url": reverse("transfer:job-status", args=[job.pk]),
        },
    )


@require_GET
@transfer_role_required
def job_status(request: HttpRequest, job_id) -> JsonResponse:
    job = jobs.job_for(request.user, job_id)
    processed = jobs.processed_rows(job)
    total = job.total_rows
    return JsonResponse(
        {
            "status": job.status,
            "status_label": job.get_status_display(),
            "running": job.is_running,
            "processed": processed,
            "total": total,
            "percent": 100
            if not job.is_running
            else (min(100, int(processed * 100 / total)) if total else 0),
        }
    )


@require_POST
@transfer_role_required
def job_retry(request: HttpRequest, job_id) -> HttpResponse:
    job = jobs.job_for(request.user, job_id)
    try:
        jobs.retry_job(job)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("transfer:job", job.pk)


@require_POST
@transfer_role_required
def job_confirm(request: HttpRequest, job_id) -> HttpResponse:
    job = jobs.job_for(request.user, job_id)
    try:
        if job.is_scheme_import:
            form = ConfirmSchemeForm(request.POST)
            form.is_valid()
            jobs.confirm_scheme_import(job, change_note=form.cleaned_data.get("change_note", ""))
        else:
            form = ConfirmImportForm(request.POST)
            form.is_valid()
            jobs.confirm_import(job, valid_only=bool(form.cleaned_data.get("valid_only")))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("transfer:job", job.pk)


def _private_file(fieldfile, filename: str) -> FileResponse:
    fmt = fieldfile.name.rsplit(".", 1)[-1]
    return protected_file_response(
        fieldfile, filename=filename or f"export.{fmt}", content_type=content_type(fmt)
    )


@require_GET
@transfer_role_required
def job_download(request: HttpRequest, job_id) -> FileResponse:
    job = jobs.job_for(request.user, job_id)
    if job.status != TransferJob.Status.DONE or not job.result:
        raise Http404
    return _private_file(job.result, job.result_name)


@require_GET
@transfer_role_required
def job_report(request: HttpRequest, job_id) -> FileResponse:
    """The check report of an import: every row, each bad cell marked with its problem."""
    job = jobs.job_for(request.user, job_id)
    if not job.report:
        raise Http404
    stem = (job.source_name.rsplit(".", 1)[0] or "registry")[:100]
    suffix = _("check-result")
    return _private_file(job.report, f"{stem}-{suffix}.xlsx")


@require_GET
@transfer_role_required
def enterprise_template(request: HttpRequest) -> FileResponse:
    """A blank registry sheet with lists for region (the user's cities), industry and size."""
    lang = "en" if request.GET.get("lang") == "en" else "zh"
    buffer = io.BytesIO()
    write_template(buffer, lang=lang, scope=scope_codes(request.user))
    buffer.seek(0)
    name = "registry-template.xlsx" if lang == "en" else "enterprise-registry-template.xlsx"
    return protected_file_response(buffer, filename=name, content_type=content_type("xlsx"))


@accepts_uploads(max_upload_bytes)
@require_http_methods(["GET", "POST"])
@transfer_role_required
def schemes(request: HttpRequest) -> HttpResponse:
    """Scheme versions to export, and the upload of an edited sheet (diff preview next)."""
    form = SchemeImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = jobs.start_scheme_import(
                user=request.user,
                fileobj=upload,
                name=upload.name,
                size=upload.size,
                base=form.cleaned_data["base"],
            )
        except UploadError as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("transfer:job", job.pk)
    return render(
        request,
        "transfer/schemes.html",
        {"form": form, "versions": form.fields["base"].queryset},
    )


@require_GET
@transfer_role_required
def scheme_export(request: HttpRequest, pk: int) -> FileResponse:
    try:
        version = SchemeVersion.objects.select_related("scheme").get(pk=pk)
    except SchemeVersion.DoesNotExist:
        raise Http404 from None
    lang = "en" if request.GET.get("lang") == "en" else "zh"
    buffer = io.BytesIO()
    export_scheme_items(version, buffer, lang=lang)
    buffer.seek(0)
    filename = f"{version.scheme.code}.v{version.version}.items.xlsx"
    return protected_file_response(buffer, filename=filename, content_type=content_type("xlsx"))
