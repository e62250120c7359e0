"""``python manage.py bench_transfer [--rows N]``: import/export benchmark, one JSON per line.

Exits with status 1 when a figure is over its budget (30 s, 500 MB). Nothing is kept in the
database (the work is rolled back).
"""

import json

from django.core.management.base import BaseCommand

from assessments.transfer.benchmark import over_budget, run_benchmark


class Command(BaseCommand):
    help = "Time and peak memory of importing and exporting 10,000 enterprises."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=10_000)

    def handle(self, *args, **options):
        results = run_benchmark(rows=options["rows"])
        for result in results:
            self.stdout.write(json.dumps(result))
        if over_budget(results):
            raise SystemExit(1)
