"""System checks for what the portal needs from the operating system."""

from __future__ import annotations

import ctypes.util
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
            id="portal.W002",
        )
    ]
