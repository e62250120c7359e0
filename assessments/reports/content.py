"""What a result report says: plain data built from a stored result, the answers and the scheme.

:func:`report_context` is pure (no database): the submission path
(:func:`assessments.reports.services.submission_report_context`) and the ``render_report
--scheme`` command both feed it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from assessments import engine
from assessments.charts import _dec, fmt, radar_svg, section_bars_svg
from assessments.engine.model import Item, Scheme

from .pdf import django_language, qr_png_data_uri


@dataclass
class ItemRow:
    code: str
    text: str
    answer: str
    points: str
    max: str
    full: bool
    recommendation: str = ""


@dataclass
class SectionBlock:
    code: str
    title: str
    score: str
    max: str
    percent: str
    applicable: bool
    items: list[ItemRow] = field(default_factory=list)


@dataclass
class GapRow:
    code: str
    item: str
    section: str
    lost: str
    recommendation: str


@dataclass
class Enterprise:
    name: str
    credit_code: str = ""


def engine_lang(lang: str) -> str:
    return "en" if django_language(lang) == "en" else "zh"


def _option_label(item_or_input: Any, code: Any, lang: str) -> str:
    for option in getattr(item_or_input, "options", ()):
        if option.code == code:
            return option.label.get(lang)
    return str(code)


def display_value(field_: Any, value: Any, lang: str, *, unit: str | None = None) -> str:
    """An answer as a reader sees it: option labels, yes/no, figures with their unit."""
    if value is None or value == "" or value == []:
        return _("not answered")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    kind = getattr(field_, "type", None)
    if kind in ("choice", "conformity") or (kind == "boolean" and not isinstance(value, bool)):
        return _option_label(field_, value, lang)
    if kind == "multi" or isinstance(value, list | tuple):
        labels = [_option_label(field_, v, lang) for v in value]
        return "、".join(labels) if lang == "zh" else ", ".join(labels)
    if kind == "number" or isinstance(value, int | float | Decimal):
        number = _dec(value)
        text = fmt(number, 4) if number is not None else str(value)
    else:
        text = str(value)
    unit = unit if unit is not None else getattr(field_, "unit", None)
    return f"{text} {unit}" if unit else text


def _item_answer(item: Item, answers: Mapping[str, Any], result_item: Mapping, lang: str) -> str:
    if item.is_answer:
        return display_value(item, answers.get(item.code), lang)
    # A computed figure (a ratio or a count taken from the inputs): show the computed value.
    if not result_item.get("computable", True):
        return _("cannot be computed")
    value = result_item.get("value")
    if value is None:
        return _("not answered")
    return display_value(item, value, lang)


def _level_label(scheme: Scheme, code: str, lang: str, fallback: str = "") -> str:
    if code == scheme.veto_level.code:
        return scheme.veto_level.label.get(lang)
    try:
        return scheme.level(code).label.get(lang)
    except KeyError:
        return fallback or code


def _improvement_answer(item: Item | None, answer: str | None, lang: str) -> str:
    if answer is None:
        return ""
    if answer == "true":
        return _("yes")
    if answer.startswith((">=", ">")) and item is not None:
        strict = answer.startswith(">") and not answer.startswith(">=")
        bound = answer.lstrip(">=")
        unit = f" {item.unit.get(lang)}" if item.unit else ""
        if strict:
            return _("more than %(bound)s%(unit)s") % {"bound": bound, "unit": unit}
        return _("at least %(bound)s%(unit)s") % {"bound": bound, "unit": unit}
    if item is not None:
        return _option_label(item, answer, lang)
    return answer


def _what_if_block(
    scheme: Scheme, answers: Mapping[str, Any], on: dt.date, lang: str, titles: dict
) -> dict:
    what = engine.what_if_to_dict(engine.what_if(scheme, answers, on))
    items = {item.code: item for item in scheme.items}
    bonus = {b.code: b for b in scheme.bonus.items} if scheme.bonus else {}
    prerequisites = {p.code: p for p in scheme.prerequisites}
    sets = []
    for option in what["sets"]:
        steps = []
        for imp in option["improvements"]:
            item = items.get(imp["item"])
            if item is not None:
                label = item.text.get(lang)
            elif imp["item"] in bonus:
                label = bonus[imp["item"]].label.get(lang)
            else:
                label = imp["item"]
            steps.append(
                {
                    "code": imp["item"],
                    "label": label,
                    "section": titles.get(imp["section"], _("Bonus")),
                    "current": fmt(imp["current"]),
                    "target": fmt(imp["target"]),
                    "added": fmt(imp["added"]),
                    "answer": _improvement_answer(item, imp["answer"], lang),
                }
            )
        sets.append({"added": fmt(option["added"]), "steps": steps})
    conditions = []
    for cond in what["conditions"]:
        if cond["kind"] == "section_min_percent":
            conditions.append(
                _("Section “%(section)s” must reach %(required)s%% (now %(current)s%%).")
                % {
                    "section": titles.get(cond["code"], cond["code"]),
                    "required": fmt(cond["required"]),
                    "current": fmt(cond["current"]),
                }
            )
        else:
            prerequisite = prerequisites.get(cond["code"])
            conditions.append(
                _("Prerequisite to be met: %(label)s")
                % {"label": prerequisite.label.get(lang) if prerequisite else cond["code"]}
            )
    reasons = {
        "vetoed": _("A veto item applies: no improvement of the scores changes the level."),
        "top_level": _("The highest level is already reached."),
        "unreachable": _("The next level cannot be reached by improving the answers alone."),
    }
    return {
        "current": _level_label(scheme, what["current_level"], lang),
        "target": _level_label(scheme, what["target_level"], lang) if what["target_level"] else "",
        "reachable": what["reachable"],
        "reason": reasons.get(what["reason"] or "", ""),
        "sets": sets,
        "conditions": conditions,
    }


def _rules_block(scheme: Scheme, lang: str) -> dict:
    basis = {
        "total": _("the total score"),
        "total_plus_bonus": _("the total score plus bonus points"),
        "percent": _("the percentage of the maximum score"),
    }[scheme.level_basis]
    scoring = {
        "points": _("Each item scores the points of the chosen answer or of the band reached."),
        "weighted": _(
            "Each item is rated for conformity; a section scores its weight times the "
            "weighted average rating of its applicable items."
        ),
    }[scheme.scoring]
    levels = []
    for level in scheme.levels:
        conditions = []
        if level.min is not None:
            conditions.append(
                _("at least %(min)s on %(basis)s") % {"min": fmt(level.min), "basis": basis}
            )
        if level.min_section_percent is not None:
            conditions.append(
                _("every applicable section at least %(percent)s%% of its maximum")
                % {"percent": fmt(level.min_section_percent)}
            )
        if level.requires_prerequisites:
            conditions.append(_("all prerequisites met"))
        levels.append(
            {"label": level.label.get(lang), "conditions": conditions or [_("otherwise")]}
        )
    sections = []
    for section in scheme.sections:
        rows = []
        for item in section.items:
            rules = []
            for option in item.options:
                if option.na:
                    rules.append(_("%(label)s: not counted") % {"label": option.label.get(lang)})
                elif option.points is not None:
                    rules.append(f"{option.label.get(lang)}: {fmt(option.points)}")
                elif option.value is not None:
                    rules.append(f"{option.label.get(lang)}: ×{fmt(option.value)}")
            for band in item.bands:
                unit = f" {item.unit.get(lang)}" if item.unit else ""
                rules.append(
                    f"{'>' if band.strict else '≥'} {band.bound}{unit}: {fmt(band.points)}"
                )
            if item.type == "boolean" and item.points is not None and not rules:
                rules.append(_("yes: %(points)s") % {"points": fmt(item.points)})
            rows.append(
                {
                    "code": item.code,
                    "text": item.text.get(lang),
                    "max": fmt(item.max) if item.max is not None else "",
                    "weight": fmt(item.weight),
                    "rules": rules,
                }
            )
        sections.append(
            {
                "code": section.code,
                "title": section.title.get(lang),
                "weight": fmt(section.weight),
                "items": rows,
            }
        )
    common: list[str] = []
    all_rules = [row["rules"] for section in sections for row in section["items"]]
    if len(all_rules) > 1 and all(r == all_rules[0] for r in all_rules) and all_rules[0]:
        common = all_rules[0]
        for section in sections:
            for row in section["items"]:
                row["rules"] = []
    item_tables = not common or any(item.weight != 1 for item in scheme.items)
    return {
        "common_rules": common,
        "item_tables": item_tables,
        "scoring": scoring,
        "basis": basis,
        "max_score": fmt(scheme.max_score),
        "levels": levels,
        "veto_level": scheme.veto_level.label.get(lang),
        "vetoes": [v.label.get(lang) for v in scheme.vetoes],
        "prerequisites": [p.label.get(lang) for p in scheme.prerequisites],
        "bonus": (
            {
                "cap": fmt(scheme.bonus.cap),
                "items": [(b.label.get(lang), fmt(b.points)) for b in scheme.bonus.items],
            }
            if scheme.bonus
            else None
        ),
        "sections": sections,
        "weighted": scheme.scoring == "weighted",
    }


def report_context(
    *,
    scheme: Scheme,
    result: Mapping[str, Any],
    answers: Mapping[str, Any],
    enterprise: Enterprise,
    assessed_on: dt.date,
    lang: str,
    verify_code: str = "",
    verify_url: str = "",
    issued_on: dt.date | None = None,
) -> dict[str, Any]:
    """Everything the report template shows, already in ``lang`` and formatted."""
    lang_d = django_language(lang)
    lang_e = engine_lang(lang)
    with translation.override(lang_d):
        titles = {s.code: s.title.get(lang_e) for s in scheme.sections}
        result_items = {i["code"]: i for i in result.get("items", ())}
        sections = []
        for raw in result.get("sections", ()):
            section = next((s for s in scheme.sections if s.code == raw["code"]), None)
            percent = _dec(raw.get("percent"))
            applicable = bool(raw.get("applicable", percent is not None))
            block = SectionBlock(
                code=raw["code"],
                title=titles.get(raw["code"], raw["code"]),
                score=fmt(_dec(raw.get("score"))),
                max=fmt(_dec(raw.get("max"))),
                percent=fmt(percent, 1) if applicable else "",
                applicable=applicable,
            )
            for item in section.items if section else ():
                r = result_items.get(item.code, {})
                points, maximum = _dec(r.get("points")), _dec(r.get("max"))
                block.items.append(
                    ItemRow(
                        code=item.code,
                        text=item.text.get(lang_e),
                        answer=_item_answer(item, answers, r, lang_e) if r else _("not applicable"),
                        points=fmt(points) if r else "–",
                        max=fmt(maximum) if r else "–",
                        full=bool(r) and points == maximum,
                    )
                )
            sections.append(block)
        items = {item.code: item for item in scheme.items}
        gaps = []
        for gap in result.get("gaps", ()):
            item = items.get(gap["item"])
            recommendation = (
                item.recommendation.get(lang_e) if item else gap.get("recommendation", "")
            )
            gaps.append(
                GapRow(
                    code=gap["item"],
                    item=item.text.get(lang_e) if item else gap["item"],
                    section=titles.get(gap.get("section", ""), gap.get("section", "")),
                    lost=fmt(_dec(gap["lost"])),
                    recommendation=recommendation or gap.get("recommendation", ""),
                )
            )
        prerequisites = {p["code"]: p["met"] for p in result.get("prerequisites", ())}
        vetoes = set(result.get("vetoes", ()))
        inputs = [
            {"label": i.label.get(lang_e), "answer": display_value(i, answers.get(i.code), lang_e)}
            for i in scheme.inputs
            if i.code in answers
        ]
        bonus_rows = []
        if scheme.bonus:
            for b in scheme.bonus.items:
                bonus_rows.append(
                    {
                        "label": b.label.get(lang_e),
                        "claimed": bool(answers.get(b.code)),
                        "points": fmt(b.points),
                    }
                )
        level_label = _level_label(scheme, result["level"], lang_e)
        percent = _dec(result.get("percent"))
        return {
            "lang": lang_e,
            "enterprise": enterprise,
            "scheme_title": scheme.title.get(lang_e),
            "scheme_code": scheme.code,
            "scheme_version": scheme.version,
            "assessed_on": assessed_on,
            "issued_on": issued_on or assessed_on,
            "verify_code": verify_code,
            "verify_url": verify_url,
            "qr_png": qr_png_data_uri(verify_url) if verify_url else "",
            "qr_label": _("QR code of the verification address %(url)s") % {"url": verify_url},
            "total": fmt(_dec(result.get("total"))),
            "max": fmt(_dec(result.get("max"))),
            "percent": fmt(percent, 1) if percent is not None else "",
            "bonus": fmt(_dec(result.get("bonus")) or Decimal(0)),
            "has_bonus": scheme.bonus is not None,
            "level_label": level_label,
            "vetoed": bool(result.get("vetoed")),
            "vetoes": [
                {"label": v.label.get(lang_e), "applies": v.code in vetoes} for v in scheme.vetoes
            ],
            "prerequisites": [
                {"label": p.label.get(lang_e), "met": prerequisites.get(p.code, False)}
                for p in scheme.prerequisites
            ],
            "sections": sections,
            "inputs": inputs,
            "bonus_rows": bonus_rows,
            "gaps": gaps,
            "what_if": _what_if_block(scheme, answers, assessed_on, lang_e, titles),
            "rules": _rules_block(scheme, lang_e),
            "bars_svg": _safe(section_bars_svg(result, scheme, lang_e)),
            "radar_svg": _safe(radar_svg(result, scheme, lang_e))
            if sum(1 for s in sections if s.applicable) >= 3
            else "",
            "not_computable": [
                items[c].text.get(lang_e) if c in items else c
                for c in result.get("not_computable", ())
            ],
        }


def _safe(svg: str):
    from django.utils.safestring import mark_safe

    return mark_safe(svg)  # noqa: S308 (charts escape every text they contain)


def report_title(scheme: Scheme, enterprise_name: str, lang: str) -> str:
    with translation.override(django_language(lang)):
        return _("%(scheme)s — self-assessment report — %(enterprise)s") % {
            "scheme": scheme.title.get(engine_lang(lang)),
            "enterprise": enterprise_name,
        }
