"""Site search over stored plain text: writing the documents and the ranked query.

Each live CMS page has one :class:`cms.models.SearchDocument`, written when a revision is
published (``cms.signals``). The query ranks by term frequency and field weight (title above
tags and metadata above body) in the database, and returns one page of results together with
the number of matches in a single statement:

- PostgreSQL: ``ts_rank`` over the generated ``search_vector`` column (weights A, B, C),
  matched through its GIN index.
- SQLite: FTS5's ``bm25`` per field, weighted and summed, computed in the FTS scan itself (no subquery
  per row).

Both count with ``COUNT(*) OVER ()`` and fetch the long text columns only for the rows shown.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils.html import strip_tags
from wagtail.models import Page

from cms.search import segment_for_index

# Ranking weights of title, tags and metadata, body. SQLite: each field's own bm25 (term
# frequency saturates within a field) times its weight, so one mention in the title outweighs
# any number in the body, and one in the metadata outweighs the body's. PostgreSQL: see
# _PG_SCORE.
FIELD_WEIGHTS = (10.0, 4.0, 1.0)

_BLOCK_END = re.compile(r"</(p|li|h[1-6]|tr|div)>|<br\s*/?>", re.IGNORECASE)


@dataclass(frozen=True)
class PageText:
    """A page's searchable text by field weight."""

    title: str
    tags: str = ""
    metadata: str = ""
    body: str = ""


@dataclass(frozen=True)
class Hit:
    page_id: int
    title: str
    text: str


@dataclass(frozen=True)
class RankedPage:
    """One page of ranked results and the total number of matches."""

    hits: list[Hit]
    total: int


# --- plain text ---------------------------------------------------------------------------------
def rich_text_plain(source: str) -> str:
    """Rich text (HTML) as plain text, one line per paragraph or list item."""
    text = _BLOCK_END.sub("\n", source or "")
    return html.unescape(strip_tags(text)).strip()


def _number(value) -> str:
    number = Decimal(str(value)).normalize()
    if number == number.to_integral():
        number = number.quantize(Decimal(1))
    return format(number, "f")


TARGET_QUALIFIERS_ZH = {"at_least": "不少于", "at_most": "不超过", "about": "约"}


def target_sentence(value) -> str:
    """An indicator target as the sentence a document would state it in, with its number and
    unit: "到2025年，培育示范或优势企业不少于60家"."""
    year = value.get("target_year")
    qualifier = TARGET_QUALIFIERS_ZH.get(value.get("qualifier") or "", "达到")
    sentence = f"{value['indicator']}{qualifier}{_number(value['target_value'])}{value['unit']}"
    if year:
        sentence = f"到{year}年，{sentence}"
    if value.get("note"):
        sentence += f"（{value['note']}）"
    return sentence + "。"


def body_plain_text(body) -> str:
    """A StreamField body as plain text, numbers and units included (Wagtail's searchable
    content drops the number of a target block)."""
    lines: list[str] = []
    for block in body or []:
        kind, value = block.block_type, block.value
        if kind == "heading":
            lines.append(value["text"])
        elif kind == "paragraph":
            lines.append(rich_text_plain(getattr(value, "source", str(value))))
        elif kind == "target":
            lines.append(target_sentence(value))
        elif kind == "table":
            rows = (value or {}).get("data") or []
            lines.extend(" ".join(str(c) for c in row if c) for row in rows)
        else:
            lines.extend(str(t) for t in block.block.get_searchable_content(value))
    return "\n".join(line for line in lines if line)


# --- documents ----------------------------------------------------------------------------------
def document_fields(page) -> dict:
    """The SearchDocument fields of a (specific) live page."""
    text: PageText = page.search_text()
    return {
        "locale_id": page.locale_id,
        "revision_id": page.live_revision_id,
        "date": getattr(page, "issue_date", None) or getattr(page, "date", None),
        "title": text.title,
        "text": text.body,
        "title_terms": segment_for_index(text.title),
        "meta_terms": segment_for_index(f"{text.tags}\n{text.metadata}"),
        "body_terms": segment_for_index(text.body),
    }


def index_page(page) -> None:
    """Store the search document of ``page`` (or remove it when the page is not live)."""
    from cms.models import SearchDocument  # models import this module for their text helpers

    page = page.specific
    if not page.live or not hasattr(page, "search_text"):
        SearchDocument.objects.filter(page_id=page.pk).delete()
        return
    SearchDocument.objects.update_or_create(page_id=page.pk, defaults=document_fields(page))


def remove_page(page_id: int) -> None:
    from cms.models import SearchDocument  # see index_page

    SearchDocument.objects.filter(page_id=page_id).delete()


def index_pages(pages: Iterable[Page]) -> int:
    count = 0
    for page in pages:
        index_page(page)
        count += 1
    return count


def missing_pages() -> QuerySet:
    """Live pages of the portal's page types that have no search document (yet)."""
    from cms.models import SearchDocument  # see index_page

    indexed = SearchDocument.objects.values("page_id")
    return Page.objects.live().filter(depth__gt=1).exclude(pk__in=indexed).specific()


@transaction.atomic
def rebuild(only_missing: bool = False) -> int:
    """(Re)write the documents of every live page; drop those of pages no longer live."""
    from cms.models import SearchDocument  # see index_page

    if only_missing:
        return index_pages(missing_pages())
    SearchDocument.objects.exclude(page__live=True).delete()
    return index_pages(Page.objects.live().filter(depth__gt=1).specific())


