"""Reading an uploaded sheet: its headers matched to ``Column``s, its cells read as text."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from portal.core.spreadsheets import Column, unneutralise

_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")


def header_key(text: Any) -> str:
    """Compare headers loosely: case, spaces, underscores, hyphens and "*" are ignored."""
    return re.sub(r"[\s_\-*＊]+", "", str(text or "")).casefold()


@dataclass
class HeaderMatch:
    keys: list[str | None]  # per file column: the column key, or None when not recognised
    names: dict[str, str]  # key -> the header as written in the file
    missing: list[Column]
    duplicates: list[str]
    unknown: list[str]


def match_headers(headers: Sequence[str], columns: Sequence[Column]) -> HeaderMatch:
    """Recognise each header by a column's key, Chinese or English header."""
    lookup: dict[str, Column] = {}
    for column in columns:
        for alias in (column.key, column.zh, column.en):
            lookup[header_key(alias)] = column
    keys: list[str | None] = []
    names: dict[str, str] = {}
    duplicates: list[str] = []
    unknown: list[str] = []
    for header in headers:
        column = lookup.get(header_key(header))
        if column is None:
            keys.append(None)
            if header:
                unknown.append(header)
            continue
        if column.key in names:
            duplicates.append(header)
            keys.append(None)
            continue
        names[column.key] = header
        keys.append(column.key)
    missing = [c for c in columns if c.required and c.imported and c.key not in names]
    return HeaderMatch(keys, names, missing, duplicates, unknown)


def cell_text(value: Any) -> str:
    """A cell as trimmed text, with the export's neutralising quote undone."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return unneutralise(str(value).strip()).strip()


def parse_date(value: Any) -> dt.date | None:
    """A date cell, or text in one of the usual ways of writing a date; None otherwise."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = cell_text(value)
    if " " in text:  # "2015-01-01 00:00:00" from a spreadsheet's date-time cell
        text = text.split(" ", 1)[0]
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None
