"""Registrations of the import and export app: its benchmark."""

from __future__ import annotations

from wagtail import hooks

from assessments.transfer import benchmark
from portal.core import hooks as portal_hooks
from portal.core.benchmarks import Benchmark


def bench(quick: bool = False) -> list[dict]:
    """Import and export of the registry, and the streamed export at growing sizes."""
    figures = benchmark.run_benchmark(rows=1_000 if quick else 10_000)
    sizes = (1_000, 3_000) if quick else benchmark.EXPORT_SIZES
    return figures + benchmark.run_export_benchmark(sizes)


hooks.register(portal_hooks.BENCHMARKS, Benchmark("transfer", bench), order=50)
