"""Read-only queries of the review workspace and the firm's pages, always scoped to the user."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Count, DecimalField, Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404

from assessments.presentation import labels
from assessments.review.models import Application, Certificate, Programme
from portal.accounts import roles
from portal.accounts.models import Region, User
from portal.accounts.selectors import enterprise_for
from portal.core.i18n import text_lang


def _base() -> QuerySet[Application]:
    return Application.objects.select_related(
        "enterprise__region__parent",
        "programme__scheme_version__scheme",
        "submission",
        "assignee",
    ).annotate(
        score=Coalesce(
            "reviewed_total",
            "submission__total",
            output_field=DecimalField(max_digits=7, decimal_places=2),
        )
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
    if data.get("q"):
        q = data["q"].strip()
        queryset = queryset.filter(
            Q(enterprise__name__icontains=q) | Q(enterprise__credit_code__iexact=q)
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
    return queryset


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
