"""Back up the database and the media files into one .tar.gz archive.

SQLite (the embedded default) is copied with SQLite's online backup API, so the portal can keep
running; PostgreSQL is dumped with ``pg_dump --format=custom``. Media files (uploads, reports)
are added from MEDIA_ROOT. With S3 storage, back up the bucket with the provider's tools.

The archive is written with mode 0600 (it holds sessions and private evidence); with
``BACKUP_PASSPHRASE`` set it is encrypted (``portal.core.backups``) and named ``.tar.gz.enc``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from portal.core import backups


def pg_env() -> dict[str, str]:
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    env.update(
        {
            "PGHOST": str(db.get("HOST") or ""),
            "PGPORT": str(db.get("PORT") or ""),
            "PGUSER": str(db.get("USER") or ""),
            "PGPASSWORD": str(db.get("PASSWORD") or ""),
            "PGDATABASE": str(db["NAME"]),
        }
    )
    return {k: v for k, v in env.items() if v != ""}


class Command(BaseCommand):
    help = "Back up the database and media files into a .tar.gz archive."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "-o", "--output", help="archive path (default: backups/portal-<time>.tar.gz)"
        )

    def handle(self, *args, output: str | None = None, **options) -> None:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        passphrase = backups.passphrase_from_environment()
        suffix = ".tar.gz.enc" if passphrase else ".tar.gz"
        target = Path(output or settings.DATA_DIR / "backups" / f"portal-{stamp}{suffix}")
        vendor = connection.vendor
        with tempfile.TemporaryDirectory() as tmp:
            dump = Path(tmp) / ("database.sqlite3" if vendor == "sqlite" else "database.pgdump")
            if vendor == "sqlite":
                source = sqlite3.connect(settings.DATABASES["default"]["NAME"])
                copy = sqlite3.connect(dump)
                with copy:
                    source.backup(copy)
                copy.close()
                source.close()
            elif vendor == "postgresql":
                result = subprocess.run(  # noqa: S603
                    ["pg_dump", "--format=custom", "--no-owner", "--file", str(dump)],  # noqa: S607
                    env=pg_env(),
                    capture_output=True,
                    text=True,
                )
                if result.returncode:
                    raise CommandError(f"pg_dump failed: {result.stderr.strip()}")
            else:
                raise CommandError(f"unsupported database: {vendor}")
            manifest = Path(tmp) / "manifest.json"
            manifest.write_text(
                json.dumps({"created": stamp, "database": vendor, "format": 1}), encoding="utf-8"
            )
            media = Path(settings.MEDIA_ROOT)
            archive = Path(tmp) / "archive.tar.gz" if passphrase else target
            with (
                backups.open_private(archive) as out,
                tarfile.open(fileobj=out, mode="w:gz") as tar,
            ):
                tar.add(manifest, arcname="manifest.json")
                tar.add(dump, arcname=dump.name)
                if media.is_dir():
                    tar.add(media, arcname="media")
            if passphrase:
                backups.encrypt_file(archive, target, passphrase)
        state = "encrypted, " if passphrase else ""
        self.stdout.write(self.style.SUCCESS(f"Backup written to {target} ({state}mode 0600)"))
