"""Wagtail look-ups that every page repeats, answered from memory instead of the database.

Serving any Wagtail page (and many portal pages) asks the same questions again on every
request: which ``Site`` this host is, which ``Locale`` the active language is, and which view
restrictions apply (the page's own check, and every ``.public()`` queryset). They change
almost never, so :func:`install` (run by ``portal.core``'s ``AppConfig.ready``) answers them
from caches that the receivers below clear on every change:

* **Sites** (with their root page) and **locales**: kept in each process for at most
  :data:`MAX_AGE` seconds and cleared there when a site, a page or a locale is saved or deleted.
  A change made by another worker shows within that time; it only moves the site root or a
  locale, which editors do once when the site is set up.
* **View restrictions** decide who may see a page, so a new one must apply at once in every
  worker: their list (page id, path, depth) lives in the default cache, which the receivers
  clear. With ``CACHE_URL``/``REDIS_URL`` that cache is shared by every worker (several
  workers on a local-memory cache are not supported: ``portal.W002`` says so); the entry also
  expires after :data:`MAX_AGE` seconds. When no page has a restriction (the usual case) a
  page's check needs no query at all; otherwise Wagtail's own check runs as before.

Each answer is a new model instance (built from stored values), never an object shared between
requests.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest
from django.http.request import split_domain_port
from wagtail.models import Locale, Page, PageViewRestriction, Site
from wagtail.models.i18n import LocaleManager
from wagtail.query import PageQuerySet
from wagtail.signals import post_page_move

MAX_AGE = 60  # seconds
RESTRICTIONS_KEY = "portal:wagtail:view-restrictions:v1"

_lock = threading.Lock()
# (hostname, port) -> (stored at, site values or None, root page values)
_sites: dict[tuple[str, int | str], tuple[float, tuple | None, tuple | None]] = {}
# supported language code -> (stored at, (id, language_code))
_locales: dict[str, tuple[float, tuple[int, str]]] = {}

_SITE_FIELDS = [f.attname for f in Site._meta.concrete_fields]
_PAGE_FIELDS = [f.attname for f in Page._meta.concrete_fields]

_original: dict[str, Any] = {}


def _fresh(entry: tuple | None) -> bool:
    return entry is not None and 0 <= time.monotonic() - entry[0] < MAX_AGE


def clear() -> None:
    """Forget every cached site, locale and view restriction (this process and the cache)."""
    with _lock:
        _sites.clear()
        _locales.clear()
    cache.delete(RESTRICTIONS_KEY)


# --- Sites ---------------------------------------------------------------------------------


def find_site(request: HttpRequest) -> Site | None:
    """``Site._find_for_request``, kept per host and port."""
    hostname = split_domain_port(request._get_raw_host())[0]
    port = request.get_port()
    entry = _sites.get((hostname, port))
    if not _fresh(entry):
        site = _original["find_site"](request)
        values = tuple(getattr(site, name) for name in _SITE_FIELDS) if site else None
        root = site.root_page if site else None
        page_values = tuple(getattr(root, name) for name in _PAGE_FIELDS) if root else None
        entry = (time.monotonic(), values, page_values)
        with _lock:
            _sites[(hostname, port)] = entry
    _, values, page_values = entry
    if values is None:
        return None
    site = Site.from_db(DEFAULT_DB_ALIAS, _SITE_FIELDS, values)
    if page_values is not None:
        site.root_page = Page.from_db(DEFAULT_DB_ALIAS, _PAGE_FIELDS, page_values)
    return site


# --- Locales -------------------------------------------------------------------------------


def get_for_language(manager: LocaleManager, language_code: str) -> Locale:
    """``Locale.objects.get_for_language``, kept per language code."""
    from wagtail.coreutils import get_supported_content_language_variant

    code = get_supported_content_language_variant(language_code)
    entry = _locales.get(code)
    if not _fresh(entry):
        locale = _original["get_for_language"](manager, language_code)
        entry = (time.monotonic(), (locale.pk, locale.language_code))
        with _lock:
            _locales[code] = entry
    pk, stored_code = entry[1]
    return Locale.from_db(DEFAULT_DB_ALIAS, ["id", "language_code"], [pk, stored_code])


# --- View restrictions ---------------------------------------------------------------------


def restricted_pages() -> tuple[tuple[int, str, int], ...]:
    """(page id, path, depth) of every page with a view restriction, from the default cache."""
    pages = cache.get(RESTRICTIONS_KEY)
    if pages is None:
        pages = tuple(
            PageViewRestriction.objects.order_by("page__path")
            .values_list("page_id", "page__path", "page__depth")
            .distinct()
        )
        cache.set(RESTRICTIONS_KEY, pages, MAX_AGE)
    return tuple(tuple(p) for p in pages)


def get_view_restrictions(page: Page):
    """``Page.get_view_restrictions``: no query at all while no page has a restriction."""
    if not restricted_pages():
        return PageViewRestriction.objects.none()
    return _original["get_view_restrictions"](page)


def private_q(queryset: PageQuerySet) -> Q:
    """``PageQuerySet.private_q`` (what ``.public()`` excludes) from the cached list."""
    q = Q()
    for _pk, path, depth in restricted_pages():
        q |= Q(path__startswith=path) & Q(depth__gte=depth)
    # As Wagtail's: match no page when no private section exists.
    return q if q else Q(pk__in=[])


# --- Installation and invalidation ---------------------------------------------------------


def install() -> None:
    """Answer the look-ups from the caches (once per process; idempotent)."""
    if _original:
        return
    _original["find_site"] = Site._find_for_request
    _original["get_for_language"] = LocaleManager.get_for_language
    _original["get_view_restrictions"] = Page.get_view_restrictions
    Site._find_for_request = staticmethod(find_site)
    LocaleManager.get_for_language = get_for_language
    Page.get_view_restrictions = get_view_restrictions
    PageQuerySet.private_q = private_q

    post_save.connect(_changed, dispatch_uid="portal.wagtail_lookups.saved")
    post_delete.connect(_changed, dispatch_uid="portal.wagtail_lookups.deleted")
    post_page_move.connect(_page_moved, dispatch_uid="portal.wagtail_lookups.moved")


def _changed(sender, instance, **kwargs) -> None:
    if isinstance(instance, PageViewRestriction):
        cache.delete(RESTRICTIONS_KEY)
    elif isinstance(instance, Site | Page):
        with _lock:
            _sites.clear()
        if isinstance(instance, Page) and kwargs.get("signal") is post_delete:
            cache.delete(RESTRICTIONS_KEY)
    elif isinstance(instance, Locale):
        with _lock:
            _locales.clear()


def _page_moved(sender, **kwargs) -> None:
    # Paths change: restricted sections and site roots are found by path.
    clear()
