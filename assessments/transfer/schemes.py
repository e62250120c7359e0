"""Scheme items round trip: export a version's items, options and bands to XLSX, edit them in a
spreadsheet, and import the sheet as the next draft version, after a per-item diff preview.

One sheet, one line per item, option or band (column "Line"):

* ``item`` lines carry the item's texts, help, recommendation, ``max`` and ``weight``;
* ``option`` lines carry an option's label and its points (choice/multi) or value (conformity);
* ``band`` lines carry a band's bound and points, numbered from the highest bound down.

Texts, points, values, bounds, maxima and weights can be edited, and bands added or removed
(the band lines of an item replace its bands). Items and options are identified by code and
cannot be added or removed here: answers and stored submissions refer to them. Under points
scoring the section weights and ``max_score`` are recomputed from the items' ``max``. The new
definition is validated by ``assessments.schemes.services.create_version``, which stores it as a
draft (a moderator publishes it).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from assessments.models import SchemeVersion
from assessments.schemes.services import create_version
from assessments.transfer.files import FormulaValue, Table, write_table
from assessments.transfer.resources.columns import cell_text, match_headers
from assessments.transfer.resources.scheme_items import SCHEME_ITEM_COLUMNS
from portal.core.spreadsheets import unneutralise

LINE_KINDS = {"item": "item", "条目": "item", "option": "option", "选项": "option"}
LINE_KINDS |= {"band": "band", "分档": "band"}
_TEXTS = ("text", "help", "recommendation")


@dataclass(frozen=True)
class SchemeRowError:
    row: int
    column: str
    message: str


@dataclass
class ItemDiff:
    item: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (what, old, new)


@dataclass
class SchemeImport:
    definition: dict[str, Any]
    diffs: list[ItemDiff]
    errors: list[SchemeRowError]

    def diff_dicts(self) -> list[dict[str, Any]]:
        return [asdict(d) for d in self.diffs]

    def error_dicts(self) -> list[dict[str, Any]]:
        return [asdict(e) for e in self.errors]


def _number(value: Any) -> Any:
    """Scoring numbers as numeric cells (exact: written from their decimal strings)."""
    try:
        return Decimal(value)
    except (InvalidOperation, TypeError):
        return value


def _items(definition: dict[str, Any]) -> Iterator[tuple[dict, dict]]:
    for section in definition.get("sections", []):
        for item in section.get("items", []):
            yield section, item


def export_rows(definition: dict[str, Any]) -> Iterator[list[Any]]:
    for section, item in _items(definition):
        texts = []
        for key in _TEXTS:
            value = item.get(key) or {}
            texts += [value.get("zh", ""), value.get("en", "")]
        yield [
            "item",
            section["code"],
            item["code"],
            item["type"],
            "",
            "",
            _number(item["points"]) if "points" in item else None,
            _number(item["max"]) if "max" in item else None,
            _number(item.get("weight", "1")),
            *texts,
        ]
        for option in item.get("options", []):
            if option.get("na"):
                continue
            points = option.get("points", option.get("value"))
            label = option.get("label") or {}
            yield [
                "option",
                section["code"],
                item["code"],
                item["type"],
                option["code"],
                "",
                _number(points),
                None,
                None,
                label.get("zh", ""),
                label.get("en", ""),
                "",
                "",
                "",
                "",
            ]
        for number, band in enumerate(item.get("bands", []), start=1):
            bound = band["bound"]
            yield [
                "band",
                section["code"],
                item["code"],
                item["type"],
                number,
                bound if bound.startswith(">") else _number(bound),
                _number(band["points"]),
                None,
                None,
                *[""] * 6,
            ]


def export_scheme_items(version: SchemeVersion, out: IO[bytes], lang: str = "zh") -> int:
    rows = list(export_rows(version.definition))
    headers = [c.header(lang) for c in SCHEME_ITEM_COLUMNS]
    write_table(headers, rows, "xlsx", out, title=f"{version.scheme.code} v{version.version}")
    return len(rows)


def _decimal_text(value: Any, *, allow_greater: bool = False) -> str | None:
    """A cell as the scheme's decimal string (``"0.6"``, ``"5"``, ``">0"``), or None."""
    if value is None or value == "":
        return None
    if isinstance(value, float):
        value = repr(value)
    text = unneutralise(str(value).strip())
    prefix = ""
    if allow_greater and text.startswith(">"):
        prefix, text = ">", text[1:].strip()
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(text) from None
    if not number.is_finite() or number < 0:
        raise ValueError(text)
    formatted = format(number, "f")
    if "." in formatted:
        formatted = formatted.rstrip("0").rstrip(".")
    return prefix + (formatted or "0")


