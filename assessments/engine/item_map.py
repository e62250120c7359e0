"""Item maps between scheme versions: GB/T 29490-2013 answers carried into a 2023 self-check,
or a draft's answers carried from one version of a scheme to the next."""

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
    ``same_keys`` also carries every other answer under its own key (between versions of one
    scheme). ``confirm`` says which carried answers must be confirmed: None means all of them;
    otherwise a target key maps to the answers whose meaning changed (empty: any answer).
    """

    source: tuple[str, int]
    target: tuple[str, int]
    mapping: tuple[tuple[str, tuple[str, ...]], ...]
    scale: tuple[str, ...]
    same_keys: bool = False
    confirm: tuple[tuple[str, tuple[Any, ...]], ...] | None = None

    def needs_confirmation(self, key: str, answer: Any) -> bool:
        """Whether a carried answer under ``key`` must be confirmed by the firm."""
        if self.confirm is None:
            return True
        for confirm_key, answers in self.confirm:
            if confirm_key == key:
                return not answers or answer in answers
        return False


def load_item_map(data: Mapping[str, Any]) -> ItemMap:
    """Build an ItemMap from its JSON form, checking its shape."""
    try:
        same_keys = data.get("same_keys", False)
        if not isinstance(same_keys, bool):
            raise ValueError("same_keys must be true or false")
        raw_map = data["map"] if not same_keys else data.get("map", {})
        mapping = tuple((str(k), tuple(str(t) for t in v)) for k, v in raw_map.items())
        confirm = data.get("confirm")
        return ItemMap(
            source=(data["from"]["code"], int(data["from"]["version"])),
            target=(data["to"]["code"], int(data["to"]["version"])),
            mapping=mapping,
            scale=tuple(data.get("scale", ())),
            same_keys=same_keys,
            confirm=None
            if confirm is None
            else tuple((str(k), tuple(v)) for k, v in confirm.items()),
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

    Returns the target answers and the target keys to be marked "to confirm" (every filled
    key, unless the map's ``confirm`` narrows it), in map order. Unmapped and unanswered keys
    are left out; when the ``target`` scheme is given, carried answers it would reject (e.g.
    "na" where N/A is not allowed) are dropped too, and with ``same_keys`` only keys the target
    knows are carried. ``item_map`` may also be the map file's parsed JSON.
    """
    if not isinstance(item_map, ItemMap):
        item_map = load_item_map(item_map)
    landed: dict[str, list[Any]] = {}
    mapped = {source for source, _ in item_map.mapping}
    pairs = list(item_map.mapping)
    if item_map.same_keys:
        known = None if target is None else {f.key for f in target.answer_fields}
        pairs += [
            (key, (key,))
            for key in answers
            if key not in mapped and (known is None or key in known)
        ]
    for source, targets in pairs:
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
    return out, [k for k, v in out.items() if item_map.needs_confirmation(k, v)]
