"""Read-only queries of the search view (the pages' own reads are their querysets in
``cms.models``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from wagtail.models import Page

from cms.models import IssuingAuthority, NoticePage, PolicyPage, policy_lookups
from cms.search import segment_query


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
    lookups = policy_lookups(filters)
    if lookups:
        queryset = PolicyPage.objects.live().public().filter(locale_id=locale_id, **lookups)
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
