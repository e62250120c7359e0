"""The improvement plan of a submission: the page, the action form and the exports."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from assessments import presentation
from portal.core import ratelimit
from portal.core.downloads import protected_file_response
from portal.core.i18n import text_lang

from . import exports, selectors, services
from .forms import ActionForm
from .models import Action
from .permissions import can_edit

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DEFAULT_DUE_DAYS = 90


def _plan_url(submission_pk: int, action_pk: int | None = None) -> str:
    url = reverse("plans:detail", kwargs={"pk": submission_pk})
    return f"{url}#action-{action_pk}" if action_pk else url


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    submission, membership = selectors.submission_for(request.user, pk)
    lang = text_lang()
    page = selectors.plan_page(submission, membership, lang)
    scheme = submission.scheme_version.engine_scheme
    return render(
        request,
        "plans/detail.html",
        {
            "page": page,
            "submission": submission,
            "membership": membership,
            "scheme_title": submission.scheme_version.title,
            "level_label": presentation.level_label(scheme, submission.level, lang),
            "today": timezone.localdate(),
        },
    )


def _save(request, form, submission, membership, action=None) -> HttpResponse | None:
    """Apply a valid form; None when the owner turned out not to be a member (form error)."""
    values = {name: form.cleaned_data[name] for name in services.FIELDS}
    try:
        if action is None:
            action = services.add_action(submission, membership, **values)
            messages.success(request, _("The action was added to the plan."))
        else:
            action = services.update_action(action, membership, **values)
            messages.success(request, _("The action was saved."))
    except ValidationError as exc:
        form.add_error("owner", exc)
        return None
    return redirect(_plan_url(submission.pk, action.pk))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def action_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Add an action to the plan (any member); ``?item=`` picks the item."""
    submission, membership = selectors.submission_for(request.user, pk)
    items = selectors.target_codes(submission, text_lang())
    members = selectors.members(membership.enterprise)
    form_kwargs = {"items": items, "members": members}
    if request.method == "POST":
        form = ActionForm(request.POST, **form_kwargs)
        if form.is_valid():
            response = _save(request, form, submission, membership)
            if response is not None:
                return response
    else:
        item = request.GET.get("item", "")
        form = ActionForm(
            initial={
                "item": item if item in items else next(iter(items), ""),
                "owner": membership.user,
                "due_on": timezone.localdate() + dt.timedelta(days=DEFAULT_DUE_DAYS),
                "status": Action.Status.PLANNED,
            },
            **form_kwargs,
        )
    return render(
        request,
        "plans/action_form.html",
        {"form": form, "submission": submission, "action": None, "no_targets": not items},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an action (the enterprise's owners, the action's owner and its author)."""
    action, membership = selectors.action_for(request.user, pk)
    submission = action.plan.submission
    if not can_edit(membership, action):
        return render(
            request,
            "plans/not_allowed.html",
            {"submission": submission, "action": action},
            status=403,
        )
    items = selectors.target_codes(submission, text_lang())
    if action.item not in items:  # an item that is no target any more stays choosable
        items[action.item] = presentation.item_label(
            submission.scheme_version.engine_scheme, action.item, text_lang()
        )
    members = selectors.members(membership.enterprise)
    form_kwargs = {"items": items, "members": members}
    if request.method == "POST":
        form = ActionForm(request.POST, **form_kwargs)
        if form.is_valid():
            response = _save(request, form, submission, membership, action)
            if response is not None:
                return response
    else:
        form = ActionForm(
            initial={name: getattr(action, name) for name in services.FIELDS}, **form_kwargs
        )
    return render(
        request,
        "plans/action_form.html",
        {"form": form, "submission": submission, "action": action, "no_targets": False},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def export_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    submission, membership = selectors.submission_for(request.user, pk)
    lang = text_lang()
    page = selectors.plan_page(submission, membership, lang)
    data = exports.xlsx_bytes(page, lang)
    return protected_file_response(
        ContentFile(data), filename=f"{exports.file_stem(page)}-{lang}.xlsx", content_type=XLSX
    )


@login_required
@require_GET
def export_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan as PDF, rendered in the request (a page or two; rate-limited per address)."""
    submission, membership = selectors.submission_for(request.user, pk)
    limit, window = settings.PLAN_PDF_RATE
    if ratelimit.hit("plan-pdf", request, limit=limit, window=window):
        response = render(request, "429.html", status=429)
        response["Retry-After"] = str(window)
        return response
    lang = text_lang()
    page = selectors.plan_page(submission, membership, lang)
    data = exports.pdf_bytes(page, lang)
    return protected_file_response(
        ContentFile(data),
        filename=f"{exports.file_stem(page)}-{lang}.pdf",
        content_type="application/pdf",
    )
