"""``manage.py bench_reports [--repeat 10] [--lang en]``: report rendering benchmark."""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand

from assessments.reports.benchmark import run_benchmark
from portal.core.benchmarks import over_budget


class Command(BaseCommand):
    help = (
        "Render the sample gbt29490-2023 and ip-enterprise reports N times each; print median "
        "time, pages, size and peak memory as JSON lines; exit 1 when a budget is missed."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--repeat", type=int, default=10, help="renderings per report")
        parser.add_argument("--lang", default="zh-hans", choices=["zh-hans", "en"])

    def handle(self, *args, **options) -> None:
        figures = run_benchmark(options["repeat"], options["lang"])
        for figure in figures:
            self.stdout.write(json.dumps(figure, ensure_ascii=False))
        missed = over_budget(figures)
        if missed:
            names = ", ".join(
                f"{f['name']} {f['value']} {f['unit']} > {f['budget']}" for f in missed
            )
            self.stderr.write(f"over budget: {names}")
            sys.exit(1)
