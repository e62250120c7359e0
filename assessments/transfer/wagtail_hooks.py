"""Registrations of the import and export app: its benchmark."""

from __future__ import annotations

from wagtail import hooks

from assessments import transfer_benchmark
from portal.core import hooks as portal_hooks
from portal.core.benchmarks import Benchmark


def bench(quick: bool = False) -> list[dict]:
    return transfer_benchmark.run_benchmark(rows=1_000 if quick else 10_000)


hooks.register(portal_hooks.BENCHMARKS, Benchmark("transfer", bench), order=50)
