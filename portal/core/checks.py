"""System checks for what the portal needs from the operating system."""

from __future__ import annotations

import ctypes.util

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
