"""The language switch: the same page in the other language.

The header's switch posts the address of the page it is on (``next``, as the browser shows it,
with or without the ``/en/`` prefix) and the language wanted. :func:`page_in_language` finds
that page in the other language:

* a Wagtail page goes to its translation in the other locale (same sub-route and query); when
  it has none, to the nearest ancestor that has one (the index, else the home page), and the
  view says so in a message;
* any other page inside the language prefix (Django views, error pages) keeps its path and
  query and only changes the prefix;
* an address outside the language prefix (``/healthz``, the admin) stays as it is.

Only the page's own language decides the source: the prefix of ``next`` (none means Chinese),
never the cookie or the browser's language, so a prefix is never added twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.urls import Resolver404, URLResolver, get_resolver, resolve
from django.urls.resolvers import LocalePrefixPattern
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods
from wagtail.models import Locale, Site

LANGUAGE_FIELD = "language"


@dataclass(frozen=True)
class Target:
    url: str
    exact: bool  # False: the page has no version in that language; ``url`` is the nearest one


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def language_of_path(path: str) -> str:
    """The language a path is in: its prefix, or the default language without one."""
    code = translation.get_language_from_path(path)
    return code or settings.LANGUAGE_CODE


def _prefix(language: str) -> str:
    return "" if language == settings.LANGUAGE_CODE else f"/{language}"


def _strip_prefix(path: str, language: str) -> str:
    prefix = _prefix(language)
    if prefix and (path == prefix or path.startswith(prefix + "/")):
        return path[len(prefix) :] or "/"
    return path


def _outside_language_prefix(path: str) -> bool:
    """Whether an unprefixed ``path`` is one of the site-wide addresses outside the prefix."""
    for pattern in get_resolver().url_patterns:
        if isinstance(pattern, URLResolver) and isinstance(pattern.pattern, LocalePrefixPattern):
            continue
        try:
            if pattern.resolve(path.removeprefix("/")):
                return True
        except Resolver404:
            continue
    return False


def _wagtail_target(request: HttpRequest, path: str, source: str, target: str) -> Target | None:
    """The translation of the Wagtail page at ``path`` (or its nearest translated ancestor)."""
    site = Site.find_for_request(request)
    if site is None:
        return None
    with translation.override(source):
        try:
            match = resolve(path)
        except Resolver404:
            return None
        if match.url_name != "wagtail_serve":
            return None
        root = site.root_page.localized.specific
        components = [part for part in match.args[0].split("/") if part] if match.args else []
        try:
            page = root.route(request, components)[0]
        except Http404:  # no such page, or a sub-route that does not exist
            return None
    locale = Locale.objects.filter(language_code=target).first()
    if locale is None:
        return None
    page_path = page.url_path[len(root.url_path) - 1 :]  # "/policies/<slug>/"
    neutral = _strip_prefix(path, source)
    rest = neutral[len(page_path) :] if neutral.startswith(page_path) else ""
    translated = page.get_translation_or_none(locale)
    if translated is not None and translated.live:
        with translation.override(target):
            return Target(translated.get_url(request) + rest, exact=True)
    for ancestor in page.get_ancestors().filter(depth__gt=1).order_by("-depth"):
        translated = ancestor.get_translation_or_none(locale)
        if translated is not None and translated.live:
            with translation.override(target):
                return Target(translated.get_url(request), exact=False)
    return Target(_prefix(target) + "/", exact=False)


def page_in_language(request: HttpRequest, url: str, target: str) -> Target:
    """The address of the page at ``url`` (a local path with its query) in ``target``."""
    parts = urlsplit(url)
    path = parts.path or "/"
    source = language_of_path(path)
    if source == target:
        return Target(url, exact=True)
    if source == settings.LANGUAGE_CODE and _outside_language_prefix(path):
        return Target(url, exact=True)
    found = _wagtail_target(request, path, source, target)
    if found is not None:
        if found.exact:
            return Target(urlunsplit(("", "", found.url, parts.query, "")), exact=True)
        return found
    new_path = _prefix(target) + _strip_prefix(path, source)
    return Target(urlunsplit(("", "", new_path, parts.query, "")), exact=True)


def _safe_next(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if (
        candidate.startswith("/")
        and not candidate.startswith("//")
        and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return candidate
    return "/"


@require_http_methods(["GET", "POST"])
def switch_language(request: HttpRequest) -> HttpResponseRedirect:
    """Switch to ``language`` and go to the page ``next`` in that language.

    A GET changes nothing and goes back to ``next`` (as Django's ``set_language`` does).
    """
    next_url = _safe_next(request)
    language = request.POST.get(LANGUAGE_FIELD, "") if request.method == "POST" else ""
    if language not in language_codes():
        return HttpResponseRedirect(next_url)
    target = page_in_language(request, next_url, language)
    if not target.exact:
        with translation.override(language):
            name = translation.get_language_info(language)["name_local"]
            messages.info(
                request,
                gettext(
                    "This page is not available in %(language)s yet; this is the nearest "
                    "page that is."
                )
                % {"language": name},
            )
    response = HttpResponseRedirect(target.url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response
