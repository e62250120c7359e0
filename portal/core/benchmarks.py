"""The machinery of ``python manage.py bench``: figures, budgets and page measurements.

A figure is a dict ``{"name", "value", "unit", "budget"}``; it misses its budget when
``budget`` is not None and ``value > budget``. The benchmarks themselves live with the code they
measure and are registered as :class:`Benchmark` objects with the Wagtail hook
``portal.core.hooks.BENCHMARKS`` (scoring and the wizard in ``assessments``, reports in
``assessments.reports``, the CMS pages in ``cms``, import and export in ``assessments.transfer``).

Page benchmarks go through the Django test client against the current database (it needs the
demo content: ``python manage.py load_demo``) with :func:`measure`.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from wagtail import hooks

from portal.core.hooks import BENCHMARKS

Figure = dict[str, Any]
# The clock of :func:`measure` (a module attribute, so that tests can replace it).
clock = time.perf_counter


@dataclass(frozen=True)
class Benchmark:
    """A named benchmark: ``run(quick)`` returns its figures (``quick``: a smoke run)."""

    name: str
    run: Callable[[bool], list[Figure]]


class MissingDemoContent(RuntimeError):
    """The database lacks the demo content: run ``python manage.py load_demo`` first."""


class Rollback(Exception):
    """Raised inside ``transaction.atomic()`` to throw away what a benchmark created."""


@dataclass
class Timing:
    median_ms: float
    queries: int
    status: int


def registered() -> dict[str, Benchmark]:
    """The registered benchmarks by name, in hook order."""
    return {b.name: b for b in hooks.get_hooks(BENCHMARKS)}


def measure(request: Callable[[], Any], repeat: int, expect: tuple[int, ...]) -> Timing:
    """Median wall time of ``request()`` over ``repeat`` runs after one warm-up, and the
    number of queries of the last run."""
    response = request()
    if response.status_code not in expect:
        raise RuntimeError(f"unexpected status {response.status_code} (expected {expect})")
    times = []
    queries = 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            start = clock()
            response = request()
            times.append((clock() - start) * 1000)
        queries = len(captured.captured_queries)
        if response.status_code not in expect:
            raise RuntimeError(f"unexpected status {response.status_code} (expected {expect})")
    return Timing(round(statistics.median(times), 1), queries, response.status_code)


def page_figures(name: str, timing: Timing, budget_ms: float, budget_queries: int) -> list[Figure]:
    """The median time and the query count of one page as two figures."""
    return [
        {
            "name": f"web.{name}.median",
            "value": timing.median_ms,
            "unit": "ms",
            "budget": budget_ms,
        },
        {
            "name": f"web.{name}.queries",
            "value": timing.queries,
            "unit": "queries",
            "budget": budget_queries,
        },
    ]


@contextmanager
def web_settings():
    """The test client's host is "testserver"; e-mails (none expected) never leave the process."""
    with override_settings(
        ALLOWED_HOSTS=["*"],
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    ):
        yield


def over_budget(figures: list[Figure]) -> list[Figure]:
    return [f for f in figures if f.get("budget") is not None and f["value"] > f["budget"]]
