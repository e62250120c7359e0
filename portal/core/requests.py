"""Limits on what a request may carry, checked in one place before any view reads the body.

:class:`RequestLimitsMiddleware` (placed before ``CsrfViewMiddleware``, which is the first to
read a POST body) refuses:

- a body larger than the view accepts, judged from ``Content-Length`` before a byte of it is
  read (413 with a clear page). Views that take files declare their limit with
  :func:`accepts_uploads`; the Wagtail and Django admin areas have theirs in
  ``PORTAL_BODY_LIMITS``; every other view accepts ``DATA_UPLOAD_MAX_MEMORY_SIZE``.
- a NUL character anywhere in the path, the query string, the form fields or an uploaded
  file's name (400). PostgreSQL cannot store NUL in text or JSON, and no one types it.

A reverse proxy should refuse bigger bodies before they reach the portal at all (nginx:
``client_max_body_size``; see the README).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat

BodyLimit = Callable[[], int]


def accepts_uploads(file_limit: BodyLimit) -> Callable[[Any], Any]:
    """Mark a view as taking one uploaded file of at most ``file_limit()`` bytes per request.

    The whole body may then be that plus ``DATA_UPLOAD_MAX_MEMORY_SIZE`` for the form fields.
    """

    def decorate(view):
        view.portal_max_body = lambda: file_limit() + settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return view

    return decorate


def body_limit(request, view_func) -> int:
    """The largest body (bytes) the view accepts."""
    declared = getattr(view_func, "portal_max_body", None)
    if declared is not None:
        return declared()
    for prefix, limit in settings.PORTAL_BODY_LIMITS.items():
        if request.path_info.startswith(prefix):
            return limit
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def declared_length(request) -> int:
    try:
        return max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError:
        return 0


def has_nul(request) -> bool:
    """Whether a NUL character is in the path, the query, the form fields or a file name."""
    if "\x00" in request.path:
        return True
    sources = [request.GET]
    if request.method == "POST":
        sources.append(request.POST)
    for data in sources:
        for key, values in data.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                return True
    if request.method == "POST":
        for key, files in request.FILES.lists():
            if "\x00" in key or any("\x00" in (f.name or "") for f in files):
                return True
    return False


class RequestLimitsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        length = declared_length(request)
        limit = body_limit(request, view_func)
        if length > limit:
            return render(
                request,
                "413.html",
                {"size": filesizeformat(length), "limit": filesizeformat(limit)},
                status=413,
            )
        if has_nul(request):
            return render(request, "400.html", {"reason": "nul"}, status=400)
        return None