def _same_number(old: str | None, new: str | None) -> bool:
    if old is None or new is None:
        return old == new
    if old.startswith(">") or new.startswith(">"):
        return old == new
    # A spreadsheet keeps numbers as binary floats: 30/13 comes back with fewer digits.
    return Decimal(old) == Decimal(new) or float(old) == float(new)


def read_scheme_sheet(table: Table, base: SchemeVersion) -> SchemeImport:
    """Apply an edited sheet to ``base``'s definition; report problems per row."""
    definition = copy.deepcopy(base.definition)
    errors: list[SchemeRowError] = []
    match = match_headers(table.headers, SCHEME_ITEM_COLUMNS)
    for column in match.missing:
        errors.append(SchemeRowError(1, column.both, _("Required column is missing.")))
    if errors:
        return SchemeImport(definition, [], errors)
    items = {item["code"]: (section, item) for section, item in _items(definition)}
    new_bands: dict[str, list[tuple[int, dict[str, str]]]] = {}
    label = {c.key: match.names.get(c.key, c.both) for c in SCHEME_ITEM_COLUMNS}

    for number, values in zip(table.row_numbers, table.dataset, strict=True):
        row = {key: values[i] for i, key in enumerate(match.keys) if key}

        def fail(key: str, message: str, number: int = number) -> None:
            errors.append(SchemeRowError(number, label.get(key, key), message))

        formulas = [k for k, v in row.items() if isinstance(v, FormulaValue)]
        if formulas:
            for key in formulas:
                fail(key, _("The cell holds a formula; enter the value itself."))
            continue
        kind = LINE_KINDS.get(cell_text(row.get("line")).lower())
        if kind is None:
            fail("line", _("Use item, option or band."))
            continue
        code = cell_text(row.get("item"))
        if code not in items:
            fail("item", _("Unknown item %(code)s: items cannot be added here.") % {"code": code})
            continue
        _section, item = items[code]
        try:
            if kind == "item":
                for key in _TEXTS:
                    for lang in ("zh", "en"):
                        column = f"{key}_{lang}"
                        if column not in row:
                            continue
                        text = cell_text(row[column])
                        if key == "text" and not text:
                            fail(column, _("An item needs its text."))
                            continue
                        if text or item.get(key):
                            item.setdefault(key, {})[lang] = text
                for key in ("max", "weight", "points"):
                    if key in row and key in item:
                        new = _decimal_text(row[key])
                        if new is None:
                            fail(key, _("Enter a number."))
                        elif not _same_number(item[key], new):
                            item[key] = new
            elif kind == "option":
                option_code = cell_text(row.get("option"))
                option = next(
                    (o for o in item.get("options", []) if o["code"] == option_code), None
                )
                if option is None or option.get("na"):
                    fail(
                        "option",
                        _("Unknown option %(code)s: options cannot be added here.")
                        % {"code": option_code},
                    )
                    continue
                key = "value" if "value" in option else "points"
                new = _decimal_text(row.get("points"))
                if new is None:
                    fail("points", _("Enter a number."))
                elif not _same_number(option[key], new):
                    option[key] = new
                for lang in ("zh", "en"):
                    column = f"text_{lang}"
                    text = cell_text(row.get(column))
                    if column in row and text:
                        option.setdefault("label", {})[lang] = text
            else:
                if "bands" not in item:
                    fail("item", _("Item %(code)s has no bands.") % {"code": code})
                    continue
                bound = _decimal_text(row.get("bound"), allow_greater=True)
                points = _decimal_text(row.get("points"))
                if bound is None or points is None:
                    fail("bound" if bound is None else "points", _("Enter a number."))
                    continue
                try:
                    order = int(Decimal(str(row.get("option") or 0)))
                except InvalidOperation:
                    order = 0
                new_bands.setdefault(code, []).append((order, {"bound": bound, "points": points}))
        except ValueError as exc:
            fail("points", _("Not a number: %(value)s") % {"value": str(exc)[:40]})

    for code, bands in new_bands.items():
        bands.sort(key=lambda pair: pair[0])
        old = items[code][1]["bands"]
        fresh = [band for _order, band in bands]
        same = len(old) == len(fresh) and all(
            _same_number(a["bound"], b["bound"]) and _same_number(a["points"], b["points"])
            for a, b in zip(old, fresh, strict=True)
        )
        if not same:
            items[code][1]["bands"] = fresh

    if definition.get("scoring") == "points":
        for section in definition.get("sections", []):
            total = sum((Decimal(i["max"]) for i in section["items"] if "max" in i), Decimal(0))
            if Decimal(section["weight"]) != total:
                section["weight"] = _decimal_text(total)
        if "max_score" in definition:
            total = sum((Decimal(s["weight"]) for s in definition["sections"]), Decimal(0))
            if Decimal(definition["max_score"]) != total:
                definition["max_score"] = _decimal_text(total)
    return SchemeImport(definition, diff_definitions(base.definition, definition), errors)