# --- the ranked query ---------------------------------------------------------------------------
# Pages at or under a page with a view restriction are never in public results.
NOT_RESTRICTED = (
    "NOT EXISTS (SELECT 1 FROM wagtailcore_pageviewrestriction r"
    " JOIN wagtailcore_page rp ON rp.id = r.page_id"
    " JOIN wagtailcore_page p ON p.id = d.page_id"
    " WHERE p.path LIKE rp.path || '%%')"
)


def _subquery_sql(queryset: QuerySet) -> tuple[str, tuple]:
    sql, params = queryset.values("pk").query.sql_with_params()
    return sql, tuple(params)


def ranked(
    terms: tuple[str, ...],
    locale_id: int,
    *,
    among: QuerySet | None = None,
    limit: int = 10,
    offset: int = 0,
) -> RankedPage:
    """The ``limit`` best documents from ``offset`` that contain every term, and the total.

    ``among``: a page queryset the results must belong to (the policy filters), or None for
    every live public page of the locale.
    """
    if not terms:
        return RankedPage([], 0)
    conditions = ["d.locale_id = %s"]
    params: list = [locale_id]
    if among is not None:
        sql, sub_params = _subquery_sql(among)
        conditions.append(f"d.page_id IN ({sql})")
        params.extend(sub_params)
    else:
        conditions.append(NOT_RESTRICTED)
    where = " AND ".join(conditions)
    if connection.vendor == "postgresql":
        statement, head = _postgresql(where)
        head_params = [" ".join(terms)]
    else:
        statement, head = _sqlite(where)
        head_params = [" ".join('"' + t.replace('"', '""') + '"' for t in terms)]
    with connection.cursor() as cursor:
        cursor.execute(statement, [*head_params, *params, limit, offset])
        rows = cursor.fetchall()
        if rows:
            total = rows[0][3]
        elif offset:
            cursor.execute(head, [*head_params, *params])
            total = cursor.fetchone()[0]
        else:
            total = 0
    return RankedPage([Hit(page_id, title, text) for page_id, title, text, _ in rows], total)


# PostgreSQL: ts_rank over all the weighted fields adds term frequency but lets many body
# mentions outweigh one in the title, so a match in the title, then in the tags and metadata,
# comes first (each worth more than ts_rank's largest value, 1) and ts_rank orders within.
_PG_FIELD = "(ts_rank('%s', d.search_vector, q.query) > 0)::int"
_PG_SCORE = (
    f"{FIELD_WEIGHTS[0]} * {_PG_FIELD % '{0,0,0,1}'}"
    f" + {FIELD_WEIGHTS[1]} * {_PG_FIELD % '{0,0,1,0}'}"
    " + ts_rank(d.search_vector, q.query)"
)


def _postgresql(where: str) -> tuple[str, str]:
    matches = (
        "FROM cms_searchdocument d, plainto_tsquery('simple', %s) AS q(query) "
        f"WHERE d.search_vector @@ q.query AND {where}"
    )
    statement = (
        "WITH hits AS ("  # noqa: S608 - fixed SQL, values are parameters
        f" SELECT d.id, {_PG_SCORE} AS score, COUNT(*) OVER () AS total,"
        " d.date, d.page_id "
        f"{matches} "
        " ORDER BY score DESC, d.date DESC NULLS LAST, d.page_id LIMIT %s OFFSET %s) "
        "SELECT d.page_id, d.title, d.text, hits.total FROM hits "
        "JOIN cms_searchdocument d ON d.id = hits.id "
        "ORDER BY hits.score DESC, hits.date DESC NULLS LAST, hits.page_id"
    )
    return statement, f"SELECT COUNT(*) {matches}"


def _sqlite(where: str) -> tuple[str, str]:
    # bm25() must run inside the FTS scan, so the matches are ranked in a materialised step and
    # then filtered, counted and cut to the page shown.
    title, meta, body = FIELD_WEIGHTS
    score = (
        f"{title} * bm25(cms_searchdocument_fts, 1, 0, 0)"
        f" + {meta} * bm25(cms_searchdocument_fts, 0, 1, 0)"
        f" + {body} * bm25(cms_searchdocument_fts, 0, 0, 1)"
    )
    matched = (
        "WITH matched AS MATERIALIZED ("  # noqa: S608 - fixed SQL
        f" SELECT rowid AS id, {score} AS score"
        " FROM cms_searchdocument_fts WHERE cms_searchdocument_fts MATCH %s) "
    )
    matches = f"FROM matched m JOIN cms_searchdocument d ON d.id = m.id WHERE {where}"
    statement = (
        f"{matched}, hits AS ("  # noqa: S608 - fixed SQL
        " SELECT d.id, m.score, COUNT(*) OVER () AS total, d.date, d.page_id "
        f"{matches} "
        " ORDER BY m.score, d.date DESC, d.page_id LIMIT %s OFFSET %s) "
        "SELECT d.page_id, d.title, d.text, hits.total FROM hits "
        "JOIN cms_searchdocument d ON d.id = hits.id "
        "ORDER BY hits.score, hits.date DESC, hits.page_id"
    )
    return statement, f"{matched} SELECT COUNT(*) {matches}"
