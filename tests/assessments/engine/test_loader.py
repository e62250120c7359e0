"""Scheme files: JSON Schema, semantic checks, export round trip."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from assessments.engine import (
    SchemeError,
    builtin_scheme,
    builtin_scheme_files,
    json_schema,
    load_scheme,
    load_scheme_file,
    scheme_to_dict,
)

from .schemes import T, featured, minimal


def test_shipped_files() -> None:
    names = [p.name for p in builtin_scheme_files()]
    assert names == [
        "gbt29490-2013.v1.json",
        "gbt29490-2023.v1.json",
        "gbt29490-2023.v2.json",
        "ip-enterprise.v1.json",
        "ip-enterprise.v2.json",
    ]


@pytest.mark.parametrize("path", builtin_scheme_files(), ids=lambda p: p.name)
def test_shipped_files_validate_and_round_trip(path: Path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(json_schema()).validate(data)
    scheme = load_scheme_file(path)
    exported = scheme_to_dict(scheme)
    data.pop("$schema", None)
    assert exported == data
    assert scheme_to_dict(load_scheme(exported)) == exported


@pytest.mark.parametrize("path", builtin_scheme_files(), ids=lambda p: p.name)
def test_shipped_texts_are_bilingual(path: Path) -> None:
    scheme = load_scheme_file(path)
    assert scheme.title.zh and scheme.title.en
    for item in scheme.items:
        for text in (item.text, item.help, item.recommendation):
            assert text.zh and text.en, item.code
        for option in item.options:
            assert option.label.zh and option.label.en


def test_json_schema_is_valid_draft_2020_12() -> None:
    schema = json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_builtin_scheme_by_code_and_version() -> None:
    assert builtin_scheme("ip-enterprise", 1).version == 1
    with pytest.raises(SchemeError, match="no shipped scheme"):
        builtin_scheme("ip-enterprise", 99)


def test_synthetic_schemes_load_and_round_trip() -> None:
    for data in (minimal(), featured()):
        scheme = load_scheme(data)
        assert scheme_to_dict(load_scheme(scheme_to_dict(scheme))) == scheme_to_dict(scheme)


def _items(d: dict[str, Any]) -> list[dict[str, Any]]:
    return d["sections"][0]["items"]


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(d: dict[str, Any]) -> None:
        target: Any = d
        keys = path.split(".")
        for key in keys[:-1]:
            target = target[int(key)] if key.isdigit() else target[key]
        last = keys[-1]
        target[int(last) if last.isdigit() else last] = value

    return change


BROKEN: list[tuple[str, Callable[[dict[str, Any]], None], str]] = [
    ("unknown name", _set("sections.0.items.0.expression", "a / c"), "unknown name 'c'"),
    ("call", _set("sections.0.items.0.expression", "max(a)"), "bad expression"),
    ("attribute", _set("sections.0.items.0.expression", "a.real"), "bad expression"),
    ("duplicate item", _set("sections.0.items.1.code", "R"), "duplicate"),
    ("item clashes with input", _set("sections.0.items.1.code", "a"), "duplicate answer key 'a'"),
    ("bands ascending", _set("sections.0.items.0.bands", [
        {"bound": ">0", "points": "1"}, {"bound": "0.5", "points": "5"}]), "descending"),
    ("bands equal", _set("sections.0.items.0.bands", [
        {"bound": "0.5", "points": "5"}, {"bound": "0.5", "points": "1"}]), "descending"),
    ("levels ascending", _set("levels", [
        {"code": "a", "label": T, "min": "5"}, {"code": "b", "label": T, "min": "8"},
        {"code": "c", "label": T}]), "ordered"),
    ("fallback with min", _set("levels.1.min", "1"), "fallback"),
    ("weight mismatch", _set("sections.0.weight", "11"), "sum of maxima"),
    ("max mismatch", _set("sections.0.items.1.max", "4"), "highest points"),
    ("bad decimal", _set("sections.0.weight", "1,5"), "does not match"),
    ("float number", _set("sections.0.weight", 10), "is not of type 'string'"),
    ("unknown field", _set("sections.0.colour", "red"), "Additional properties"),
    ("missing code", lambda d: d.pop("code"), "'code' is a required property"),
    ("bad type", _set("sections.0.items.1.type", "slider"), "is not one of"),
    ("condition key", _set("sections.0.condition", {"key": "zz", "op": "eq", "value": "x"}),
     "unknown answer key 'zz'"),
    ("na outside conformity", _set("sections.0.items.1.na_allowed", True), "conformity"),
    ("max_score", _set("max_score", "99"), "sum of section weights"),
    ("veto level clash", _set("veto_level.code", "hi"), "veto level"),
    ("weighted needs conformity", _set("scoring", "weighted"), "conformity"),
]  # fmt: skip


@pytest.mark.parametrize(("change", "message"), [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN])
def test_broken_schemes_are_rejected(
    change: Callable[[dict[str, Any]], None], message: str
) -> None:
    data = minimal()
    change(data)
    with pytest.raises(SchemeError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_scheme(data)


def test_file_errors_name_the_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.v1.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(SchemeError, match=r"bad\.v1\.json"):
        load_scheme_file(path)
    data = minimal()
    data["sections"][0]["items"][0]["expression"] = "__import__('os')"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(SchemeError, match=r"bad.v1.json: item R: bad expression"):
        load_scheme_file(path)
