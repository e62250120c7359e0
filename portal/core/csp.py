"""The Content-Security-Policy of every page (django-csp), with the admin areas' exceptions.

The site's policy (``CONTENT_SECURITY_POLICY`` in the settings) allows scripts and styles from
the portal's own origin only: no inline script, no ``on*=`` handler, no inline style, no
``eval``. An inline ``<script>`` a template really needs carries ``nonce="{{ CSP_NONCE }}"``
(the nonce is added to the header only on pages that use it).

The Wagtail and Django admin areas (``PORTAL_CSP_ADMIN_PREFIXES``) still render a few inline
scripts of their own (date pickers, inline panels) and inline styles, so there the policy is
replaced by ``PORTAL_CSP_ADMIN_DIRECTIVES``: the same, plus ``'unsafe-inline'`` for scripts
and styles and ``blob:`` images (upload previews). Only signed-in staff reach those pages, and
Wagtail escapes what editors write.
"""

from __future__ import annotations

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings


class PortalCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(
            tuple(settings.PORTAL_CSP_ADMIN_PREFIXES)
        ):
            parts.replace = {**settings.PORTAL_CSP_ADMIN_DIRECTIVES, **(parts.replace or {})}
        return parts
