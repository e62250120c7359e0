"""Site search, robots.txt and the sitemap view."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap
from wagtail.models import Locale

from cms.forms import SearchForm
from cms.models import paginate, policy_filter_choices
from cms.selectors import search_hits, search_pages
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
    locale = Locale.get_active()
    form = SearchForm(request.GET or None, choices=policy_filter_choices(locale.pk))
    query = form.query
    results = paginate(request, search_pages(query, locale.pk, form.filters()) if query else [])
    context = {
        "form": form,
        "query": query,
        "results": results,
        "hits": search_hits(list(results.object_list)),
    }
    return render(request, "cms/search.html", context)


@require_GET
@cache_control(max_age=60 * 60, public=True)
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *", *[f"Disallow: {p}" for p in ROBOTS_DISALLOW]]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_GET
def sitemap(request: HttpRequest) -> HttpResponse:
    return wagtail_sitemap(request, sitemaps={"pages": LocalisedSitemap})
