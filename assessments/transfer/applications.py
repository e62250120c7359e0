"""Applications and submissions exports (review queue filters, region scope)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO, Any

from django.db.models import QuerySet
from django.db.models.fields.json import KeyTextTransform

from assessments.models import SchemeVersion, Submission
from assessments.review.forms import QueueFilterForm
from assessments.review.models import Application
from assessments.review.selectors import (
    applications_for_reviewer,
    filter_queue,
    levels_for_filter,
    programmes_for_filter,
    regions_for_filter,
)
from assessments.transfer.files import write_table
from assessments.transfer.permissions import scope_codes
from assessments.transfer.resources.applications import ApplicationResource
from assessments.transfer.resources.base import Progress, stream_rows
from assessments.transfer.resources.submissions import SubmissionResource
from portal.accounts.models import User
from portal.accounts.roles import is_admin


def _all_applications() -> QuerySet[Application]:
    return Application.objects.select_related(
        "enterprise__region__parent",
        "programme__scheme_version__scheme",
        "submission",
        "assignee",
    )


def queue_filters(user: User, params: Mapping[str, Any]) -> dict[str, Any]:
    """The review queue's filters from its query string, cleaned by the queue's own form."""
    programmes = list(programmes_for_filter(user).select_related("scheme_version__scheme"))
    form = QueueFilterForm(
        params,
        programmes=programmes,
        regions=regions_for_filter(user),
        levels=levels_for_filter(programmes),
    )
    if not form.is_valid():
        return {}
    return {
        k: (str(v) if v is not None and k in ("score_min", "score_max") else v)
        for k, v in form.cleaned_data.items()
        if v not in (None, "", False)
    }


def describe_filters(user: User, params: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The active queue filters as (label, value) pairs for the export page."""
    programmes = list(programmes_for_filter(user).select_related("scheme_version__scheme"))
    form = QueueFilterForm(
        params,
        programmes=programmes,
        regions=regions_for_filter(user),
        levels=levels_for_filter(programmes),
    )
    if not form.is_valid():
        return []
    described = []
    for name, value in form.cleaned_data.items():
        if value in (None, "", False) or name == "sort":
            continue
        field = form.fields[name]
        choices = {str(k): v for k, v in getattr(field, "choices", [])}
        shown = choices.get(str(value), value) if choices else value
        described.append((str(field.label), "✓" if value is True else str(shown)))
    return described


def applications_for_export(
    user: User | None, filters: Mapping[str, Any] | None = None
) -> QuerySet[Application]:
    """Applications the user may export (admins: all; reviewers: their regions), filtered."""
    filters = dict(filters or {})
    qs = _all_applications() if user is None or is_admin(user) else applications_for_reviewer(user)
    if user is not None and filters:
        qs = filter_queue(qs, filters, user)
    elif filters.get("programme"):
        qs = qs.filter(programme_id=filters["programme"])
    if filters.get("state"):
        qs = qs.filter(state=filters["state"])
    return qs.order_by("programme_id", "enterprise__credit_code", "pk")


def _export(
    resource,
    queryset: QuerySet,
    out: IO[bytes],
    fmt: str,
    title: str,
    progress: Progress | None,
) -> int:
    total = queryset.count()
    if progress:
        progress(0, total)
    rows = stream_rows(
        resource, queryset, progress=(lambda n: progress(n, total)) if progress else None
    )
    return write_table(resource.get_export_headers(), rows, fmt, out, title=title)


def export_applications(
    out: IO[bytes],
    *,
    fmt: str = "xlsx",
    lang: str = "zh",
    user: User | None = None,
    filters: Mapping[str, Any] | None = None,
    progress: Progress | None = None,
) -> int:
    """Stream the applications the user may see (filtered like the queue) into ``out``."""
    queryset = (
        applications_for_export(user, filters)
        .select_related("certificate", "created_by")
        # The engine bonus without loading the deferred result (read by Application.bonus).
        .annotate(engine_bonus_text=KeyTextTransform("bonus", "submission__result"))
        .defer(
            "submission__answers",
            "submission__result",
            "programme__scheme_version__definition",
        )
    )
    title = "申报" if lang != "en" else "Applications"
    return _export(ApplicationResource(lang=lang), queryset, out, fmt, title, progress)


def submissions_for_export(
    user: User | None, scheme_version: SchemeVersion
) -> QuerySet[Submission]:
    qs = (
        Submission.objects.filter(scheme_version=scheme_version)
        .select_related("enterprise__region__parent", "scheme_version__scheme")
        .defer("answers", "scheme_version__definition")
    )
    codes = scope_codes(user)
    if codes is not None:
        qs = qs.filter(enterprise__region_id__in=codes)
    return qs.order_by("enterprise__credit_code", "submitted_at", "pk")


def export_submissions(
    out: IO[bytes],
    *,
    fmt: str = "xlsx",
    lang: str = "zh",
    user: User | None = None,
    filters: Mapping[str, Any] | None = None,
    progress: Progress | None = None,
) -> int:
    """Submissions of one scheme version with a column of points per item."""
    version = SchemeVersion.objects.select_related("scheme").get(
        pk=(filters or {})["scheme_version"]
    )
    resource = SubmissionResource(lang=lang, scheme_version=version)
    title = "自评结果" if lang != "en" else "Submissions"
    return _export(resource, submissions_for_export(user, version), out, fmt, title, progress)
