"""Registrations of the assessments app: the scheme versions in the Wagtail admin, the
self-assessment panel of the company dashboard, the demo schemes and submissions, and the
scoring and wizard benchmarks.

Every process imports this module when the app registry is ready (Wagtail looks for hooks
then), so what only the admin, ``load_demo`` or ``bench`` needs is imported when it is used.
"""

from __future__ import annotations

from wagtail import hooks

from assessments.wizard.panels import assessments_panel
from portal.core import hooks as portal_hooks
from portal.core.benchmarks import Benchmark


@hooks.register("register_admin_viewset")
def register_scheme_versions():
    # Imported when the admin builds its URLs: it loads Wagtail's admin views.
    from assessments.schemes.admin_views import SchemeVersionViewSet

    return SchemeVersionViewSet("assessments_schemeversion", url_prefix="schemes")


def load_demo(stdout, style) -> None:
    # Imported when the demo is loaded: only ``manage.py load_demo`` needs it.
    from assessments import demo

    demo.load(stdout, style)


def scoring_benchmark(quick: bool = False) -> list[dict]:
    # Imported when the benchmark runs (as the other benchmarks below).
    from assessments.engine.benchmark import run_benchmark

    return run_benchmark(n=1_000 if quick else 10_000)


def wizard_benchmark(quick: bool = False) -> list[dict]:
    # Imported when the benchmark runs: it uses the test client.
    from assessments.wizard.benchmark import wizard_benchmark as run

    return run(quick)


hooks.register(portal_hooks.DASHBOARD_PANEL, assessments_panel, order=10)
hooks.register(portal_hooks.DEMO_CONTENT, load_demo, order=20)
hooks.register(portal_hooks.BENCHMARKS, Benchmark("wizard", wizard_benchmark), order=30)
hooks.register(portal_hooks.BENCHMARKS, Benchmark("scoring", scoring_benchmark), order=40)
