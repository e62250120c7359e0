"""Restore a backup made by ``manage.py backup``: the database and the media files.

This replaces the current database and media. Stop the app servers and workers first. An
encrypted archive is decrypted with ``BACKUP_PASSPHRASE`` from the environment.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from portal.core import backups
from portal.core.management.commands.backup import pg_env


class Command(BaseCommand):
    help = "Restore the database and media files from a backup archive (replaces both)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("archive")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, archive: str, yes: bool = False, **options) -> None:
        path = Path(archive)
        if not path.is_file():
            raise CommandError(f"no such archive: {path}")
        if not yes and input("This replaces the database and media files. Type 'yes': ") != "yes":
            raise CommandError("aborted")
        with tempfile.TemporaryDirectory() as tmp:
            if backups.is_encrypted(path):
                passphrase = backups.passphrase_from_environment()
                if not passphrase:
                    raise CommandError(
                        f"{path} is encrypted: set {backups.PASSPHRASE_VARIABLE} to its passphrase"
                    )
                plain = Path(tmp) / "archive.tar.gz"
                try:
                    backups.decrypt_file(path, plain, passphrase)
                except backups.BackupError as exc:
                    raise CommandError(f"cannot decrypt {path}: {exc}") from None
                path_to_open = plain
            else:
                path_to_open = path
            with tarfile.open(path_to_open, "r:gz") as tar:
                tar.extractall(Path(tmp) / "x", filter="data")
            self._restore_from(Path(tmp) / "x")
        self.stdout.write(self.style.SUCCESS(f"Restored {path}"))

    def _restore_from(self, tmp: Path) -> None:
        """Put back the database and the media of an unpacked archive in ``tmp``."""
        manifest = json.loads((Path(tmp) / "manifest.json").read_text(encoding="utf-8"))
        vendor = connection.vendor
        if manifest["database"] != vendor:
            raise CommandError(
                f"archive holds a {manifest['database']} database, this portal uses {vendor}"
            )
        connection.close()
        if vendor == "sqlite":
            source = sqlite3.connect(Path(tmp) / "database.sqlite3")
            target = sqlite3.connect(settings.DATABASES["default"]["NAME"])
            with target:
                source.backup(target)
            target.close()
            source.close()
        else:
            result = subprocess.run(  # noqa: S603
                [  # noqa: S607
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--dbname",
                    pg_env()["PGDATABASE"],
                    str(Path(tmp) / "database.pgdump"),
                ],
                env=pg_env(),
                capture_output=True,
                text=True,
            )
            if result.returncode:
                raise CommandError(f"pg_restore failed: {result.stderr.strip()}")
        media = Path(settings.MEDIA_ROOT)
        if (Path(tmp) / "media").is_dir():
            if media.exists():
                shutil.rmtree(media)
            shutil.copytree(Path(tmp) / "media", media)
