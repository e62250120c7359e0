"""The scoring rules of a scheme version in words: answers and their points, bands, weights,
bonus items, veto items and prerequisites (the report's appendix).

Band bounds read like the figures they are compared with (:func:`.answers.bound_text`): a
ratio's ``0.60`` is ``≥ 60.0 %``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from assessments import engine

from . import labels, numbers
from .answers import bound_text, words


@dataclass(frozen=True)
class RuleItem:
    code: str
    reference: str
    text: str
    label: str
    max: str
    weight: str
    rules: tuple[str, ...]


@dataclass(frozen=True)
class RuleSection:
    code: str
    label: str
    weight: str
    items: tuple[RuleItem, ...]


@dataclass(frozen=True)
class BonusRules:
    cap: str
    items: tuple[tuple[str, str], ...]  # (label, points)


@dataclass(frozen=True)
class SchemeRules:
    scoring: str
    max_score: str
    common_rules: tuple[str, ...]  # when every item has the same answers
    item_tables: bool
    weighted: bool
    sections: tuple[RuleSection, ...]
    veto_level: str
    vetoes: tuple[str, ...]
    prerequisites: tuple[str, ...]
    bonus: BonusRules | None


def _weight(value) -> str:
    return numbers.figure(value)


def _item_rules(scheme: engine.Scheme, item: engine.model.Item, lang: str) -> tuple[str, ...]:
    rules = []

    def rule(answer: str, points: str) -> str:
        return _("%(answer)s: %(points)s") % {"answer": answer, "points": points}

    for option in item.options:
        if option.na:
            rules.append(_("%(label)s: not counted") % {"label": option.label.get(lang)})
        elif option.points is not None:
            rules.append(rule(option.label.get(lang), numbers.points(option.points)))
        elif option.value is not None:
            rules.append(rule(option.label.get(lang), f"×{numbers.figure(option.value)}"))
    for band in item.bands:
        rules.append(rule(bound_text(scheme, item.code, band, lang), numbers.points(band.points)))
    if item.type == "boolean" and item.points is not None and not rules:
        rules.append(_("yes: %(points)s") % {"points": numbers.points(item.points)})
    return tuple(rules)


def scheme_rules(scheme: engine.Scheme, lang: str) -> SchemeRules:
    with words(lang):
        scoring = {
            "points": _("Each item scores the points of the chosen answer or of the band reached."),
            "weighted": _(
                "Each item is rated for conformity; a section scores its weight times the "
                "weighted average rating of its applicable items."
            ),
        }[scheme.scoring]
        sections = []
        for section in scheme.sections:
            items = tuple(
                RuleItem(
                    code=item.code,
                    reference=labels.item_reference(item.code),
                    text=item.text.get(lang),
                    label=labels.item_label(scheme, item.code, lang),
                    max=numbers.points(item.max) if item.max is not None else "",
                    weight=_weight(item.weight),
                    rules=_item_rules(scheme, item, lang),
                )
                for item in section.items
            )
            sections.append(
                RuleSection(
                    section.code,
                    labels.section_label(scheme, section.code, lang),
                    _weight(section.weight),
                    items,
                )
            )
        all_rules = [item.rules for section in sections for item in section.items]
        common: tuple[str, ...] = ()
        if len(all_rules) > 1 and all_rules[0] and all(r == all_rules[0] for r in all_rules):
            common = all_rules[0]
            sections = [
                RuleSection(
                    s.code,
                    s.label,
                    s.weight,
                    tuple(
                        RuleItem(i.code, i.reference, i.text, i.label, i.max, i.weight, ())
                        for i in s.items
                    ),
                )
                for s in sections
            ]
        return SchemeRules(
            scoring=scoring,
            max_score=numbers.points(scheme.max_score),
            common_rules=common,
            item_tables=not common or any(item.weight != 1 for item in scheme.items),
            weighted=scheme.scoring == "weighted",
            sections=tuple(sections),
            veto_level=scheme.veto_level.label.get(lang),
            vetoes=tuple(v.label.get(lang) for v in scheme.vetoes),
            prerequisites=tuple(p.label.get(lang) for p in scheme.prerequisites),
            bonus=(
                BonusRules(
                    numbers.points(scheme.bonus.cap),
                    tuple(
                        (b.label.get(lang), numbers.points(b.points)) for b in scheme.bonus.items
                    ),
                )
                if scheme.bonus
                else None
            ),
        )
