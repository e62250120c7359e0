"""The scoring result, its JSON form and a deterministic serialiser."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .numbers import parse_number

ItemValue = str | Decimal | bool | tuple[str, ...] | None


@dataclass(frozen=True)
class PrerequisiteResult:
    """Whether one prerequisite is met."""

    code: str
    met: bool


@dataclass(frozen=True)
class SectionResult:
    """Score of one section (``percent`` is None when the section is not applicable)."""

    code: str
    score: Decimal
    max: Decimal
    percent: Decimal | None
    applicable: bool


@dataclass(frozen=True)
class ItemResult:
    """Points of one scored item and the value they came from."""

    code: str
    points: Decimal
    max: Decimal
    value: ItemValue
    computable: bool


@dataclass(frozen=True)
class Gap:
    """An item below its maximum and the points lost (the scheme holds what to do about it)."""

    item: str
    section: str
    lost: Decimal


@dataclass(frozen=True)
class AnswerWarning:
    """A plausibility warning: answers that can be true but that a reviewer must look at."""

    code: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class Result:
    """The result of scoring one answer set under one scheme version."""

    scheme: str
    version: int
    total: Decimal
    max: Decimal
    percent: Decimal | None
    bonus: Decimal
    level: str
    vetoed: bool
    vetoes: tuple[str, ...]
    prerequisites: tuple[PrerequisiteResult, ...]
    sections: tuple[SectionResult, ...]
    items: tuple[ItemResult, ...]
    gaps: tuple[Gap, ...]
    not_computable: tuple[str, ...]
    warnings: tuple[AnswerWarning, ...] = ()


def _value_out(value: ItemValue) -> Any:
    return list(value) if isinstance(value, tuple) else value


def result_to_dict(result: Result) -> dict[str, Any]:
    """The result as a dict in the contract's key order, codes and numbers only (Decimals stay).

    Words (the level label, the gap recommendations) are added by the presentation layer.
    """
    return {
        "scheme": result.scheme,
        "version": result.version,
        "total": result.total,
        "max": result.max,
        "percent": result.percent,
        "bonus": result.bonus,
        "level": result.level,
        "vetoed": result.vetoed,
        "vetoes": list(result.vetoes),
        "prerequisites": [{"code": p.code, "met": p.met} for p in result.prerequisites],
        "sections": [
            {
                "code": s.code,
                "score": s.score,
                "max": s.max,
                "percent": s.percent,
                "applicable": s.applicable,
            }
            for s in result.sections
        ],
        "items": [
            {
                "code": i.code,
                "points": i.points,
                "max": i.max,
                "value": _value_out(i.value),
                "computable": i.computable,
            }
            for i in result.items
        ],
        "gaps": [
            {
                "item": g.item,
                "section": g.section,
                "lost": g.lost,
            }
            for g in result.gaps
        ],
        "warnings": [{"code": w.code, "items": list(w.items)} for w in result.warnings],
        "not_computable": list(result.not_computable),
    }


def _dump(obj: Any, indent: int | None, depth: int) -> str:
    if obj is None:
        return "null"
    if obj is True:
        return "true"
    if obj is False:
        return "false"
    if isinstance(obj, Decimal):
        return format(obj, "f")
    if isinstance(obj, int):
        return str(obj)
    if isinstance(obj, str):
        return json.dumps(obj, ensure_ascii=False)
    if isinstance(obj, Mapping):
        parts = [
            f"{json.dumps(str(k), ensure_ascii=False)}: {_dump(v, indent, depth + 1)}"
            for k, v in obj.items()
        ]
        return _wrap("{", "}", parts, indent, depth)
    if isinstance(obj, list | tuple):
        return _wrap("[", "]", [_dump(v, indent, depth + 1) for v in obj], indent, depth)
    raise TypeError(f"cannot serialise {type(obj).__name__}")


def _wrap(open_: str, close: str, parts: list[str], indent: int | None, depth: int) -> str:
    if not parts:
        return open_ + close
    if indent is None:
        return open_ + ", ".join(parts) + close
    inner = "\n" + " " * (indent * (depth + 1))
    return open_ + inner + ("," + inner).join(parts) + "\n" + " " * (indent * depth) + close


def dumps(obj: Any, indent: int | None = None) -> str:
    """Deterministic JSON text; Decimals are written as numbers exactly as they are."""
    return _dump(obj, indent, 0)


def result_to_json(result: Result, indent: int | None = None) -> bytes:
    """The result as UTF-8 JSON bytes: same result, same bytes (numbers with 2 decimals)."""
    return dumps(result_to_dict(result), indent).encode("utf-8")


def _dec(value: Any) -> Decimal:
    number = parse_number(value)
    if number is None:
        raise ValueError(f"not a number: {value!r}")
    return number


def _opt_dec(value: Any) -> Decimal | None:
    return None if value is None else _dec(value)


def _item_value(value: Any) -> ItemValue:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, list):
        return tuple(str(v) for v in value)
    return _dec(value)


def result_from_dict(data: Mapping[str, Any]) -> Result:
    """Rebuild a Result from :func:`result_to_dict` output or its parsed JSON.

    Parse JSON with ``parse_float=Decimal`` to keep the stored digits; floats are accepted too.
    """
    return Result(
        scheme=data["scheme"],
        version=int(data["version"]),
        total=_dec(data["total"]),
        max=_dec(data["max"]),
        percent=_opt_dec(data["percent"]),
        bonus=_dec(data["bonus"]),
        level=data["level"],
        vetoed=bool(data["vetoed"]),
        vetoes=tuple(data["vetoes"]),
        prerequisites=tuple(PrerequisiteResult(p["code"], p["met"]) for p in data["prerequisites"]),
        sections=tuple(
            SectionResult(
                s["code"],
                _dec(s["score"]),
                _dec(s["max"]),
                _opt_dec(s["percent"]),
                s.get("applicable", s["percent"] is not None),
            )
            for s in data["sections"]
        ),
        items=tuple(
            ItemResult(
                i["code"],
                _dec(i["points"]),
                _dec(i["max"]),
                _item_value(i["value"]),
                i["computable"],
            )
            for i in data["items"]
        ),
        gaps=tuple(Gap(g["item"], g.get("section", ""), _dec(g["lost"])) for g in data["gaps"]),
        not_computable=tuple(data.get("not_computable", ())),
        warnings=tuple(
            AnswerWarning(w["code"], tuple(w.get("items", ()))) for w in data.get("warnings", ())
        ),
    )


def result_from_json(text: str | bytes) -> Result:
    """Parse :func:`result_to_json` output back into a Result."""
    return result_from_dict(json.loads(text, parse_float=Decimal))
