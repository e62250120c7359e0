"""Extension point: other apps add panels to the company dashboard.

An app registers a panel with a Wagtail hook in its ``wagtail_hooks.py``::

    @hooks.register(portal.core.hooks.DASHBOARD_PANEL, order=10)
    def my_panel(request, membership) -> SafeString | None: ...

The callable returns rendered HTML, or None to show nothing; the dashboard shows the panels by
``order`` (then in the order of INSTALLED_APPS).
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.safestring import SafeString
from wagtail import hooks

from portal.core.hooks import DASHBOARD_PANEL


def render_panels(request: HttpRequest, membership) -> list[SafeString]:
    panels = hooks.get_hooks(DASHBOARD_PANEL)
    return [html for func in panels if (html := func(request, membership))]
