"""Benchmarks: one JSON object per line ``{"name", "value", "unit", "budget"}``.

Exits with status 1 when a figure misses its budget (``value > budget``). The benchmarks are
registered by the apps (``portal.core.benchmarks``); the web figures run against the current
database, which needs the demo content (``python manage.py load_demo``). Budgets and the latest
figures: docs/performance.md.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from portal.core import benchmarks


class Command(BaseCommand):
    help = "Run the benchmarks and check them against their budgets (JSON lines on stdout)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--only",
            action="append",
            choices=sorted(benchmarks.registered()),
            help="Run only this benchmark (repeatable).",
        )
        parser.add_argument(
            "--quick",
            action="store_true",
            help="Fewer repetitions and smaller row counts (a smoke test, not a measurement).",
        )

    def handle(self, *args, only: list[str] | None = None, quick: bool = False, **options):
        registered = benchmarks.registered()
        figures = []
        for name in only or list(registered):
            try:
                rows = registered[name].run(quick)
            except benchmarks.MissingDemoContent as exc:
                raise CommandError(str(exc)) from exc
            for row in rows:
                self.stdout.write(json.dumps(row, ensure_ascii=False))
                self.stdout.flush()
            figures += rows
        missed = benchmarks.over_budget(figures)
        if missed:
            names = ", ".join(
                f"{f['name']} ({f['value']} > {f['budget']} {f['unit']})" for f in missed
            )
            raise CommandError(f"over budget: {names}")
