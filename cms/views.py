"""Site search, the cached front of Wagtail's page view, robots.txt and the sitemap."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from wagtail import views as wagtail_views
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap
from wagtail.models import Locale, Page

from cms.cache import SEARCH_TIMEOUT, cached_entry, parts_for, render_parts
from cms.forms import SearchForm
from cms.models import policy_filter_choices
from cms.selectors import PER_PAGE, requested_page, search_hits, search_pages
from cms.sitemaps import LocalisedSitemap

ROBOTS_DISALLOW = (
    "/admin/",
    "/django-admin/",
    "/accounts/",
    "/dashboard/",
    "/review/",
    "/search/",
    "/en/accounts/",
    "/en/dashboard/",
    "/en/review/",
    "/en/search/",
)


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """Search results: the same for everyone, so their parts are shared through the cache per
    query, filters and page (``cms.cache``)."""
    parts = parts_for(
        request,
        lambda: render_parts("cms/search.html", search_context(request)),
        page_id=None,
        timeout=SEARCH_TIMEOUT,
    )
    return TemplateResponse(request, "cms/cached_page.html", {"parts": parts})


def search_context(request: HttpRequest) -> dict:
    locale = Locale.get_active()
    form = SearchForm(request.GET or None, choices=policy_filter_choices(locale.pk))
    query = form.query
    number = requested_page(request.GET.get("page"))
    matches = search_pages(query, locale.pk, form.filters()) if query else []
    if matches:
        matches.fetch((number - 1) * PER_PAGE, PER_PAGE)
    results = Paginator(matches, PER_PAGE).get_page(number)
    return {
        "request": request,
        "form": form,
        "query": query,
        "results": results,
        "hits": search_hits(list(results.object_list)),
    }


def serve(request: HttpRequest, path: str) -> HttpResponse:
    """Wagtail's page view, answered from the shared cache when this address's public parts
    are there (policy index and policy pages; see ``cms.cache``)."""
    entry = cached_entry(request)
    if entry is None:
        return wagtail_views.serve(request, path)
    page_id = entry["page_id"]
    page = SimpleLazyObject(lambda: Page.objects.get(pk=page_id).specific)
    context = {"parts": entry["parts"], "page": page, "self": page}
    return TemplateResponse(request, "cms/cached_page.html", context)


@require_GET
@cache_control(max_age=60 * 60, public=True)
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *", *[f"Disallow: {p}" for p in ROBOTS_DISALLOW]]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_GET
def sitemap(request: HttpRequest) -> HttpResponse:
    return wagtail_sitemap(request, sitemaps={"pages": LocalisedSitemap})
