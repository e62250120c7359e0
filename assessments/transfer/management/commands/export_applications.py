"""``python manage.py export_applications [--programme ID] --format xlsx|csv -o FILE``."""

from django.core.management.base import BaseCommand, CommandError

from assessments.review.models import Programme
from assessments.transfer.applications import export_applications


class Command(BaseCommand):
    help = "Export applications with enterprise data, state, scores, level and dates."

    def add_arguments(self, parser):
        parser.add_argument("--programme", type=int, help="only this programme (its ID)")
        parser.add_argument("--format", choices=("xlsx", "csv"), required=True)
        parser.add_argument("--lang", choices=("zh", "en"), default="zh", help="header language")
        parser.add_argument("-o", "--output", required=True, help="file to write")

    def handle(self, *args, **options):
        filters = {}
        if options["programme"] is not None:
            if not Programme.objects.filter(pk=options["programme"]).exists():
                raise CommandError(f"No programme with ID {options['programme']}.")
            filters["programme"] = options["programme"]
        with open(options["output"], "wb") as out:
            rows = export_applications(
                out, fmt=options["format"], lang=options["lang"], filters=filters
            )
        self.stdout.write(self.style.SUCCESS(f"{rows} applications written to {options['output']}"))
