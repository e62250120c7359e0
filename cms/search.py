"""Chinese word segmentation for the search index and for queries, and result highlighting.

Wagtail's database search backend splits text at spaces and punctuation only, so a run of
Chinese characters is a single token: "…促进金融机构开展知识产权质押融资业务…" is one word to
SQLite FTS5 and to PostgreSQL's parser, and a search for 质押融资 finds nothing. Pages therefore
index a segmented copy of their text (jieba's search mode, which also emits the shorter words
inside long ones: 知识产权 → 知识 产权 知识产权), and the query is segmented the same way before it
reaches the backend. Both backends then match word by word.
"""

from __future__ import annotations

import html
import logging
import re
from functools import lru_cache

from django.utils.safestring import SafeString, mark_safe

_WORD_RE = re.compile(r"\w", re.UNICODE)
_CJK_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
MAX_QUERY_CHARS = 100


@lru_cache(maxsize=1)
def _jieba():
    """jieba, imported when text is first segmented: its import takes about half a second,
    which processes that never segment (management commands, the worker) need not pay."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


def _is_word(token: str) -> bool:
    return bool(_WORD_RE.search(token)) and not token.isspace()


@lru_cache(maxsize=64)
def segment_for_index(text: str) -> str:
    """Words of ``text`` separated by spaces, in jieba's search mode (long words and parts).

    Memoised: the search backend asks for every indexed field several times per save.
    """

    if not text:
        return ""
    return " ".join(t.strip() for t in _jieba().cut_for_search(text) if _is_word(t))


@lru_cache(maxsize=512)
def query_terms(query: str) -> tuple[str, ...]:
    """The words of a user's query, segmented precisely (each word once, in order)."""

    query = (query or "").strip()[:MAX_QUERY_CHARS]
    seen: dict[str, None] = {}
    for part in query.split():
        if _CJK_RE.search(part):
            for token in _jieba().cut(part):
                token = token.strip()
                if _is_word(token):
                    seen.setdefault(token.lower(), None)
        else:
            token = re.sub(r"[^\w.-]", "", part)
            if token:
                seen.setdefault(token.lower(), None)
    return tuple(seen)


def segment_query(query: str) -> str:
    """The query as the backend should see it: segmented words joined by spaces."""

    return " ".join(query_terms(query))


def highlight(text: str, query: str, width: int = 120) -> SafeString:
    """An escaped excerpt of ``text`` around the first match, matches wrapped in ``<mark>``.

    The whole query is preferred over its words; without any match the excerpt is the start.
    """

    text = re.sub(r"\s+", " ", text or "").strip()
    raw = (query or "").strip()[:MAX_QUERY_CHARS]
    terms = [t for t in {raw, *raw.split(), *query_terms(raw)} if t]
    # Single characters only count when the query itself is one character.
    terms = [t for t in terms if len(t) > 1 or len(raw) == 1]
    terms.sort(key=len, reverse=True)
    if not text:
        return mark_safe("")
    lowered = text.lower()
    position = -1
    for term in terms:  # longest (most specific) first
        position = lowered.find(term.lower())
        if position >= 0:
            break
    start = max(0, position - width // 3) if position >= 0 else 0
    end = min(len(text), start + width)
    excerpt = text[start:end]
    if not terms:
        out = html.escape(excerpt)
    else:
        pattern = re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE)
        pieces: list[str] = []
        last = 0
        for match in pattern.finditer(excerpt):
            pieces.append(html.escape(excerpt[last : match.start()]))
            pieces.append(f"<mark>{html.escape(match.group(0))}</mark>")
            last = match.end()
        pieces.append(html.escape(excerpt[last:]))
        out = "".join(pieces)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return mark_safe(prefix + out + suffix)  # noqa: S308 - every piece is escaped above
