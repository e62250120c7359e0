"""The public notice (公示) at /publicity/: applications under notice and objections, open to
everyone (signed in or not)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assessments.review import publicity
from assessments.review.errors import TransitionError
from assessments.review.forms import ObjectionForm
from portal.core import ratelimit
from portal.core.requests import accepts_uploads

PAGE_SIZE = 50


def _notice(application) -> dict:
    ends = application.notice_ends_on
    return {
        "application": application,
        "starts": application.notice_starts_on,
        "ends": ends,
        "recognition_from": ends + dt.timedelta(days=1) if ends else None,
    }


@require_http_methods(["GET", "HEAD"])
def index(request: HttpRequest) -> HttpResponse:
    page = Paginator(publicity.under_notice(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "publicity/index.html",
        {"page": page, "notices": [_notice(a) for a in page.object_list]},
    )


def _too_many(request: HttpRequest) -> HttpResponse:
    response = render(request, "429.html", status=429)
    response["Retry-After"] = str(settings.REVIEW_OBJECTION_RATE[1])
    return response


@accepts_uploads(lambda: settings.PORTAL_MAX_UPLOAD_BYTES)  # one evidence file
@require_http_methods(["GET", "HEAD", "POST"])
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One notice, with the form to lodge an objection."""
    application = publicity.application_under_notice(pk)
    form = ObjectionForm()
    if request.method == "POST":
        limit, window = settings.REVIEW_OBJECTION_RATE
        if ratelimit.hit("objection", request, limit=limit, window=window):
            return _too_many(request)
        form = ObjectionForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                publicity.lodge(
                    application,
                    name=data["name"],
                    contact=data["contact"],
                    organisation=data.get("organisation") or "",
                    text=data["text"],
                    evidence=data.get("evidence") or None,
                )
            except TransitionError as err:
                messages.error(request, str(err))
            else:
                messages.success(
                    request,
                    _(
                        "Your objection was received. The bureau answers every objection before "
                        "it decides; it contacts you with the details you gave if needed."
                    ),
                )
                return redirect("publicity:detail", application.pk)
    return render(
        request,
        "publicity/detail.html",
        {**_notice(application), "form": form},
    )
