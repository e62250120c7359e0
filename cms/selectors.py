"""Read-only queries for the CMS pages, the search view and other apps."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import QuerySet
from django.utils.translation import get_language
from wagtail.models import Page

from cms.cache import content_version
from cms.models import IssuingAuthority, NoticePage, PolicyPage
from cms.search import segment_query
from portal.accounts.models import Region

FILTER_CHOICES_TIMEOUT = 60 * 60


def latest_policies(locale_id: int, limit: int = 5) -> QuerySet:
    """Lazy: a cached template fragment that does not use it costs no query."""

    return (
        PolicyPage.objects.live()
        .public()
        .filter(locale_id=locale_id)
        .select_related("authority")
        .order_by("-issue_date", "-pk")[:limit]
    )


def latest_notices(locale_id: int, limit: int = 5) -> QuerySet:
    return (
        NoticePage.objects.live()
        .public()
        .filter(locale_id=locale_id)
        .order_by("-date", "-pk")[:limit]
    )


def region_and_children(code: str) -> list[str]:
    """A region's code and its cities' codes (a province filter matches its cities' policies)."""

    return [code, *Region.objects.filter(parent_id=code).values_list("code", flat=True)]


def _policy_filter_q(filters: dict[str, Any]) -> dict[str, Any]:
    lookups: dict[str, Any] = {}
    if filters.get("category"):
        lookups["category"] = filters["category"]
    if filters.get("validity"):
        lookups["validity"] = filters["validity"]
    if filters.get("authority"):
        lookups["authority"] = filters["authority"]
    if filters.get("region"):
        lookups["region__in"] = region_and_children(filters["region"])
    if filters.get("year"):
        year = int(filters["year"])
        lookups["issue_date__gte"] = dt.date(year, 1, 1)
        lookups["issue_date__lte"] = dt.date(year, 12, 31)
    return lookups


def filter_policies(queryset: QuerySet, filters: dict[str, Any]) -> QuerySet:
    """Apply the policy filters (category, authority, region, year, validity) and the sort."""

    queryset = queryset.filter(**_policy_filter_q(filters)).select_related(
        "authority", "region", "region__parent"
    )
    if filters.get("sort") == "oldest":
        return queryset.order_by("issue_date", "pk")
    return queryset.order_by("-issue_date", "-pk")


def policy_filter_choices(locale_id: int) -> dict[str, list]:
    """Choices offered by the filter form: only values that live policies actually use.

    Cached per locale and language; the key changes whenever content is published.
    """

    key = f"cms:policy-filter-choices:{locale_id}:{get_language()}:{content_version()}"
    choices = cache.get(key)
    if choices is not None:
        return choices
    policies = PolicyPage.objects.live().public().filter(locale_id=locale_id)
    authority_ids = set(policies.values_list("authority_id", flat=True))
    region_codes = set(policies.values_list("region_id", flat=True))
    regions = Region.objects.filter(code__in=region_codes).select_related("parent")
    region_choices: dict[str, str] = {}
    for region in regions:
        if region.parent_id:
            region_choices.setdefault(region.parent.code, region.parent.name)
        region_choices[region.code] = region.full_name
    years = sorted({d.year for d in policies.dates("issue_date", "year")}, reverse=True)
    choices = {
        "authorities": [
            (a.pk, a.name) for a in IssuingAuthority.objects.filter(pk__in=authority_ids)
        ],
        "regions": sorted(region_choices.items()),
        "years": years,
    }
    cache.set(key, choices, FILTER_CHOICES_TIMEOUT)
    return choices


@dataclass
class SearchHit:
    page: Page
    kind: str  # "policy" | "notice" | "page"
    authority: IssuingAuthority | None
    date: dt.date | None
    text: str


def search_pages(query: str, locale_id: int, filters: dict[str, Any]) -> QuerySet | list:
    """Live public pages in the locale matching ``query`` (segmented), most relevant first.

    With any policy filter set only policy pages are searched. Returns Wagtail search results
    (sliceable, countable) of specific pages.
    """

    terms = segment_query(query)
    if not terms:
        return []
    policy_lookups = _policy_filter_q(filters)
    if policy_lookups:
        queryset = PolicyPage.objects.live().public().filter(locale_id=locale_id, **policy_lookups)
    else:
        queryset = Page.objects.live().public().filter(locale_id=locale_id, depth__gt=1).specific()
    return queryset.search(terms, operator="and")


def search_hits(pages: list[Page]) -> list[SearchHit]:
    """Decorate one page of results with the authority and date to show (one extra query)."""

    pages = [getattr(p, "specific", p) for p in pages]
    authority_ids = {p.authority_id for p in pages if isinstance(p, PolicyPage) and p.authority_id}
    authorities = IssuingAuthority.objects.in_bulk(authority_ids) if authority_ids else {}
    hits = []
    for page in pages:
        if isinstance(page, PolicyPage):
            hits.append(
                SearchHit(
                    page,
                    "policy",
                    authorities.get(page.authority_id),
                    page.issue_date,
                    page.search_plain_text(),
                )
            )
        elif isinstance(page, NoticePage):
            hits.append(SearchHit(page, "notice", None, page.date, page.search_plain_text()))
        else:
            text = page.search_plain_text() if hasattr(page, "search_plain_text") else page.title
            hits.append(SearchHit(page, "page", None, None, text))
    return hits
