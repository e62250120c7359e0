"""Read-only queries of the review workspace and the firm's pages, always scoped to the user."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.db.models import Count, DecimalField, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce
from django.http import Http404
from django.utils import timezone

from assessments.presentation import labels
from assessments.review.models import (
    FINAL_STATES,
    Application,
    Certificate,
    Objection,
    Programme,
    State,
)
from assessments.review.sorting import workflow_position
from portal.accounts import roles
from portal.accounts.models import Region, User
from portal.accounts.selectors import enterprise_for
from portal.core.i18n import text_lang

POINTS = DecimalField(max_digits=7, decimal_places=2)


def _open_objections() -> Subquery:
    return Subquery(
        Objection.objects.filter(application=OuterRef("pk"), answered_at__isnull=True)
        .order_by()
        .values("application")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )


def _base() -> QuerySet[Application]:
    """Applications with what every list shows: the score (reviewed where reviewed), the
    deciding figure (score plus bonus), the objections to answer."""
    engine_bonus = Cast(KeyTextTransform("bonus", "submission__result"), POINTS)
    return Application.objects.select_related(
        "enterprise__region__parent",
        "programme__scheme_version__scheme",
        "submission",
        "assignee",
    ).annotate(
        score=Coalesce("reviewed_total", "submission__total", output_field=POINTS),
        deciding_score=F("score")
        + Coalesce("reviewed_bonus", engine_bonus, Value(0), output_field=POINTS),
        objections_open=Coalesce(_open_objections(), Value(0)),
    )


def applications_for_reviewer(user: User) -> QuerySet[Application]:
    """Applications of enterprises in the reviewer's region scope (none for non-reviewers)."""
    if not roles.is_reviewer(user):
        return Application.objects.none()
    return _base().in_regions(roles.region_scope(user))


def application_for_reviewer(user: User, pk: int) -> Application:
    try:
        return applications_for_reviewer(user).get(pk=pk)
    except Application.DoesNotExist:
        raise Http404 from None


def applications_for_firm(user: User) -> QuerySet[Application]:
    enterprise = enterprise_for(user)
    if enterprise is None:
        return Application.objects.none()
    return _base().filter(enterprise=enterprise)


def application_for_firm(user: User, pk: int) -> Application:
    """The user's own enterprise's application, or 404 (never another enterprise's)."""
    try:
        return applications_for_firm(user).get(pk=pk)
    except Application.DoesNotExist:
        raise Http404 from None


def certificates_for_firm(user: User) -> QuerySet[Certificate]:
    enterprise = enterprise_for(user)
    if enterprise is None:
        return Certificate.objects.none()
    return Certificate.objects.filter(enterprise=enterprise).select_related("programme")


def certificate_for_reviewer(user: User, pk: int) -> Certificate:
    scoped = applications_for_reviewer(user).values("pk")
    try:
        return Certificate.objects.select_related("application", "enterprise", "programme").get(
            pk=pk, application__in=scoped
        )
    except Certificate.DoesNotExist:
        raise Http404 from None


def regions_for_filter(user: User) -> QuerySet[Region]:
    regions = roles.region_scope(user)
    qs = Region.objects.select_related("parent")
    if regions is not None:
        qs = qs.filter(pk__in=regions)
    return qs.order_by("code")


def filter_queue(
    queryset: QuerySet[Application], data: Mapping[str, Any], user: User
) -> QuerySet[Application]:
    """Apply the queue filters (cleaned data of ``QueueFilterForm``) except ``state``."""
    for word in search_words(data.get("q") or ""):
        queryset = queryset.filter(
            Q(enterprise__name__icontains=word) | Q(enterprise__credit_code__icontains=word)
        )
    if data.get("programme"):
        queryset = queryset.filter(programme_id=data["programme"])
    if data.get("region"):
        code = data["region"]
        queryset = queryset.filter(
            Q(enterprise__region_id=code) | Q(enterprise__region__parent_id=code)
        )
    if data.get("industry"):
        queryset = queryset.filter(enterprise__industry=data["industry"])
    if data.get("level"):
        level = data["level"]
        queryset = queryset.filter(
            Q(reviewed_level=level) | Q(reviewed_level="", submission__level=level)
        )
    if data.get("score_min") is not None:
        queryset = queryset.filter(score__gte=data["score_min"])
    if data.get("score_max") is not None:
        queryset = queryset.filter(score__lte=data["score_max"])
    if data.get("mine"):
        queryset = queryset.filter(assignee=user)
    if data.get("overdue"):
        queryset = queryset.filter(state=State.RETURNED, due_on__lt=timezone.localdate())
    return queryset


