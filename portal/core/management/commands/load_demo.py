"""Load the demo content: accounts, schemes, policy pages, programmes, sample submissions.

Idempotent: running it again updates what it created and adds nothing twice. Each app that
has demo content provides ``<app>/demo.py`` with ``load(stdout) -> None``; they run in the order
of INSTALLED_APPS (accounts before assessments before the CMS).
"""

from __future__ import annotations

from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


class Command(BaseCommand):
    help = "Load demo accounts and content (development only unless --force)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--force", action="store_true", help="Run even though DEBUG is off (production)."
        )

    def handle(self, *args, force: bool = False, **options) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: this looks like production. load_demo creates accounts with the "
                "well-known password 'changeme'; pass --force if you really mean it."
            )
        for app_config in apps.get_app_configs():
            try:
                module = import_module(f"{app_config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name == f"{app_config.name}.demo":
                    continue
                raise
            with transaction.atomic():
                module.load(stdout=self.stdout, style=self.style)
        self.stdout.write(self.style.SUCCESS("Demo content is ready."))
