"""The content version, and the shared cache of public pages that it keys.

**Content version.** A stamp that changes whenever published content changes: a page is
published, unpublished, moved or deleted, a view restriction or an issuing authority changes
(``cms.signals``). Cached lists and pages are keyed on it, so a change shows everywhere at once
without deleting keys. With a shared cache (``CACHE_URL`` / ``REDIS_URL``: Redis, Memcached, a
file or database cache) the stamp lives there and is renewed when the publishing transaction
commits (a worker cannot cache the old content under the new stamp). With a per-process cache
(the embedded default's local memory) every worker would have its own stamp, so the stamp is
read from the database instead: one small query per request, and still the same for every
worker.

**Public pages.** The policy index (with its filter form), policy pages and search results are
the same for everyone, so their rendered parts (title, description, head links, breadcrumbs,
content) are cached per address, query string, language and content version
(:func:`page_key`). ``cms.views.serve`` answers from the cache before Wagtail routes the
request; the response is then ``cms/cached_page.html``: the site's ``base.html`` filled in for
this request (header with the user's name, the language switch and its CSRF token, messages)
around the cached parts. The parts are rendered without the request's context processors (no
user, no CSRF token), so nothing personal can reach the cache.
"""

from __future__ import annotations

import contextvars
import hashlib
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.template.loader import get_template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

VERSION_KEY = "cms:content-version"
VERSION_TIMEOUT = None  # never expires; renewed on change
PAGE_TIMEOUT = 60 * 60  # a stale entry is unreachable anyway (new version, new key)
SEARCH_TIMEOUT = 10 * 60  # many distinct queries: let them go sooner
MAX_CACHED_QUERY = 512  # longer query strings are served, not cached

PER_PROCESS_BACKENDS = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)

_bypass: contextvars.ContextVar[bool] = contextvars.ContextVar("cms_cache_bypass", default=False)


def cache_is_shared() -> bool:
    """Whether every worker sees the same default cache (not a per-process one)."""
    return settings.CACHES["default"]["BACKEND"] not in PER_PROCESS_BACKENDS


# --- content version ----------------------------------------------------------------------------
def _database_version() -> str:
    from cms.models import ContentVersion  # the models import this module for their lists

    version = ContentVersion.objects.values_list("version", flat=True).first()
    return str(version or 0)


def content_version() -> str:
    if not cache_is_shared():
        return _database_version()
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        cache.add(VERSION_KEY, version, VERSION_TIMEOUT)
        version = cache.get(VERSION_KEY, version)
    return version


def bump_content_version() -> None:
    """A new stamp: in the database at once (inside the publishing transaction), in the shared
    cache once that transaction has committed."""
    from cms.models import ContentVersion  # see _database_version

    if not cache_is_shared():
        updated = ContentVersion.objects.filter(pk=1).update(version=F("version") + 1)
        if not updated:
            ContentVersion.objects.get_or_create(pk=1, defaults={"version": 1})
        return
    transaction.on_commit(lambda: cache.set(VERSION_KEY, uuid.uuid4().hex, VERSION_TIMEOUT))


# --- public pages -------------------------------------------------------------------------------
@contextmanager
def bypass() -> Iterator[None]:
    """Neither read nor write the page cache inside this block (to measure uncached pages)."""
    token = _bypass.set(True)
    try:
        yield
    finally:
        _bypass.reset(token)


def page_key(request: HttpRequest) -> str | None:
    """The cache key of a public GET request, or None when it must not be cached."""
    if _bypass.get() or request.method not in ("GET", "HEAD"):
        return None
    query = request.META.get("QUERY_STRING", "")
    if len(query) > MAX_CACHED_QUERY:
        return None
    address = hashlib.sha256(f"{request.get_host()}{request.path}?{query}".encode()).hexdigest()
    return f"cms:page:{content_version()}:{get_language()}:{address}"


def cached_entry(request: HttpRequest) -> dict | None:
    key = page_key(request)
    request._cms_page_key = key
    return cache.get(key) if key else None


def store_entry(request: HttpRequest, parts: dict, *, page_id: int | None, timeout: int) -> None:
    key = getattr(request, "_cms_page_key", None)
    if key is None:
        key = page_key(request)
    if key:
        cache.set(key, {"parts": parts, "page_id": page_id}, timeout)


def render_parts(template_name: str, context: dict[str, Any]) -> dict[str, str]:
    """The named parts (``{% part "name" %}…{% endpart %}``) of a template, rendered from
    ``context`` alone: no context processors, so no user and no CSRF token."""
    parts: dict[str, str] = {}
    get_template(template_name).render({**context, "_parts": parts})
    return {name: mark_safe(value) for name, value in parts.items()}  # noqa: S308 - rendered


def parts_for(
    request: HttpRequest,
    render: Callable[[], dict[str, str]],
    *,
    page_id: int | None,
    timeout: int = PAGE_TIMEOUT,
    cacheable: bool = True,
) -> dict[str, str]:
    """The parts of this request's page: from the cache, or rendered (and stored)."""
    entry = cached_entry(request) if cacheable else None
    if entry is not None:
        return entry["parts"]
    parts = render()
    if cacheable:
        store_entry(request, parts, page_id=page_id, timeout=timeout)
    return parts
