"""Chinese text for site search: script normalisation, word segmentation and highlighting.

Pure functions (no database). ``cms.fulltext`` stores and queries what they produce.

- **Script.** Pages and queries are both normalised to simplified characters with OpenCC
  (``t2s``), so a traditional query (專利導航) finds simplified pages (专利导航) and a page written
  in traditional characters is found by a simplified query. Snippets are highlighted in both
  scripts (the query's ``s2t`` form as well).
- **Words.** Neither SQLite FTS5 nor PostgreSQL's parser splits a run of Chinese characters:
  "…开展知识产权质押融资业务…" would be one token and 质押融资 would never match. Indexed text is
  therefore segmented by jieba in search mode (long words plus the words inside them:
  知识产权 → 知识 产权 知识产权) and stored space-separated; a query is segmented precisely and
  its words are all required.

jieba (0.5 s to import, more to load its dictionary) and OpenCC are loaded on first use, not
when the portal starts.
"""

from __future__ import annotations

import html
import logging
import re
import unicodedata
from functools import lru_cache
from types import ModuleType

from django.utils.safestring import SafeString, mark_safe

_WORD_RE = re.compile(r"\w", re.UNICODE)
_CJK_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
MAX_QUERY_CHARS = 100


@lru_cache(maxsize=1)
def _jieba() -> ModuleType:
    import jieba  # deferred: slow to import, and only searching and indexing need it

    jieba.setLogLevel(logging.WARNING)
    return jieba


@lru_cache(maxsize=2)
def _converter(config: str):
    import opencc  # deferred: loads its dictionaries on first use

    return opencc.OpenCC(config)


def to_simplified(text: str) -> str:
    """``text`` in simplified characters (OpenCC ``t2s``); other scripts are left alone."""
    if not text or not _CJK_RE.search(text):
        return text or ""
    return _converter("t2s").convert(text)


def to_traditional(text: str) -> str:
    """``text`` in traditional characters (OpenCC ``s2t``)."""
    if not text or not _CJK_RE.search(text):
        return text or ""
    return _converter("s2t").convert(text)


def normalise(text: str) -> str:
    """Full-width letters and digits to ASCII (NFKC), then simplified characters."""
    return to_simplified(unicodedata.normalize("NFKC", text or ""))


def _is_word(token: str) -> bool:
    return bool(_WORD_RE.search(token)) and not token.isspace()


@lru_cache(maxsize=64)
def segment_for_index(text: str) -> str:
    """Words of ``text`` (normalised) separated by spaces, in jieba's search mode.

    Memoised: Wagtail's own index asks for the same text several times per save.
    """

    text = normalise(text)
    if not text:
        return ""
    return " ".join(t.strip().lower() for t in _jieba().cut_for_search(text) if _is_word(t))


@lru_cache(maxsize=512)
def query_terms(query: str) -> tuple[str, ...]:
    """The words of a user's query, normalised and segmented precisely (each once, in order)."""

    query = normalise((query or "").strip()[:MAX_QUERY_CHARS])
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
    """The query as the index sees it: normalised, segmented words joined by spaces."""

    return " ".join(query_terms(query))


def _highlight_terms(query: str) -> list[str]:
    raw = (query or "").strip()[:MAX_QUERY_CHARS]
    words = {raw, *raw.split(), *query_terms(raw)}
    # Both scripts: a simplified query marks traditional text and the other way round.
    words |= {to_simplified(w) for w in words} | {to_traditional(w) for w in words}
    # Single characters only count when the query itself is one character.
    terms = [t for t in words if t and (len(t) > 1 or len(raw) == 1)]
    terms.sort(key=len, reverse=True)
    return terms


def highlight(text: str, query: str, width: int = 120) -> SafeString:
    """An escaped excerpt of ``text`` around the first match, matches wrapped in ``<mark>``.

    The whole query is preferred over its words; without any match the excerpt is the start.
    Numbers and units stay in the excerpt: it is cut from the stored plain text, not from the
    segmented words.
    """

    text = re.sub(r"\s+", " ", text or "").strip()
    if not text:
        return mark_safe("")
    terms = _highlight_terms(query)
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
