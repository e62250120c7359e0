"""Spreadsheet columns and cells shared by the accounts registry export and the transfer app.

* ``Column`` is one spreadsheet column: its key, its Chinese and English headers and the rules
  an import applies to it.
* ``neutralise`` is the one place where exported cells are defused: a text cell that begins
  with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading single quote, so
  that no spreadsheet program evaluates it as a formula (OWASP "CSV injection").
  django-import-export's own ``IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT`` only strips a leading
  ``=`` (it changes the data and leaves ``+``, ``-``, ``@``, tab and CR untouched), so it is not
  used. ``unneutralise`` undoes it when an exported file is imported again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    """One spreadsheet column: its key, its Chinese and English headers and import rules."""

    key: str
    zh: str
    en: str
    required: bool = False
    imported: bool = True
    max_length: int | None = None

    def header(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh

    @property
    def both(self) -> str:
        return f"{self.zh} / {self.en}"


def neutralise(value: Any) -> Any:
    """Defuse a cell that a spreadsheet would run as a formula; other values pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def unneutralise(value: str) -> str:
    """Undo ``neutralise`` on a re-imported cell (``'=x`` → ``=x``; a lone quote stays)."""
    if len(value) > 1 and value[0] == "'" and value[1:].startswith(FORMULA_PREFIXES):
        return value[1:]
    return value
