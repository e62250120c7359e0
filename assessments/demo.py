"""Demo content for assessments: the shipped schemes, published."""

from __future__ import annotations

from assessments.schemes.services import load_builtin_schemes


def load(stdout, style) -> None:
    stdout.write(style.MIGRATE_HEADING("Assessment schemes"))
    for version, outcome in load_builtin_schemes():
        stdout.write(f"  {version.scheme.code} v{version.version}: {outcome}")