MAX_WORDS = 8


def search_words(text: str) -> list[str]:
    """The words of a queue search (spaces, commas and ideographic spaces separate them)."""
    words = [w for w in re.split(r"[\s,，、;；]+", text.strip()) if w]
    return words[:MAX_WORDS]


ORDERINGS = {
    "workflow": ("workflow", "state_changed_at", "pk"),
    "-created": ("-created_at", "-pk"),
    "created": ("created_at", "pk"),
    "deadline": (F("due_on").asc(nulls_last=True), "workflow", "pk"),
    "-score": (F("deciding_score").desc(nulls_last=True), "-pk"),
    "score": (F("deciding_score").asc(nulls_last=True), "pk"),
    "enterprise": ("sort_name", "pk"),
}
DEFAULT_SORT = "workflow"


def order_queue(queryset: QuerySet[Application], sort: str | None) -> QuerySet[Application]:
    """The queue in the chosen order (workflow order by default)."""
    ordering = ORDERINGS.get(sort or DEFAULT_SORT, ORDERINGS[DEFAULT_SORT])
    return queryset.annotate(workflow=workflow_position()).order_by(*ordering)


def queue_position(application: Application) -> tuple[int, int] | None:
    """Where the application waits among the programme's applications in the same stage:
    (position, of how many), oldest first; None once decided."""
    if application.state in FINAL_STATES:
        return None
    same = Application.objects.filter(programme=application.programme_id, state=application.state)
    ahead = same.filter(
        Q(state_changed_at__lt=application.state_changed_at)
        | Q(state_changed_at=application.state_changed_at, pk__lt=application.pk)
    ).count()
    return ahead + 1, same.count()


def state_counts(queryset: QuerySet[Application]) -> dict[str, int]:
    rows = queryset.order_by().values("state").annotate(n=Count("pk"))
    return {row["state"]: row["n"] for row in rows}


def programmes_for_filter(user: User) -> QuerySet[Programme]:
    return Programme.objects.exclude(status=Programme.Status.DRAFT).order_by("-opens_at")


def levels_for_filter(programmes) -> list[tuple[str, str]]:
    lang = text_lang()
    seen: dict[str, str] = {}
    for programme in programmes:
        scheme = programme.scheme_version.engine_scheme
        for code in [level.code for level in scheme.levels] + [scheme.veto_level.code]:
            seen.setdefault(code, labels.level_label(scheme, code, lang))
    return list(seen.items())


def reviewers_for(application: Application) -> QuerySet[User]:
    """Active reviewers whose scope covers the application and who declared no conflict."""
    region = application.enterprise.region
    codes = [region.code] + ([region.parent_id] if region.parent_id else [])
    return (
        roles.reviewers()
        .filter(Q(reviewer_profile__regions__code__in=codes) | Q(is_superuser=True))
        .exclude(conflicts_of_interest__application=application)
        .distinct()
        .order_by("username")
    )


def programmes_announced_by(page) -> QuerySet[Programme]:
    """Programmes whose announcement is ``page`` (for the CMS notice page to link to them)."""
    return Programme.objects.filter(announcement=page).exclude(status=Programme.Status.DRAFT)


def reviewers_in_scope(user: User) -> QuerySet[User]:
    """Active reviewers whose regions overlap the user's (everyone for a superuser)."""
    scope = roles.region_scope(user)
    qs = roles.reviewers()
    if scope is not None:
        provinces = Region.objects.filter(pk__in=scope).values_list("parent_id", flat=True)
        qs = qs.filter(
            Q(reviewer_profile__regions__in=scope)
            | Q(reviewer_profile__regions__in=provinces)
            | Q(is_superuser=True)
        )
    return qs.distinct().order_by("username")
