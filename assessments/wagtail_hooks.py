"""Registrations of the assessments app: the scheme versions in the Wagtail admin, the
self-assessment panel of the company dashboard, the demo schemes and submissions, and the
scoring and wizard benchmarks."""

from __future__ import annotations

from wagtail import hooks

from assessments import demo
from assessments.engine.benchmark import run_benchmark as run_scoring_benchmark
from assessments.schemes.admin_views import SchemeVersionViewSet
from assessments.wizard.benchmark import wizard_benchmark
from assessments.wizard.panels import assessments_panel
from portal.core import hooks as portal_hooks
from portal.core.benchmarks import Benchmark


@hooks.register("register_admin_viewset")
def register_scheme_versions():
    return SchemeVersionViewSet("assessments_schemeversion", url_prefix="schemes")


def scoring_benchmark(quick: bool = False) -> list[dict]:
    return run_scoring_benchmark(n=1_000 if quick else 10_000)


hooks.register(portal_hooks.DASHBOARD_PANEL, assessments_panel, order=10)
hooks.register(portal_hooks.DEMO_CONTENT, demo.load, order=20)
hooks.register(portal_hooks.BENCHMARKS, Benchmark("wizard", wizard_benchmark), order=30)
hooks.register(portal_hooks.BENCHMARKS, Benchmark("scoring", scoring_benchmark), order=40)
