"""``python manage.py import_enterprises FILE [--dry-run] [--valid-only]``.

Checks every row like the web import; prints every bad row (row number, column, reason) and
exits with status 1 when any row (or the file) has errors. Without ``--valid-only`` nothing is
written when any row fails. Each new enterprise gets an owner invitation: e-mailed to the owner
e-mail column when given, otherwise its link is printed.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from assessments.transfer.enterprises import import_enterprises
from assessments.transfer.files import UploadError, check_spreadsheet, read_table
from portal.core.siteurls import site_root


class Command(BaseCommand):
    help = "Import enterprises from an .xlsx or .csv file (the export_enterprises columns)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        parser.add_argument(
            "--valid-only", action="store_true", help="import the valid rows, skip the others"
        )
        parser.add_argument("--as", dest="username", help="user recorded as the inviter")
        parser.add_argument("--base-url", default=None, help="site address for the links")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        user = None
        if options["username"]:
            try:
                user = get_user_model().objects.get(username=options["username"])
            except get_user_model().DoesNotExist:
                raise CommandError(f"No user {options['username']!r}.") from None
        try:
            with path.open("rb") as fileobj:
                fmt = check_spreadsheet(fileobj, path.name)
                table = read_table(fileobj, fmt)
        except UploadError as exc:
            self.stderr.write(f"{path}: {exc}")
            raise SystemExit(1) from None
        report = import_enterprises(
            table,
            user=user,
            dry_run=options["dry_run"],
            valid_only=options["valid_only"],
            base_url=options["base_url"] or site_root(),
        )
        for notice in report.notices:
            self.stdout.write(notice)
        for error in report.errors:
            column = f", column {error.column}" if error.column else ""
            self.stderr.write(f"row {error.row}{column}: {error.message}")
        summary = (
            f"{report.total_rows} rows: {report.valid_rows} valid, "
            f"{report.invalid_rows} with errors"
        )
        if options["dry_run"]:
            self.stdout.write(f"{summary} (dry run: nothing written)")
        elif report.written:
            self.stdout.write(self.style.SUCCESS(f"{summary}; {len(report.created)} imported"))
            for item in report.created:
                if not item.email:
                    self.stdout.write(
                        f"row {item.row} {item.enterprise.credit_code} owner link: "
                        f"{item.accept_url}"
                    )
        else:
            self.stdout.write(f"{summary}; nothing imported")
        if report.errors:
            raise SystemExit(1)
