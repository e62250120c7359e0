"""Report status and download (private), and the public verification page."""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from portal.accounts.services import audit
from portal.core import ratelimit
from portal.core.downloads import protected_file_response
from portal.core.requests import accepts_uploads

from .forms import VerifyCodeForm, VerifyUploadForm, max_upload_bytes
from .selectors import report_files, submission_for_user
from .services import normalise_language, read_upload, request_report, signing_key_facts
from .verification import check_upload, resolve

CODE_RE = re.compile(r"[0-9A-Z][0-9A-Z-]{3,39}")


def _report_language(request: HttpRequest, submission) -> str:
    return normalise_language(
        request.GET.get("lang"), default=normalise_language(submission.language)
    )


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The submission's report files, with "being prepared" until they are ready.

    With ``?start=1`` (where a plain download link lands while the PDF is rendered) the page
    refreshes itself until the report in ``?lang=`` is ready, then starts its download.
    """
    submission = submission_for_user(request.user, pk)
    files = report_files(submission)
    pending = any(f.status == f.Status.PENDING for f in files.values())
    start_url = ""
    if request.GET.get("start") == "1":
        lang = _report_language(request, submission)
        report = files.get(lang)
        if report is not None and report.is_ready:
            start_url = f"{reverse('reports:download', kwargs={'pk': submission.pk})}?lang={lang}"
    return render(
        request,
        "reports/detail.html",
        {"submission": submission, "pending": pending, "start_url": start_url},
    )


@login_required
@require_GET
def download(request: HttpRequest, pk: int) -> HttpResponse:
    """The PDF (rendered on first request); redirects to the status page while it is prepared."""
    submission = submission_for_user(request.user, pk)
    lang = _report_language(request, submission)
    report = request_report(submission, lang)
    if not report.is_ready:
        detail_url = reverse("reports:detail", kwargs={"pk": submission.pk})
        return redirect(f"{detail_url}?lang={lang}&start=1")
    audit(
        "reports.download",
        actor=request.user,
        enterprise=submission.enterprise,
        submission=submission.pk,
        language=lang,
    )
    return protected_file_response(
        report.file, filename=report.download_name, content_type="application/pdf"
    )


@login_required
@require_GET
def status(request: HttpRequest, pk: int) -> JsonResponse:
    """Report statuses for the page's poll: ``{"reports": {lang: status}, "pending": bool}``.

    With ``?prepare=<lang>`` the report in that language is requested first (as the download
    link does), so that the page's script can show progress while it renders and start the
    download when it is ready.
    """
    submission = submission_for_user(request.user, pk)
    if "prepare" in request.GET:
        request_report(submission, normalise_language(request.GET.get("prepare")))
    files = report_files(submission)
    return JsonResponse(
        {
            "reports": {lang: f.status for lang, f in files.items()},
            "pending": any(f.status == f.Status.PENDING for f in files.values()),
        }
    )


# --- Public verification ------------------------------------------------------------------


def _rates() -> tuple[tuple[int, int], tuple[int, int]]:
    return tuple(settings.REPORTS_VERIFY_RATE), tuple(settings.REPORTS_VERIFY_MISS_RATE)


def _too_many(request: HttpRequest) -> HttpResponse:
    response = render(request, "429.html", status=429)
    response["Retry-After"] = str(_rates()[0][1])
    return response


@require_GET
def verify_home(request: HttpRequest) -> HttpResponse:
    """A form to type a verification code."""
    form = VerifyCodeForm(request.GET or None)
    if form.is_valid():
        code = form.cleaned_data["code"].strip().upper().replace(" ", "")
        if CODE_RE.fullmatch(code):
            return redirect("verify:detail", code=code)
        form.add_error("code", VerifyCodeForm.base_fields["code"].help_text)
    return render(request, "verify/home.html", {"form": form})


def _wants_json(request: HttpRequest) -> bool:
    if request.GET.get("format") == "json":
        return True
    accept = request.headers.get("Accept", "")
    return "application/json" in accept and "text/html" not in accept


def _unknown_code(request: HttpRequest, code: str) -> HttpResponse:
    """404 in words (a page, or JSON when JSON was asked for): the code was never issued."""
    message = _(
        "This verification code does not exist: the file may not have been issued by this portal."
    )
    if _wants_json(request):
        response: HttpResponse = JsonResponse(
            {"code": code[:40], "status": "unknown", "error": message},
            status=404,
            json_dumps_params={"ensure_ascii": False},
        )
    else:
        response = render(
            request, "verify/unknown.html", {"code": code[:40], "message": message}, status=404
        )
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@accepts_uploads(max_upload_bytes)
@require_http_methods(["GET", "HEAD", "POST"])
def verify_detail(request: HttpRequest, code: str) -> HttpResponse:
    """What a third party may know about a code, and a check of a PDF (bytes and signature)."""
    (limit, window), (miss_limit, miss_window) = _rates()
    if ratelimit.exceeded("verify-miss", request, limit=miss_limit):
        return _too_many(request)
    if ratelimit.hit("verify", request, limit=limit, window=window):
        return _too_many(request)
    normalised = code.strip().upper()
    record = resolve(normalised) if CODE_RE.fullmatch(normalised) else None
    if record is None:
        ratelimit.hit("verify-miss", request, limit=miss_limit, window=miss_window)
        return _unknown_code(request, normalised)
    if _wants_json(request):
        response = JsonResponse(record.as_json(), json_dumps_params={"ensure_ascii": False})
        response["Cache-Control"] = "no-store"
        return response
    checked = None
    # A body bigger than the upload limit is refused before it is read (accepts_uploads).
    if request.method == "POST":
        form = VerifyUploadForm(request.POST, request.FILES)
        if form.is_valid():
            checked = check_upload(record, read_upload(form.cleaned_data["file"]))
            form = VerifyUploadForm()
    else:
        form = VerifyUploadForm()
    response = render(
        request,
        "verify/detail.html",
        {
            "record": record,
            "form": form,
            "checked": checked,
            "max_upload": max_upload_bytes(),
            "signing": signing_key_facts(),
        },
        status=400 if request.method == "POST" and checked is None else 200,
    )
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
