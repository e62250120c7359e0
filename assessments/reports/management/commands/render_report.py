"""Render a result report PDF to a file.

``manage.py render_report --submission ID [--lang en] -o FILE`` renders a stored submission;
``manage.py render_report --scheme CODE ANSWERS.json [--version N] [--on DATE] [--enterprise
NAME] [--lang en] -o FILE`` scores an answers file and renders a sample report (marked as not
verifiable) without any submission in the database. Nothing is stored. ``--html`` writes the
HTML that would be handed to WeasyPrint instead of the PDF (for previews, and for timing
WeasyPrint alone on the same text: ``manage.py bench --only report``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sys
from decimal import Decimal
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.utils import DatabaseError

from assessments import engine
from assessments.models import Submission
from assessments.reports import services
from assessments.reports.content import Enterprise, report_context, report_title
from assessments.reports.pdf import render_html, render_pdf_with_pages
from assessments.reports.services import REPORT_TEMPLATE, normalise_language
from assessments.schemes.selectors import SchemeNotFound, engine_scheme


class Command(BaseCommand):
    help = "Render the PDF result report of a submission, or of an answers file, to a file."
    # A one-shot command on an installed portal: the system checks (run by ``check``, by
    # ``migrate`` and by the web server in development) would add a second to every call.
    requires_system_checks: list[str] = []

    def create_parser(self, prog_name, subcommand, **kwargs):
        # Our --version (the scheme version) replaces Django's --version (its own version).
        kwargs.setdefault("conflict_handler", "resolve")
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser) -> None:
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("--submission", type=int, help="id of a stored submission")
        source.add_argument("--scheme", help="scheme code, e.g. ip-enterprise (with ANSWERS.json)")
        parser.add_argument("answers", nargs="?", help="JSON file with an answers object")
        parser.add_argument("--version", type=int, dest="scheme_version", help="scheme version")
        parser.add_argument("--lang", default=None, help="zh (default) or en")
        parser.add_argument("--on", help="assessment date YYYY-MM-DD (default today)")
        parser.add_argument("--enterprise", default="示例企业", help="enterprise name (--scheme)")
        parser.add_argument("--credit-code", default="", help="credit code (--scheme)")
        parser.add_argument("-o", "--output", required=True, help="PDF file to write")
        parser.add_argument(
            "--html", action="store_true", help="write the report's HTML instead of the PDF"
        )

    def handle(self, *args, **options) -> None:
        if options["submission"] is not None:
            if options["answers"]:
                raise CommandError("ANSWERS.json goes with --scheme, not --submission")
            data, pages = self._submission(options)
        else:
            if not options["answers"]:
                raise CommandError("--scheme needs an ANSWERS.json file")
            data, pages = self._answers(options)
        output = Path(options["output"])
        if options["html"]:
            output.write_text(data, encoding="utf-8")
            self.stdout.write(f"{output}: HTML, {len(data.encode()) / 1024:.1f} KB")
            return
        output.write_bytes(data)
        self.stdout.write(
            f"{output}: {pages} pages, {len(data) / 1024:.1f} KB, "
            f"sha256 {hashlib.sha256(data).hexdigest()}"
        )

    def _submission(self, options) -> tuple[bytes, int]:
        submission = (
            Submission.objects.select_related("enterprise", "scheme_version")
            .filter(pk=options["submission"])
            .first()
        )
        if submission is None:
            raise CommandError(f"no submission with id {options['submission']}")
        lang = normalise_language(options["lang"], default=normalise_language(submission.language))
        if options["html"]:
            return services.submission_report_html(submission, lang), 0
        return services.render_submission_report(submission, lang)

    def _answers(self, options) -> tuple[bytes, int]:
        try:
            on = dt.date.fromisoformat(options["on"]) if options["on"] else dt.date.today()
        except ValueError:
            raise CommandError(f"--on must be a date YYYY-MM-DD, got {options['on']!r}") from None
        try:
            scheme = engine_scheme(options["scheme"], options["scheme_version"])
        except DatabaseError:
            try:
                scheme = engine.builtin_scheme(options["scheme"], options["scheme_version"])
            except engine.SchemeError as exc:
                raise CommandError(f"unknown scheme: {exc}") from exc
        except SchemeNotFound as exc:
            raise CommandError(f"unknown scheme: {exc}") from exc
        path = Path(options["answers"])
        try:
            answers = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc}") from exc
        except json.JSONDecodeError as exc:
            self.stderr.write(f"{path}: not valid JSON: {exc}")
            sys.exit(2)
        if not isinstance(answers, dict):
            self.stderr.write(f"{path}: the file must hold one answers object")
            sys.exit(2)
        try:
            result = engine.score(scheme, answers, on)
        except engine.InvalidAnswers as exc:
            for error in exc.errors:
                self.stderr.write(f"{error.key}: {error.message}")
            sys.exit(2)
        stored = json.loads(engine.dumps(engine.result_to_dict(result)))
        answers = json.loads(engine.dumps(answers))
        lang = normalise_language(options["lang"])
        name = options["enterprise"]
        context = report_context(
            scheme=scheme,
            result=stored,
            answers=answers,
            enterprise=Enterprise(name, options["credit_code"]),
            assessed_on=on,
            lang=lang,
        )
        title = report_title(scheme, name, lang)
        if options["html"]:
            return render_html(REPORT_TEMPLATE, context, lang=lang, title=title), 0
        return render_pdf_with_pages(REPORT_TEMPLATE, context, lang=lang, title=title)
