"""Item maps between schemes (e.g. GB/T 29490-2013 answers carried into a 2023 self-check)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .loader import SchemeError
from .model import Scheme
from .validation import REQUIRED, validate_answers


@dataclass(frozen=True)
class ItemMap:
    """Maps answer keys of one scheme version to answer keys of another.

    ``mapping`` gives, for every source key, the target keys it pre-fills. When several source
    answers land on one target, the weakest one on ``scale`` (ordered weakest first) wins;
    answers outside the scale (e.g. "na") are used only when nothing else lands there.
    """

    source: tuple[str, int]
    target: tuple[str, int]
    mapping: tuple[tuple[str, tuple[str, ...]], ...]
    scale: tuple[str, ...]


def load_item_map(data: Mapping[str, Any]) -> ItemMap:
    """Build an ItemMap from its JSON form, checking its shape."""
    try:
        mapping = tuple((str(k), tuple(str(t) for t in v)) for k, v in data["map"].items())
        return ItemMap(
            source=(data["from"]["code"], int(data["from"]["version"])),
            target=(data["to"]["code"], int(data["to"]["version"])),
            mapping=mapping,
            scale=tuple(data.get("scale", ())),
        )
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise SchemeError(f"invalid item map: {exc!r}") from exc


def load_item_map_file(path: str | Path) -> ItemMap:
    """Load an item-map JSON file."""
    return load_item_map(json.loads(Path(path).read_text(encoding="utf-8")))


def _rank(scale: tuple[str, ...], answer: Any) -> int:
    return scale.index(answer) if isinstance(answer, str) and answer in scale else len(scale)


def map_answers(
    item_map: ItemMap | Mapping[str, Any],
    answers: Mapping[str, Any],
    target: Scheme | None = None,
) -> tuple[dict[str, Any], list[str]]:
    """Carry ``answers`` of the source scheme into answers of the target scheme.

    Returns the target answers and the target keys that were filled (to be marked "to
    confirm"), in map order. Unmapped and unanswered keys are left out; when the ``target``
    scheme is given, carried answers it would reject (e.g. "na" where N/A is not allowed)
    are dropped too. ``item_map`` may also be the map file's parsed JSON.
    """
    if not isinstance(item_map, ItemMap):
        item_map = load_item_map(item_map)
    landed: dict[str, list[Any]] = {}
    for source, targets in item_map.mapping:
        answer = answers.get(source)
        if answer is None:
            continue
        for key in targets:
            landed.setdefault(key, []).append(answer)
    out: dict[str, Any] = {}
    for key, candidates in landed.items():
        on_scale = [a for a in candidates if _rank(item_map.scale, a) < len(item_map.scale)]
        pool = on_scale or candidates
        out[key] = min(pool, key=lambda a: _rank(item_map.scale, a))
    if target is not None:
        bad = {e.key for e in validate_answers(target, out) if e.code != REQUIRED}
        out = {k: v for k, v in out.items() if k not in bad}
    return out, list(out)
