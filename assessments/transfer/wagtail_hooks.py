"""Registrations of the import and export app: the header's link to it, and its benchmark."""

from __future__ import annotations

from wagtail import hooks

from assessments.transfer.permissions import can_transfer
from portal.accounts.navigation import NavigationLink
from portal.core import hooks as portal_hooks
from portal.core.benchmarks import Benchmark


def bench(quick: bool = False) -> list[dict]:
    """Import and export of the registry, and the streamed export at growing sizes."""
    # Imported when the benchmark runs: it loads openpyxl and the sample data, which no other
    # process needs.
    from assessments.transfer import benchmark

    figures = benchmark.run_benchmark(rows=1_000 if quick else 10_000)
    sizes = (1_000, 3_000) if quick else benchmark.EXPORT_SIZES
    return figures + benchmark.run_export_benchmark(sizes)


hooks.register(portal_hooks.NAVIGATION, NavigationLink("transfer", can_transfer), order=20)
hooks.register(portal_hooks.BENCHMARKS, Benchmark("transfer", bench), order=50)
