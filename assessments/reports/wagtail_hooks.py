"""Registrations of the reports app: result reports are verifiable at /verify/<code>/, and
the report rendering benchmark."""

from __future__ import annotations

from wagtail import hooks

from assessments.reports.verification import RESOLVER_HOOK, submission_record
from portal.core import hooks as portal_hooks
from portal.core.benchmarks import Benchmark


def bench(quick: bool = False) -> list[dict]:
    # Imported when the benchmark runs: it renders sample reports.
    from assessments.reports.benchmark import bench as run

    return run(quick)


hooks.register(RESOLVER_HOOK, submission_record, order=10)
# First: its peak-RSS figure is the process's peak, which the other benchmarks (10,000 answer
# sets, 10,000 registry rows) would otherwise inflate.
hooks.register(portal_hooks.BENCHMARKS, Benchmark("report", bench), order=10)
