"""Read-only queries of the search view (the pages' own reads are their querysets in
``cms.models``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from wagtail.models import Page

from cms import fulltext
from cms.models import IssuingAuthority, NoticePage, PolicyPage, policy_lookups
from cms.search import query_terms

PER_PAGE = 10


@dataclass
class SearchHit:
    page: Page
    kind: str  # "policy" | "notice" | "page"
    authority: IssuingAuthority | None
    date: dt.date | None
    text: str
    validity: str = ""  # a policy's validity code ("valid", "expired", …)
    validity_label: str = ""
    document_number: str = ""


class RankedResults:
    """Search results for Django's paginator: ``count()`` and slices, from one ranked query per
    page shown (the rows of the page and the number of matches come together)."""

    def __init__(self, terms: tuple[str, ...], locale_id: int, among=None) -> None:
        self.terms, self.locale_id, self.among = terms, locale_id, among
        self._fetched: tuple[int, int, fulltext.RankedPage] | None = None

    def fetch(self, offset: int, limit: int) -> fulltext.RankedPage:
        if self._fetched and self._fetched[:2] == (offset, limit):
            return self._fetched[2]
        ranked = fulltext.ranked(
            self.terms, self.locale_id, among=self.among, limit=limit, offset=offset
        )
        self._fetched = (offset, limit, ranked)
        return ranked

    def count(self) -> int:
        if self._fetched is None:
            raise RuntimeError("fetch() the requested page first")
        return self._fetched[2].total

    def __bool__(self) -> bool:  # a query was made (whether anything matched is count())
        return True

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item: slice) -> list[fulltext.Hit]:
        start, stop = item.start or 0, item.stop
        if stop <= start:
            return []
        if self._fetched:
            offset, limit, ranked = self._fetched
            if offset <= start and stop <= offset + limit:  # within the rows already fetched
                return ranked.hits[start - offset : stop - offset]
        return self.fetch(start, stop - start).hits


def search_pages(query: str, locale_id: int, filters: dict[str, Any]) -> RankedResults | list:
    """Live public pages in the locale matching every word of ``query``, most relevant first.

    With any policy filter set only policy pages are searched. Call ``fetch(offset, limit)``
    for the page wanted before paginating (``paginate_ranked``).
    """

    terms = query_terms(query)
    if not terms:
        return []
    condition = policy_lookups(filters)
    among = None
    if condition:
        among = PolicyPage.objects.live().public().filter(condition, locale_id=locale_id)
    return RankedResults(terms, locale_id, among)


def requested_page(number: str | None) -> int:
    try:
        return max(1, min(int(number or 1), 10_000))
    except (TypeError, ValueError):
        return 1


def search_hits(hits: list[fulltext.Hit]) -> list[SearchHit]:
    """Decorate one page of results with the page, its kind, authority, date and validity.

    A handful of queries whatever the page size: the pages by type and their authorities.
    """
    if not hits:
        return []
    pages = Page.objects.filter(pk__in=[h.page_id for h in hits]).specific().in_bulk()
    authority_ids = {
        p.authority_id for p in pages.values() if isinstance(p, PolicyPage) and p.authority_id
    }
    authorities = IssuingAuthority.objects.in_bulk(authority_ids) if authority_ids else {}
    decorated = []
    for hit in hits:
        page = pages.get(hit.page_id)
        if page is None:  # deleted since the query ran
            continue
        if isinstance(page, PolicyPage):
            decorated.append(
                SearchHit(
                    page,
                    "policy",
                    authorities.get(page.authority_id),
                    page.issue_date,
                    hit.text,
                    validity=page.current_validity,
                    validity_label=page.current_validity_label,
                    document_number=page.document_number,
                )
            )
        elif isinstance(page, NoticePage):
            decorated.append(SearchHit(page, "notice", None, page.date, hit.text))
        else:
            decorated.append(SearchHit(page, "page", None, None, hit.text or hit.title))
    return decorated
