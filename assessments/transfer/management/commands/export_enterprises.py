"""``python manage.py export_enterprises [--format xlsx|csv] [--lang zh|en] -o FILE``."""

from django.core.management.base import BaseCommand

from assessments.transfer.enterprises import export_enterprises


class Command(BaseCommand):
    help = "Export the enterprise registry (the columns import_enterprises reads)."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=("xlsx", "csv"), default=None)
        parser.add_argument("--lang", choices=("zh", "en"), default="zh", help="header language")
        parser.add_argument("-o", "--output", required=True, help="file to write")

    def handle(self, *args, **options):
        output = options["output"]
        fmt = options["format"] or ("csv" if output.lower().endswith(".csv") else "xlsx")
        with open(output, "wb") as out:
            rows = export_enterprises(out, fmt=fmt, lang=options["lang"])
        self.stdout.write(self.style.SUCCESS(f"{rows} enterprises written to {output} ({fmt})"))
