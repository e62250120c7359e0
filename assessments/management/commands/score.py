"""Score answer sets from a JSON file: ``manage.py score --scheme CODE ANSWERS.json``."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.utils import DatabaseError

from assessments import engine, presentation
from assessments.schemes.selectors import SchemeNotFound, engine_scheme


class Command(BaseCommand):
    help = (
        "Score one answers object (or a list of them) and print the result JSON, warnings "
        "included (exit 2 naming the bad keys on invalid or inconsistent answers)."
    )
    # As render_report: a one-shot command, so the system checks are left to ``check``.
    requires_system_checks: list[str] = []

    def create_parser(self, prog_name, subcommand, **kwargs):
        # Our --version (the scheme version) replaces Django's --version (its own version).
        kwargs.setdefault("conflict_handler", "resolve")
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser) -> None:
        parser.add_argument("answers", help="JSON file with an answers object or a list of them")
        parser.add_argument("--scheme", required=True, help="scheme code, e.g. ip-enterprise")
        parser.add_argument("--version", type=int, dest="scheme_version", help="scheme version")
        parser.add_argument("--on", help="assessment date YYYY-MM-DD (default today)")
        parser.add_argument("--lang", choices=["zh", "en"], default="zh", help="text language")
        parser.add_argument("--indent", type=int, default=None, help="pretty-print the JSON")

    def scheme(self, code: str, version: int | None) -> engine.Scheme:
        """The stored version (newest published by default), else the shipped file."""
        try:
            return engine_scheme(code, version)
        except SchemeNotFound as exc:
            raise CommandError(f"unknown scheme: {exc}") from exc
        except DatabaseError:  # no database yet (not migrated): the shipped files still score
            try:
                return engine.builtin_scheme(code, version)
            except engine.SchemeError as exc:
                raise CommandError(f"unknown scheme: {exc}") from exc

    def fail(self, message: str) -> None:
        self.stderr.write(message)
        sys.exit(2)

    def handle(self, *args, **options) -> None:
        try:
            on = dt.date.fromisoformat(options["on"]) if options["on"] else dt.date.today()
        except ValueError:
            raise CommandError(f"--on must be a date YYYY-MM-DD, got {options['on']!r}") from None
        scheme = self.scheme(options["scheme"], options["scheme_version"])
        try:
            data = json.loads(Path(options["answers"]).read_text(encoding="utf-8"))
        except OSError as exc:
            raise CommandError(f"cannot read {options['answers']}: {exc}") from exc
        except json.JSONDecodeError as exc:
            self.fail(f"{options['answers']}: not valid JSON: {exc}")
        single = isinstance(data, dict)
        batch = [data] if single else data
        if not isinstance(batch, list) or not all(isinstance(a, dict) for a in batch):
            self.fail("the file must hold an answers object or a list of answers objects")
        results = []
        for index, answers in enumerate(batch):
            try:
                result = engine.score(scheme, answers, on)
                results.append(presentation.contract_dict(scheme, result, options["lang"]))
            except engine.InvalidAnswers as exc:
                where = "" if single else f"answers[{index}]: "
                lines = [f"{where}{', '.join(e.keys) or e.key}: {e.message}" for e in exc.errors]
                self.fail("invalid answers:\n" + "\n".join(lines))
        payload = results[0] if single else results
        self.stdout.write(engine.dumps(payload, options["indent"]))
