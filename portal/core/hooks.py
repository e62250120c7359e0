"""Names of the Wagtail hooks through which the apps above ``portal/`` plug into it.

``portal/`` never imports ``assessments`` or ``cms``; they register what the portal shows or
runs in their own ``wagtail_hooks.py`` (found by Wagtail in every installed app), and the
portal asks ``wagtail.hooks.get_hooks(NAME)``. Hooks run by ``order`` (then in the order of
INSTALLED_APPS). See docs/architecture.md.
"""

from __future__ import annotations

# ``load(stdout, style) -> None``: demo content for ``manage.py load_demo``, run in a transaction.
DEMO_CONTENT = "portal_demo_content"
# ``portal.core.benchmarks.Benchmark(name, run)``: figures for ``manage.py bench``.
BENCHMARKS = "portal_benchmarks"
# ``panel(request, membership) -> SafeString | None``: a panel of the company dashboard.
DASHBOARD_PANEL = "portal_dashboard_panel"
# ``portal.accounts.navigation.NavigationLink(name, shown)``: a link of the page header,
# shown when ``shown(user)``; templates read ``header_links.<name>`` (answers kept in the session).
NAVIGATION = "portal_navigation"
