"""Extension point: other apps add panels to the company dashboard.

An app registers a callable ``panel(request, membership) -> str | None`` returning rendered
HTML (or None to show nothing); the dashboard shows them in registration order.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.utils.safestring import SafeString

PanelFunc = Callable[[HttpRequest, object], SafeString | None]
_panels: list[PanelFunc] = []


def register_panel(func: PanelFunc) -> PanelFunc:
    if func not in _panels:
        _panels.append(func)
    return func


def render_panels(request: HttpRequest, membership) -> list[SafeString]:
    return [html for func in _panels if (html := func(request, membership))]
