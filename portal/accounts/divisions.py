"""GB/T 2260 administrative division codes, down to county level (pure, no Django).

``data/divisions.json`` holds the codes of the newest bundled revision (``current``) and the
codes of earlier revisions since 2014 that are no longer in it (``former``: divisions since
abolished, merged or renamed). A unified social credit code keeps the division of the authority
that issued it for the life of the organisation, so a genuine code can carry a former code, or
one created after the bundled revision. The ``Region`` table (what an enterprise is registered
under) holds provinces and prefecture-level cities only; :func:`city_candidates` maps a county
code to the city that contains it.
"""

from __future__ import annotations

import enum
import json
from functools import cache
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "data" / "divisions.json"


class Status(enum.Enum):
    CURRENT = "current"
    FORMER = "former"
    UNKNOWN = "unknown"  # the province exists, the division is not in the bundled revisions
    IMPOSSIBLE = "impossible"  # no such province: cannot be a GB/T 2260 code


@cache
def _table() -> dict[str, dict[str, str]]:
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    return {"current": data["current"], "former": data["former"]}


def provinces() -> frozenset[str]:
    return frozenset(code[:2] for code in _table()["current"] if code.endswith("0000"))


def status(code: str) -> Status:
    table = _table()
    if len(code) != 6 or not code.isascii() or not code.isdigit():
        return Status.IMPOSSIBLE
    if code in table["current"]:
        return Status.CURRENT
    if code in table["former"]:
        return Status.FORMER
    if code[:2] not in provinces():
        return Status.IMPOSSIBLE
    return Status.UNKNOWN


def name(code: str) -> str:
    """The division's Chinese name, with its city and province ("浙江省杭州市西湖区")."""
    table = _table()
    parts = []
    for prefix in (code[:2] + "0000", code[:4] + "00", code):
        label = table["current"].get(prefix) or table["former"].get(prefix)
        if label and label not in parts:
            parts.append(label)
    return "".join(parts)


def city_candidates(code: str) -> tuple[str, ...]:
    """Region codes that may stand for ``code``, most specific first: the division itself,
    then its prefecture (county → city), then its province."""
    out = [code]
    for candidate in (code[:4] + "00", code[:2] + "0000"):
        if candidate not in out:
            out.append(candidate)
    return tuple(out)


def contains(division: str, region: str) -> bool:
    """Whether the region ``region`` (a province or city code) lies in, or contains, the
    division ``division`` — i.e. the enterprise's region agrees with its credit code."""
    if division == region:
        return True
    if division.endswith("0000"):  # a provincial authority registers firms across the province
        return region[:2] == division[:2]
    if division.endswith("00"):  # a city authority: the city, or a district of a municipality
        return region[:4] == division[:4]
    return region == division[:4] + "00"  # a county: the city it belongs to
