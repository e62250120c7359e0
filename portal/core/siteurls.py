"""Absolute URLs from the site that is being served, never from a constant.

One rule for every absolute link the portal writes (pages, PDFs and their QR codes, feeds, the
sitemap, e-mails):

1. **During a request**, the scheme and host of that request (Django checked the host against
   ``ALLOWED_HOSTS``; behind a TLS proxy ``SECURE_PROXY_SSL_HEADER`` gives the scheme).
   :class:`RequestRootMiddleware` remembers the request for code that is not handed it (an
   e-mail rendered by a service, a PDF rendered by a task that runs in-process).
2. **Without a request** (a background worker, a management command): ``settings.SITE_URL``
   when it is set;
3. otherwise the root URL of the default Wagtail Site (Settings → Sites in the admin).

Pages get the same rule through :class:`RequestHostPageMixin` (``page.get_full_url(request)``
and ``{% fullpageurl page %}``).
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse

_current: contextvars.ContextVar[HttpRequest | None] = contextvars.ContextVar(
    "portal_current_request", default=None
)

FALLBACK_ROOT = "http://localhost"


def request_root(request: HttpRequest) -> str:
    """``https://host[:port]`` of ``request`` (no trailing slash)."""
    return request.build_absolute_uri("/").rstrip("/")


def configured_root() -> str:
    """The root for links made outside a request: ``SITE_URL``, else the default Site's."""
    if settings.SITE_URL:
        return settings.SITE_URL.rstrip("/")
    # The Wagtail Site model needs the app registry; this module is imported by settings-free
    # code paths too, so it is imported when first used.
    from wagtail.models import Site

    site = Site.objects.filter(is_default_site=True).only("hostname", "port").first()
    return site.root_url.rstrip("/") if site is not None else FALLBACK_ROOT


def site_root(request: HttpRequest | None = None) -> str:
    """The root URL by the rule above: ``request``, the current request, ``SITE_URL``, the Site."""
    request = request or _current.get()
    if request is not None:
        with contextlib.suppress(DisallowedHost):  # Django answers 400 elsewhere
            return request_root(request)
    return configured_root()


def absolute_url(path: str, request: HttpRequest | None = None) -> str:
    """``path`` (starting with "/") as an absolute URL by the rule above."""
    if path.startswith(("http://", "https://")):
        return path
    return site_root(request) + ("" if path.startswith("/") else "/") + path


class RequestRootMiddleware:
    """Remembers the current request for :func:`site_root` (a context variable, so that
    threads and async tasks never see another request's host)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _current.set(request)
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)


class RequestHostPageMixin:
    """For Wagtail pages: a full URL made for a request uses that request's scheme and host
    when the page belongs to the site that serves the request (Wagtail would use the Site's
    configured hostname, e.g. ``http://localhost``, whatever host was asked for)."""

    def get_url_parts(self, request: HttpRequest | None = None):
        parts = super().get_url_parts(request)  # type: ignore[misc]
        if parts is None:
            return parts
        site_id, root_url, page_path = parts
        request = request or _current.get()
        if request is None:
            if settings.SITE_URL:
                return site_id, settings.SITE_URL.rstrip("/"), page_path
            return parts
        from wagtail.models import Site  # app registry: see configured_root()

        site = Site.find_for_request(request)
        if site is not None and site.pk == site_id:
            with contextlib.suppress(DisallowedHost):  # keeps the configured root
                root_url = request_root(request)
        return site_id, root_url, page_path
