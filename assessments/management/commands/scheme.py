"""Export and import scheme definitions: ``manage.py scheme export CODE`` / ``scheme import FILE``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.utils import DatabaseError

from assessments import engine
from assessments.schemes import services
from assessments.schemes.selectors import SchemeNotFound, get_version


class Command(BaseCommand):
    help = "Export a scheme version as JSON, or import a JSON definition as a new draft version."

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser(
            "export",
            help="print a scheme version as JSON (items with na_allowed, rules, warnings, levels)",
        )
        export.add_argument("code")
        export.add_argument(
            "--version", type=int, dest="scheme_version", help="default: newest published"
        )
        export.add_argument("-o", "--output", help="write to this file instead of stdout")
        imp = sub.add_parser("import", help="validate a JSON file and create a draft version")
        imp.add_argument("file")
        imp.add_argument("--note", default="", help="change note for the new version")

    def handle(self, *args, action: str, **options) -> None:
        if action == "export":
            self.export(options["code"], options["scheme_version"], options.get("output"))
        else:
            self.import_(options["file"], options["note"])

    def export(self, code: str, version: int | None, output: str | None) -> None:
        try:
            definition = get_version(code, version).definition
        except (SchemeNotFound, DatabaseError):  # not stored (or no database yet): shipped file
            try:
                definition = engine.scheme_to_dict(engine.builtin_scheme(code, version))
            except engine.SchemeError as exc:
                raise CommandError(f"unknown scheme: {exc}") from exc
        text = json.dumps(definition, ensure_ascii=False, indent=2) + "\n"
        if output:
            Path(output).write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")

    def import_(self, file: str, note: str) -> None:
        try:
            definition = json.loads(Path(file).read_text(encoding="utf-8"))
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc}") from exc
        except json.JSONDecodeError as exc:
            self.stderr.write(f"{file}: not valid JSON: {exc}")
            sys.exit(2)
        if not isinstance(definition, dict):
            self.stderr.write(f"{file}: a scheme definition must be a JSON object")
            sys.exit(2)
        try:
            version = services.create_version(definition, change_note=note)
        except ValidationError as exc:
            self.stderr.write(f"{file}: invalid scheme: {'; '.join(exc.messages)}")
            sys.exit(2)
        self.stdout.write(
            self.style.SUCCESS(
                f"Created draft version {version.version} of {version.scheme.code}; "
                "a moderator publishes it in the CMS admin."
            )
        )
