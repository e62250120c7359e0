"""Django's ``migrate``, which first creates ``DATA_DIR`` (the embedded SQLite database and the
development key live there): the settings themselves create no directories."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.commands.migrate import Command as MigrateCommand


class Command(MigrateCommand):
    def execute(self, *args, **options):
        Path(settings.DATA_DIR).mkdir(parents=True, exist_ok=True)
        return super().execute(*args, **options)
