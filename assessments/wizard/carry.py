"""Carrying answers from one scheme version to another, through the shipped item maps.

Three journeys use it:

* a draft left open on an older version of its scheme moves to the newest published version
  when the firm next opens it (``ip-enterprise`` v1 → v2: every answer under its own key, M1 =
  ``cert_2013`` to confirm because its meaning changed);
* a GB/T 29490-2013 draft (retired) converts into a 2023 draft (2013 → 2023 v2 map, every
  carried answer to confirm);
* a new draft starts pre-filled from the enterprise's last submission of the same scheme (every
  carried answer to confirm: last year's figures are not this year's).

Item maps chain (a v1 submission reaches a v3 draft through v1 → v2 → v3). What cannot be
carried is listed (``not_carried``), so that nothing is lost silently. Pure functions on engine
objects and the shipped files; no database.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from assessments import engine
from assessments.engine.validation import REQUIRED

Ref = tuple[str, int]  # (scheme code, version)


@dataclass(frozen=True)
class ShippedMap:
    item_map: engine.ItemMap
    description: dict[str, str]  # {"zh": …, "en": …}: why, and what to confirm


@lru_cache(maxsize=1)
def shipped_maps() -> tuple[ShippedMap, ...]:
    out = []
    for path in engine.builtin_item_map_files():
        data = json.loads(path.read_text(encoding="utf-8"))
        out.append(ShippedMap(engine.load_item_map(data), dict(data.get("description") or {})))
    return tuple(out)


def map_between(source: Ref, target: Ref) -> ShippedMap | None:
    """The shipped map from ``source`` straight to ``target``, if there is one."""
    for shipped in shipped_maps():
        if shipped.item_map.source == source and shipped.item_map.target == target:
            return shipped
    return None


def map_path(source: Ref, target: Ref) -> list[ShippedMap] | None:
    """The shortest chain of shipped maps from ``source`` to ``target`` ([] when equal)."""
    if source == target:
        return []
    direct = map_between(source, target)
    if direct is not None:
        return [direct]
    queue: deque[tuple[Ref, list[ShippedMap]]] = deque([(source, [])])
    seen = {source}
    while queue:
        ref, path = queue.popleft()
        for shipped in shipped_maps():
            if shipped.item_map.source != ref or shipped.item_map.target in seen:
                continue
            step = [*path, shipped]
            if shipped.item_map.target == target:
                return step
            seen.add(shipped.item_map.target)
            queue.append((shipped.item_map.target, step))
    return None


@dataclass
class Carried:
    answers: dict[str, Any]
    to_confirm: list[str]
    reasons: list[dict[str, str]] = field(default_factory=list)  # the maps' descriptions
    not_carried: dict[str, Any] = field(default_factory=dict)  # source key -> its answer


def _valid_only(target: engine.Scheme, answers: dict[str, Any]) -> dict[str, Any]:
    known = {f.key for f in target.answer_fields}
    kept = {k: v for k, v in answers.items() if k in known}
    bad = {e.key for e in engine.validate_answers(target, kept) if e.code != REQUIRED}
    return {k: v for k, v in kept.items() if k not in bad}


def carry(
    path: Iterable[ShippedMap],
    answers: Mapping[str, Any],
    schemes: Mapping[Ref, engine.Scheme],
    target: engine.Scheme,
    *,
    confirm_all: bool = False,
    skip: Iterable[str] = (),
) -> Carried:
    """Carry ``answers`` along ``path`` (possibly empty: same version) into ``target``.

    ``schemes`` gives the engine scheme of every intermediate version (for the target checks
    of each map). ``confirm_all`` marks every carried answer for confirmation (a pre-fill from
    an old submission), else only those each map asks for. Keys in ``skip`` (firm facts) are
    neither carried nor listed.
    """
    skip = set(skip)
    source = {k: v for k, v in answers.items() if k not in skip and v not in (None, "", [])}
    current: dict[str, Any] = dict(source)
    confirm: set[str] = set()
    reasons = []
    first_targets: dict[str, tuple[str, ...]] = {}
    path = list(path)
    for index, shipped in enumerate(path):
        item_map = shipped.item_map
        hop_target = target if index == len(path) - 1 else schemes[item_map.target]
        out, hop_confirm = engine.map_answers(item_map, current, target=hop_target)
        if index == 0:
            first_targets = dict(item_map.mapping)
        # Answers still to confirm from an earlier hop keep the mark under their key.
        confirm = {k for k in confirm if k in out} | set(hop_confirm)
        current = out
        if shipped.description:
            reasons.append(shipped.description)
    if not path:
        current = _valid_only(target, current)
    current = {k: v for k, v in current.items() if k not in skip}
    to_confirm = set(current) if confirm_all else confirm & set(current)
    not_carried = {}
    for key, value in source.items():
        landed = key in current or any(t in current for t in first_targets.get(key, ()))
        if not landed:
            not_carried[key] = value
    order = [f.key for f in target.answer_fields]
    return Carried(
        answers=current,
        to_confirm=[k for k in order if k in to_confirm],
        reasons=reasons,
        not_carried=not_carried,
    )