def _fmt_bands(bands: list[dict[str, str]]) -> str:
    return "; ".join(f"≥{b['bound']}→{b['points']}" for b in bands)


def diff_definitions(old: dict[str, Any], new: dict[str, Any]) -> list[ItemDiff]:
    """Per item: changed texts, max, weight, option points/labels and bands."""
    old_items = {item["code"]: item for _s, item in _items(old)}
    diffs: list[ItemDiff] = []
    for _section, item in _items(new):
        before = old_items.get(item["code"], {})
        diff = ItemDiff(item["code"])
        for key in _TEXTS:
            for lang in ("zh", "en"):
                a = (before.get(key) or {}).get(lang, "")
                b = (item.get(key) or {}).get(lang, "")
                if a != b:
                    diff.changes.append((f"{key} ({lang})", a, b))
        for key in ("max", "weight", "points"):
            if before.get(key) != item.get(key):
                diff.changes.append((key, str(before.get(key, "")), str(item.get(key, ""))))
        old_options = {o["code"]: o for o in before.get("options", [])}
        for option in item.get("options", []):
            prior = old_options.get(option["code"], {})
            for key in ("points", "value"):
                if prior.get(key) != option.get(key):
                    diff.changes.append(
                        (
                            f"{option['code']} {key}",
                            str(prior.get(key, "")),
                            str(option.get(key, "")),
                        )
                    )
            for lang in ("zh", "en"):
                a = (prior.get("label") or {}).get(lang, "")
                b = (option.get("label") or {}).get(lang, "")
                if a != b:
                    diff.changes.append((f"{option['code']} ({lang})", a, b))
        if before.get("bands") != item.get("bands"):
            diff.changes.append(
                ("bands", _fmt_bands(before.get("bands", [])), _fmt_bands(item.get("bands", [])))
            )
        if diff.changes:
            diffs.append(diff)
    old_sections = {s["code"]: s for s in old.get("sections", [])}
    for section in new.get("sections", []):
        prior = old_sections.get(section["code"], {})
        if prior.get("weight") != section.get("weight"):
            diffs.append(
                ItemDiff(
                    section["code"],
                    [("section weight", str(prior.get("weight")), str(section.get("weight")))],
                )
            )
    if old.get("max_score") != new.get("max_score"):
        diffs.append(
            ItemDiff(
                "max_score", [("max_score", str(old.get("max_score")), str(new.get("max_score")))]
            )
        )
    return diffs


def create_draft(
    result: SchemeImport, *, base: SchemeVersion, user, change_note: str
) -> SchemeVersion:
    """Store the edited definition as the scheme's next draft (validated by the service)."""
    if result.errors:
        raise ValidationError(_("The sheet has errors; correct them first."))
    if not result.diffs:
        raise ValidationError(_("The sheet changes nothing in this version."))
    return create_version(result.definition, user=user, based_on=base, change_note=change_note)
