"""Loading, validating and exporting scheme data files (see ``docs/schemes.md``)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema

from .checks import (
    ASSESSMENT_DATE,
    CheckError,
    check_from_dict,
    check_keys,
    check_to_dict,
    compile_check,
)
from .conditions import condition_from_dict, condition_keys, condition_to_dict
from .expressions import ExpressionError, compile_expression
from .model import (
    EMPTY_TEXT,
    AnswerField,
    Band,
    Bonus,
    BonusItem,
    Check,
    Condition,
    ConsistencyRule,
    Input,
    Item,
    Level,
    LocalText,
    NaShareLimit,
    Option,
    PlausibilityRule,
    Prerequisite,
    Scheme,
    Section,
    Veto,
    VetoLevel,
)

FORMAT = "ip-portal-scheme/1"
DATA_DIR = Path(__file__).resolve().parent.parent / "schemes" / "data"
SCHEMA_PATH = DATA_DIR / "scheme.schema.json"


class SchemeError(ValueError):
    """A scheme definition is invalid; the message says where and why."""


@lru_cache(maxsize=1)
def _validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the scheme format."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def _dec(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _text(data: Mapping[str, str] | None) -> LocalText:
    if not data:
        return EMPTY_TEXT
    return LocalText(data["zh"], data["en"])


def _unit(data: str | Mapping[str, str] | None) -> LocalText | None:
    """A unit: a plain string (the same in every language) or a bilingual text."""
    if data is None:
        return None
    if isinstance(data, str):
        return LocalText(data, "")
    return LocalText(data["zh"], data["en"])


def _cond(data: Mapping[str, Any] | None) -> Condition | None:
    return None if data is None else condition_from_dict(data)


def _option(data: Mapping[str, Any]) -> Option:
    return Option(
        code=data["code"],
        label=_text(data["label"]),
        points=_dec(data.get("points")),
        value=_dec(data.get("value")),
        na=bool(data.get("na", False)),
    )


def _band(data: Mapping[str, Any]) -> Band:
    bound: str = data["bound"]
    strict = bound.startswith(">")
    return Band(Decimal(bound.lstrip(">")), strict, Decimal(data["points"]))


def _input(data: Mapping[str, Any]) -> Input:
    return Input(
        code=data["code"],
        type=data["type"],
        label=_text(data["label"]),
        help=_text(data.get("help")),
        required=data.get("required", True),
        integer=data.get("integer", False),
        min=_dec(data.get("min")),
        max=_dec(data.get("max")),
        unit=_unit(data.get("unit")),
        options=tuple(_option(o) for o in data.get("options", ())),
        condition=_cond(data.get("condition")),
    )


def _item(data: Mapping[str, Any], section: str) -> Item:
    return Item(
        code=data["code"],
        type=data["type"],
        text=_text(data["text"]),
        section=section,
        required=data.get("required", True),
        weight=Decimal(data.get("weight", "1")),
        na_allowed=data.get("na_allowed", False),
        max=_dec(data.get("max")),
        options=tuple(_option(o) for o in data.get("options", ())),
        expression=data.get("expression"),
        bands=tuple(_band(b) for b in data.get("bands", ())),
        points=_dec(data.get("points")),
        integer=data.get("integer", False),
        min=_dec(data.get("min")),
        max_value=_dec(data.get("max_value")),
        unit=_unit(data.get("unit")),
        help=_text(data.get("help")),
        recommendation=_text(data.get("recommendation")),
        condition=_cond(data.get("condition")),
    )


def _section(data: Mapping[str, Any]) -> Section:
    code = data["code"]
    return Section(
        code=code,
        weight=Decimal(data["weight"]),
        title=_text(data["title"]),
        items=tuple(_item(i, code) for i in data["items"]),
        condition=_cond(data.get("condition")),
    )


def _prerequisite(data: Mapping[str, Any]) -> Prerequisite:
    rule = data["rule"]
    return Prerequisite(
        code=data["code"],
        label=_text(data["label"]),
        rule=rule["type"],
        key=rule["key"],
        years=rule.get("years", 0),
        help=_text(data.get("help")),
    )


def _level(data: Mapping[str, Any]) -> Level:
    return Level(
        code=data["code"],
        label=_text(data["label"]),
        min=_dec(data.get("min")),
        min_section_percent=_dec(data.get("min_section_percent")),
        requires_prerequisites=data.get("requires_prerequisites", False),
        max_na_share=tuple(
            NaShareLimit(limit["section"], Decimal(limit["share"]))
            for limit in data.get("max_na_share", ())
        ),
    )


def _rule(data: Mapping[str, Any]) -> ConsistencyRule:
    return ConsistencyRule(data["code"], check_from_dict(data["holds"]), _text(data["message"]))


def _warning(data: Mapping[str, Any]) -> PlausibilityRule:
    return PlausibilityRule(data["code"], check_from_dict(data["when"]), _text(data["message"]))


def _schema_errors(data: Any) -> list[str]:
    errors = sorted(_validator().iter_errors(data), key=lambda e: list(e.absolute_path))
    out = []
    for error in errors[:10]:
        where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
        out.append(f"{where}: {error.message}")
    return out


def load_scheme(data: Mapping[str, Any]) -> Scheme:
    """Validate a scheme definition (JSON Schema + semantic checks) and build the Scheme.

    Raises :class:`SchemeError` with a message naming the offending part.
    """
    problems = _schema_errors(data)
    if problems:
        raise SchemeError("scheme does not match the format: " + "; ".join(problems))
    sections = tuple(_section(s) for s in data["sections"])
    bonus = None
    if "bonus" in data:
        bonus = Bonus(
            cap=Decimal(data["bonus"]["cap"]),
            items=tuple(
                BonusItem(
                    code=b["code"],
                    points=Decimal(b["points"]),
                    label=_text(b["label"]),
                    help=_text(b.get("help")),
                    required=b.get("required", False),
                )
                for b in data["bonus"]["items"]
            ),
        )
    weights = sum((s.weight for s in sections), Decimal(0))
    scheme = Scheme(
        code=data["code"],
        version=data["version"],
        title=_text(data["title"]),
        description=_text(data.get("description")),
        scoring=data["scoring"],
        level_basis=data["level_basis"],
        max_score=_dec(data.get("max_score")) or weights,
        inputs=tuple(_input(i) for i in data.get("inputs", ())),
        sections=sections,
        bonus=bonus,
        vetoes=tuple(
            Veto(v["code"], _text(v["label"]), _text(v.get("help")), v.get("required", True))
            for v in data.get("vetoes", ())
        ),
        prerequisites=tuple(_prerequisite(p) for p in data.get("prerequisites", ())),
        levels=tuple(_level(level) for level in data["levels"]),
        veto_level=VetoLevel(data["veto_level"]["code"], _text(data["veto_level"]["label"])),
        rules=tuple(_rule(r) for r in data.get("rules", ())),
        warnings=tuple(_warning(w) for w in data.get("warnings", ())),
    )
    fields = _answer_fields(scheme)
    _check_semantics(scheme, fields, weights)
    return _compile(scheme, fields)


def _answer_fields(scheme: Scheme) -> dict[str, AnswerField]:
    fields: dict[str, AnswerField] = {}

    def add(f: AnswerField) -> None:
        if f.key in fields:
            raise SchemeError(f"duplicate answer key {f.key!r}")
        fields[f.key] = f

    for inp in scheme.inputs:
        add(
            AnswerField(
                key=inp.code,
                kind=inp.type,
                required=inp.required,
                integer=inp.integer,
                min=inp.min,
                max=inp.max,
                options=frozenset(o.code for o in inp.options),
                conditions=(inp.condition,) if inp.condition else (),
            )
        )
    for section in scheme.sections:
        for item in section.items:
            if not item.is_answer:
                continue
            conds = tuple(c for c in (section.condition, item.condition) if c is not None)
            kind = {"conformity": "choice"}.get(item.type, item.type)
            add(
                AnswerField(
                    key=item.code,
                    kind=kind,  # type: ignore[arg-type]
                    required=item.required,
                    integer=item.integer,
                    min=item.min,
                    max=item.max_value,
                    options=frozenset(o.code for o in item.options),
                    na_codes=frozenset(o.code for o in item.options if o.na),
                    na_allowed=item.na_allowed,
                    conditions=conds,
                )
            )
    for bonus_item in scheme.bonus.items if scheme.bonus else ():
        add(AnswerField(bonus_item.code, "boolean", bonus_item.required))
    for veto in scheme.vetoes:
        add(AnswerField(veto.code, "boolean", veto.required))
    return fields


def _fail(where: str, message: str) -> None:
    raise SchemeError(f"{where}: {message}")


def _unique(codes: Iterable[str], what: str) -> None:
    seen: set[str] = set()
    for code in codes:
        if code in seen:
            _fail(what, f"duplicate code {code!r}")
        seen.add(code)


def _band_key(band: Band) -> tuple[Decimal, int]:
    return (band.bound, 1 if band.strict else 0)


def _check_item(scheme: Scheme, item: Item, numbers: set[str]) -> None:
    where = f"item {item.code}"
    _unique((o.code for o in item.options), where + " options")
    if item.expression is not None:
        if item.type != "number":
            _fail(where, "only number items can have an expression")
        try:
            compile_expression(item.expression, numbers)
        except ExpressionError as exc:
            _fail(where, f"bad expression {item.expression!r}: {exc}")
    if item.type == "number" and not item.bands:
        _fail(where, "a number item needs bands")
    if item.type in ("number", "date"):
        for before, after in zip(item.bands, item.bands[1:], strict=False):
            if not _band_key(before) > _band_key(after):
                _fail(where, f"bands must be in descending order ({before.text} then {after.text})")
    elif item.bands:
        _fail(where, "only number and date items have bands")
    if item.type in ("choice", "multi") and (
        not item.options or any(o.points is None for o in item.options)
    ):
        _fail(where, "choice options need points")
    if item.type == "conformity":
        if scheme.scoring == "points" and item.max is None:
            _fail(where, "a conformity item needs max with points scoring")
        for o in item.options:
            if o.na == (o.value is not None) or (o.value is not None and not 0 <= o.value <= 1):
                _fail(where, f"option {o.code!r} needs a value between 0 and 1, or na: true")
        if item.na_allowed and not any(o.na for o in item.options):
            _fail(where, "na_allowed needs an option with na: true")
    elif any(o.na for o in item.options):
        _fail(where, "only conformity items can have a not-applicable option")
    elif item.na_allowed:
        _fail(where, "only conformity items can be not applicable")
    if item.type == "boolean" and item.points is None:
        _fail(where, "a boolean item needs points")
    if scheme.scoring == "weighted" and item.type != "conformity":
        _fail(where, "weighted scoring needs conformity items")
    if scheme.scoring == "points":
        if item.max is None:
            _fail(where, "max is required with points scoring")
        top = _item_top(item)
        if top is not None and top != item.max and item.type != "multi":
            _fail(where, f"max {item.max} differs from the highest points {top}")
        if top is not None and top < item.max:  # type: ignore[operator]
            _fail(where, f"max {item.max} cannot be reached")


def _item_top(item: Item) -> Decimal | None:
    if item.type in ("choice",):
        return max(o.points for o in item.options)  # type: ignore[type-var]
    if item.type == "multi":
        return sum((o.points for o in item.options), Decimal(0))  # type: ignore[misc]
    if item.type in ("number", "date"):
        return max(b.points for b in item.bands) if item.bands else None
    if item.type == "boolean":
        return item.points
    return None


def _check_semantics(scheme: Scheme, fields: dict[str, AnswerField], weights: Decimal) -> None:
    _unique((s.code for s in scheme.sections), "sections")
    _unique((i.code for i in scheme.items), "items")
    _unique((lv.code for lv in scheme.levels), "levels")
    _unique((p.code for p in scheme.prerequisites), "prerequisites")
    numbers = {k for k, f in fields.items() if f.kind == "number"}
    for section in scheme.sections:
        for item in section.items:
            _check_item(scheme, item, numbers)
        if scheme.scoring == "points":
            total = sum((i.max or Decimal(0) for i in section.items), Decimal(0))
            if total != section.weight:
                _fail(
                    f"section {section.code}", f"weight {section.weight} != sum of maxima {total}"
                )
    if scheme.max_score != weights:
        _fail("max_score", f"{scheme.max_score} != sum of section weights {weights}")
    for inp in scheme.inputs:
        if inp.type == "choice" and not inp.options:
            _fail(f"input {inp.code}", "a choice input needs options")
        if inp.min is not None and inp.max is not None and inp.min > inp.max:
            _fail(f"input {inp.code}", "min is above max")
    for prereq in scheme.prerequisites:
        wanted = "boolean" if prereq.rule == "answer" else "date"
        if fields.get(prereq.key) is None or fields[prereq.key].kind != wanted:
            _fail(f"prerequisite {prereq.code}", f"{prereq.key!r} is not a {wanted} answer key")
    conds = [c for f in fields.values() for c in f.conditions]
    conds += [s.condition for s in scheme.sections if s.condition]
    for cond in conds:
        for key in condition_keys(cond):
            if key not in fields:
                _fail("condition", f"unknown answer key {key!r}")
    _check_levels(scheme)
    _unique((r.code for r in scheme.rules), "rules")
    _unique((w.code for w in scheme.warnings), "warnings")


def _check_levels(scheme: Scheme) -> None:
    previous: Decimal | None = None
    for index, level in enumerate(scheme.levels):
        where = f"level {level.code}"
        last = index == len(scheme.levels) - 1
        if last and level.has_conditions:
            _fail(where, "the last level is the fallback and takes no conditions")
        if not last and level.min is None:
            _fail(where, "every level but the last needs min")
        if level.min is not None:
            if previous is not None and level.min >= previous:
                _fail(where, "levels must be ordered from the highest min down")
            previous = level.min
        sections = [limit.section for limit in level.max_na_share]
        _unique(sections, where + " max_na_share")
        known = {s.code for s in scheme.sections}
        for limit in level.max_na_share:
            if limit.section not in known:
                _fail(where, f"max_na_share names unknown section {limit.section!r}")
            if not 0 <= limit.share <= 1:
                _fail(where, f"max_na_share of section {limit.section} must be between 0 and 1")
    if scheme.veto_level.code in {lv.code for lv in scheme.levels}:
        _fail("veto_level", "the veto level code must differ from the ordinary levels")


def _compiled_check(where: str, check: Check, fields: dict[str, AnswerField]) -> Check:
    numbers = {k for k, f in fields.items() if f.kind == "number"}
    dates = {k for k, f in fields.items() if f.kind == "date"}
    if ASSESSMENT_DATE in fields:
        _fail(where, f"{ASSESSMENT_DATE!r} is reserved for the assessment date in checks")
    try:
        compiled = compile_check(check, numbers, dates)
    except CheckError as exc:
        raise SchemeError(f"{where}: {exc}") from exc
    if not check_keys(compiled, fields):
        _fail(where, "a check must read at least one answer key")
    return compiled


def _compile_checks(scheme: Scheme, fields: dict[str, AnswerField]) -> dict[str, Any]:
    rules = []
    for rule in scheme.rules:
        holds = _compiled_check(f"rule {rule.code}", rule.holds, fields)
        rules.append(ConsistencyRule(rule.code, holds, rule.message, check_keys(holds, fields)))
    warnings = []
    for warning in scheme.warnings:
        when = _compiled_check(f"warning {warning.code}", warning.when, fields)
        keys = check_keys(when, fields)
        warnings.append(PlausibilityRule(warning.code, when, warning.message, keys))
    return {"rules": tuple(rules), "warnings": tuple(warnings)}


def _compile(scheme: Scheme, fields: dict[str, AnswerField]) -> Scheme:
    numbers = {k for k, f in fields.items() if f.kind == "number"}
    checks = _compile_checks(scheme, fields)
    sections = []
    for section in scheme.sections:
        items = []
        for item in section.items:
            if item.expression is not None:
                compiled = compile_expression(item.expression, numbers).evaluate
                item = Item(**{**item.__dict__, "compiled": compiled})
            items.append(item)
        sections.append(Section(**{**section.__dict__, "items": tuple(items)}))
    return Scheme(
        **{
            **scheme.__dict__,
            **checks,
            "sections": tuple(sections),
            "answer_fields": tuple(fields.values()),
        }
    )


# --------------------------------------------------------------------------- export


def _t(text: LocalText) -> dict[str, str]:
    return {"zh": text.zh, "en": text.en}


def _put(out: dict[str, Any], key: str, value: Any, default: Any = None) -> None:
    if value is not None and value != default:
        out[key] = str(value) if isinstance(value, Decimal) else value


def _option_dict(option: Option) -> dict[str, Any]:
    out: dict[str, Any] = {"code": option.code, "label": _t(option.label)}
    _put(out, "points", option.points)
    _put(out, "value", option.value)
    _put(out, "na", option.na, False)
    return out


def _texts(out: dict[str, Any], **texts: LocalText) -> None:
    for key, text in texts.items():
        if text != EMPTY_TEXT:
            out[key] = _t(text)


def _unit_out(unit: LocalText | None) -> str | dict[str, str] | None:
    if unit is None:
        return None
    return unit.zh if not unit.en else _t(unit)


def _input_dict(inp: Input) -> dict[str, Any]:
    out: dict[str, Any] = {"code": inp.code, "type": inp.type}
    _put(out, "integer", inp.integer, False)
    _put(out, "min", inp.min)
    _put(out, "max", inp.max)
    _put(out, "unit", _unit_out(inp.unit))
    out["required"] = inp.required
    if inp.options:
        out["options"] = [_option_dict(o) for o in inp.options]
    _texts(out, label=inp.label, help=inp.help)
    if inp.condition:
        out["condition"] = condition_to_dict(inp.condition)
    return out


def _item_dict(item: Item) -> dict[str, Any]:
    out: dict[str, Any] = {"code": item.code, "type": item.type, "required": item.required}
    out["weight"] = str(item.weight)
    out["na_allowed"] = item.na_allowed
    _put(out, "max", item.max)
    if item.options:
        out["options"] = [_option_dict(o) for o in item.options]
    _put(out, "expression", item.expression)
    if item.bands:
        out["bands"] = [{"bound": b.text, "points": str(b.points)} for b in item.bands]
    _put(out, "points", item.points)
    _put(out, "integer", item.integer, False)
    _put(out, "min", item.min)
    _put(out, "max_value", item.max_value)
    _put(out, "unit", _unit_out(item.unit))
    _texts(out, text=item.text, help=item.help, recommendation=item.recommendation)
    if item.condition:
        out["condition"] = condition_to_dict(item.condition)
    return out


def _level_dict(level: Level) -> dict[str, Any]:
    out: dict[str, Any] = {"code": level.code, "label": _t(level.label)}
    _put(out, "min", level.min)
    _put(out, "min_section_percent", level.min_section_percent)
    _put(out, "requires_prerequisites", level.requires_prerequisites, False)
    if level.max_na_share:
        out["max_na_share"] = [
            {"section": limit.section, "share": str(limit.share)} for limit in level.max_na_share
        ]
    return out


def scheme_to_dict(scheme: Scheme) -> dict[str, Any]:
    """The scheme in the data-file format (what ``scheme export`` prints and import reads)."""
    out: dict[str, Any] = {
        "format": FORMAT,
        "code": scheme.code,
        "version": scheme.version,
        "title": _t(scheme.title),
        "description": _t(scheme.description),
        "scoring": scheme.scoring,
        "level_basis": scheme.level_basis,
        "max_score": str(scheme.max_score),
        "inputs": [_input_dict(i) for i in scheme.inputs],
        "sections": [],
    }
    for section in scheme.sections:
        sec: dict[str, Any] = {
            "code": section.code,
            "weight": str(section.weight),
            "title": _t(section.title),
        }
        if section.condition:
            sec["condition"] = condition_to_dict(section.condition)
        sec["items"] = [_item_dict(i) for i in section.items]
        out["sections"].append(sec)
    if scheme.bonus is not None:
        bonus_items = []
        for b in scheme.bonus.items:
            entry: dict[str, Any] = {
                "code": b.code,
                "points": str(b.points),
                "required": b.required,
            }
            _texts(entry, label=b.label, help=b.help)
            bonus_items.append(entry)
        out["bonus"] = {"cap": str(scheme.bonus.cap), "items": bonus_items}
    vetoes = []
    for v in scheme.vetoes:
        entry = {"code": v.code, "required": v.required}
        _texts(entry, label=v.label, help=v.help)
        vetoes.append(entry)
    out["vetoes"] = vetoes
    prereqs = []
    for p in scheme.prerequisites:
        rule: dict[str, Any] = {"type": p.rule, "key": p.key}
        if p.rule == "years_since":
            rule["years"] = p.years
        entry = {"code": p.code, "label": _t(p.label)}
        _texts(entry, help=p.help)
        entry["rule"] = rule
        prereqs.append(entry)
    out["prerequisites"] = prereqs
    if scheme.rules:
        out["rules"] = [
            {"code": r.code, "holds": check_to_dict(r.holds), "message": _t(r.message)}
            for r in scheme.rules
        ]
    if scheme.warnings:
        out["warnings"] = [
            {"code": w.code, "when": check_to_dict(w.when), "message": _t(w.message)}
            for w in scheme.warnings
        ]
    out["levels"] = [_level_dict(lv) for lv in scheme.levels]
    out["veto_level"] = {"code": scheme.veto_level.code, "label": _t(scheme.veto_level.label)}
    return out


# --------------------------------------------------------------------------- files


def load_scheme_file(path: str | Path) -> Scheme:
    """Load and validate one scheme data file."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise SchemeError(f"{path.name}: not valid JSON: {exc}") from exc
    try:
        return load_scheme(data)
    except SchemeError as exc:
        raise SchemeError(f"{path.name}: {exc}") from exc


def builtin_scheme_files() -> list[Path]:
    """The scheme data files shipped with the portal (``*.v<N>.json``), sorted by name."""
    return sorted(p for p in DATA_DIR.glob("*.v*.json") if not p.name.endswith(".map.json"))


def builtin_item_map_files() -> list[Path]:
    """The item-map files shipped with the portal (``*.map.json``)."""
    return sorted(DATA_DIR.glob("*.map.json"))


@lru_cache(maxsize=32)
def builtin_scheme(code: str, version: int | None = None) -> Scheme:
    """Load a shipped scheme by code (latest shipped version unless ``version`` is given)."""
    candidates: list[tuple[int, Path]] = []
    for path in builtin_scheme_files():
        stem = path.name.removesuffix(".json")
        name, _, ver = stem.rpartition(".v")
        if name == code and ver.isdigit():
            candidates.append((int(ver), path))
    if version is not None:
        candidates = [c for c in candidates if c[0] == version]
    if not candidates:
        raise SchemeError(f"no shipped scheme {code!r}" + (f" v{version}" if version else ""))
    return load_scheme_file(max(candidates)[1])
