"""Retired schemes: a scheme (all its versions) closed for new self-checks from a date.

Retirement is data about a scheme code, not about one version: published versions stay
immutable, and results pinned to them stay readable and re-scorable. The record says from when
no new self-check can be started, why (bilingual), which scheme replaces it, and the level
labels to show instead of the version's own ones (e.g. so that an old result no longer
promises a certification that can no longer be applied for).

File format (``retirements.json``)::

    {"format": "ip-portal-retirements/1",
     "retirements": [{"code": C, "retired_on": "YYYY-MM-DD", "successor": C2,
                      "reason": {"zh": ..., "en": ...},
                      "level_labels": {LEVEL_CODE: {"zh": ..., "en": ...}}}]}
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import jsonschema

from .loader import DATA_DIR, SchemeError
from .model import LocalText

FORMAT = "ip-portal-retirements/1"
RETIREMENTS_PATH = DATA_DIR / "retirements.json"

_TEXT = {
    "type": "object",
    "required": ["zh", "en"],
    "additionalProperties": False,
    "properties": {"zh": {"type": "string", "minLength": 1}, "en": {"type": "string"}},
}
_CODE = {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9_.\\-]{0,63}$"}
SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["format", "retirements"],
    "additionalProperties": False,
    "properties": {
        "format": {"const": FORMAT},
        "retirements": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["code", "retired_on", "reason"],
                "additionalProperties": False,
                "properties": {
                    "code": _CODE,
                    "retired_on": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
                    "successor": _CODE,
                    "reason": _TEXT,
                    "level_labels": {"type": "object", "additionalProperties": _TEXT},
                },
            },
        },
    },
}


@dataclass(frozen=True)
class Retirement:
    """A scheme closed for new self-checks from ``retired_on`` (that day included)."""

    code: str
    retired_on: dt.date
    reason: LocalText
    successor: str | None = None
    level_labels: tuple[tuple[str, LocalText], ...] = ()

    def applies(self, on: dt.date) -> bool:
        """Whether the scheme is closed for new self-checks on ``on``."""
        return on >= self.retired_on

    def level_label(self, code: str) -> LocalText | None:
        """The label that replaces a level's own label, if the record gives one."""
        for level, label in self.level_labels:
            if level == code:
                return label
        return None


def load_retirements(data: Mapping[str, Any]) -> dict[str, Retirement]:
    """Validate a retirements document and return the records by scheme code."""
    errors = sorted(
        jsonschema.Draft202012Validator(SCHEMA).iter_errors(data), key=lambda e: e.json_path
    )
    if errors:
        raise SchemeError(f"invalid retirements: {errors[0].json_path}: {errors[0].message}")
    out: dict[str, Retirement] = {}
    for entry in data["retirements"]:
        code = entry["code"]
        if code in out:
            raise SchemeError(f"invalid retirements: {code!r} is listed twice")
        try:
            retired_on = dt.date.fromisoformat(entry["retired_on"])
        except ValueError as exc:
            raise SchemeError(f"invalid retirements: {code}: {exc}") from exc
        labels = tuple(
            (level, LocalText(text["zh"], text["en"]))
            for level, text in entry.get("level_labels", {}).items()
        )
        reason = LocalText(entry["reason"]["zh"], entry["reason"]["en"])
        out[code] = Retirement(code, retired_on, reason, entry.get("successor"), labels)
    return out


@lru_cache(maxsize=1)
def builtin_retirements() -> Mapping[str, Retirement]:
    """The retirement records shipped with the portal, by scheme code."""
    if not RETIREMENTS_PATH.exists():
        return {}
    return load_retirements(json.loads(RETIREMENTS_PATH.read_text(encoding="utf-8")))


def retirement(code: str) -> Retirement | None:
    """The shipped retirement record of a scheme code, or None when it is not retired."""
    return builtin_retirements().get(code)
