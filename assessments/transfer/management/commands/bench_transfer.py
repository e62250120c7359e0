"""``python manage.py bench_transfer [--rows N] [--export-rows N ...]``: import/export
benchmark, one JSON per line.

Exits with status 1 when a figure is over its budget (30 s, 500 MB; an export's memory growth
80 MB). Nothing is kept in the database (the work is rolled back).
"""

import json

from django.core.management.base import BaseCommand

from assessments.transfer.benchmark import (
    EXPORT_SIZES,
    over_budget,
    run_benchmark,
    run_export_benchmark,
)


class Command(BaseCommand):
    help = (
        "Time and peak memory of importing and exporting 10,000 enterprises, and of the "
        "streamed export of 10,000, 30,000 and 100,000."
    )

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=10_000)
        parser.add_argument(
            "--export-rows", type=int, nargs="*", default=list(EXPORT_SIZES), metavar="N"
        )
        parser.add_argument(
            "--report-only",
            action="store_true",
            help="Print the figures without failing when one is over its budget.",
        )

    def handle(self, *args, **options):
        results = run_benchmark(rows=options["rows"])
        results += run_export_benchmark(tuple(options["export_rows"]))
        for result in results:
            self.stdout.write(json.dumps(result))
        if over_budget(results) and not options["report_only"]:
            raise SystemExit(1)
