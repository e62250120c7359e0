"""System checks for what the portal needs from the operating system."""

from __future__ import annotations

import ctypes.util
import os
from pathlib import Path

from django.conf import settings
from django.core import checks


def harfbuzz_subset_available() -> bool:
    """True when Debian's libharfbuzz-subset0 (used by WeasyPrint to subset fonts) is present."""
    return ctypes.util.find_library("harfbuzz-subset") is not None


@checks.register()
def check_harfbuzz_subset(app_configs, **kwargs) -> list[checks.CheckMessage]:
    if harfbuzz_subset_available():
        return []
    return [
        checks.Warning(
            "libharfbuzz-subset is not installed: WeasyPrint falls back to fontTools and PDF "
            "reports with Chinese fonts render about 40 times slower.",
            hint="Install the Debian package libharfbuzz-subset0 (scripts/bootstrap.sh does).",
            id="portal.W001",
        )
    ]


LOCAL_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@checks.register(checks.Tags.security, deploy=True)
def check_shared_cache(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """Rate limits (verification, the wizard's signed-out stash) count in the default cache.

    A local-memory cache counts per process: with several gunicorn workers or app servers each
    keeps its own count and a limit of 10 lets through 10 per process. Sign-in lock-outs are
    kept in the database and are shared anyway.
    """
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    single_process = os.environ.get("WEB_CONCURRENCY", "").strip() == "1"
    if settings.DEBUG or backend not in LOCAL_CACHES or single_process:
        return []
    return [
        checks.Warning(
            "The default cache is local to each process: with several workers or app servers "
            "every process keeps its own rate-limit counts, so the limits do not hold.",
            hint="Set CACHE_URL or REDIS_URL to a shared cache (e.g. redis://redis:6379/1), or "
            "WEB_CONCURRENCY=1 when the portal runs as a single process.",
            id="portal.W002",
        )
    ]


@checks.register()
def check_data_dir(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """The embedded SQLite database needs its directory (``migrate`` creates it)."""
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.sqlite3":
        return []
    name = str(database.get("NAME") or "")
    if not name or name == ":memory:" or name.startswith("file:"):
        return []
    folder = Path(name).parent
    if folder.is_dir():
        return []
    return [
        checks.Warning(
            f"The directory of the SQLite database does not exist: {folder}",
            hint="Run `python manage.py migrate`, which creates it (or set DATA_DIR or "
            "DATABASE_URL).",
            id="portal.W003",
        )
    ]
