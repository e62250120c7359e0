"""How the level of a result is decided, with the firm's own figure against each threshold.

Levels are checked from the highest down and the first whose conditions all hold applies; a
veto item overrides them all. :func:`level_rules` lists, for every level, each condition the
scheme sets (the minimum on the level basis, the minimum percentage of every applicable
section, the prerequisites, the largest share of a section answered "not applicable") with the
firm's figure and whether it holds, and states the figure that decides: the total, the total
plus bonus, or the percentage. :func:`level_thresholds` states the same conditions without a
result (a scheme's introduction page).

The figures come from the stored (rounded) result, so they are exactly those shown elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext as _

from assessments import engine
from assessments.engine.numbers import round_half_up

from . import labels, numbers
from .answers import join, words


@dataclass(frozen=True)
class LevelCondition:
    text: str
    met: bool


@dataclass(frozen=True)
class LevelRule:
    code: str
    label: str
    conditions: tuple[LevelCondition, ...]
    reached: bool  # the firm's level
    fallback: bool  # no condition: the level when no higher one applies


@dataclass(frozen=True)
class LevelRules:
    basis: str  # what decides, in words
    figure: str  # the deciding figure as shown ("75.00", "80.5 %")
    figure_line: str  # "Total score plus bonus: 72.00 + 3.00 = 75.00"
    order: str  # levels are checked from the highest down …
    levels: tuple[LevelRule, ...]
    veto: LevelRule | None  # the veto level, when the scheme has veto items


def deciding_value(scheme: engine.Scheme, result: engine.Result) -> Decimal | None:
    """The figure the level thresholds are compared with (total, total + bonus or percent)."""
    if scheme.level_basis == "total_plus_bonus":
        return result.total + result.bonus
    if scheme.level_basis == "total":
        return result.total
    return result.percent


def deciding_text(scheme: engine.Scheme, value: Decimal | None) -> str:
    """A deciding figure or threshold: points, or a percentage for a percent basis."""
    return numbers.percent(value) if scheme.level_basis == "percent" else numbers.points(value)


def basis_text(scheme: engine.Scheme, lang: str) -> str:
    with words(lang):
        return {
            "total": _("The level is decided by the total score."),
            "total_plus_bonus": _("The level is decided by the total score plus bonus points."),
            "percent": _("The level is decided by the percentage of the maximum score."),
        }[scheme.level_basis]


def figure_line(scheme: engine.Scheme, result: engine.Result, lang: str) -> str:
    """The deciding figure with how it is made: ``总分加加分：72.00 + 3.00 = 75.00``."""
    with words(lang):
        if scheme.level_basis == "total_plus_bonus":
            return _("Total score plus bonus: %(total)s + %(bonus)s = %(sum)s") % {
                "total": numbers.points(result.total),
                "bonus": numbers.points(result.bonus),
                "sum": numbers.points(result.total + result.bonus),
            }
        if scheme.level_basis == "total":
            return _("Total score: %(total)s") % {"total": numbers.points(result.total)}
        return _("Percentage score: %(percent)s (%(total)s of %(max)s points)") % {
            "percent": numbers.percent(result.percent),
            "total": numbers.points(result.total),
            "max": numbers.points(result.max),
        }


def score_sum(
    scheme: engine.Scheme,
    total: Decimal | None,
    bonus: Decimal | None,
    maximum: Decimal | None = None,
) -> str:
    """The deciding figure in a table cell: ``72.00 + 2.00 = 74.00`` when the level uses the
    total plus bonus, ``72.00`` for the total, ``80.5 %`` (of ``maximum``) for a percentage."""
    if total is None:
        return numbers.NONE
    total = Decimal(total)
    if scheme.level_basis == "total_plus_bonus":
        bonus = Decimal(bonus or 0)
        return (
            f"{numbers.points(total)} + {numbers.points(bonus)} = {numbers.points(total + bonus)}"
        )
    if scheme.level_basis == "percent" and maximum:
        return numbers.percent(total * 100 / Decimal(maximum))
    return numbers.points(total)


def _minimum(scheme: engine.Scheme, minimum: Decimal, value: Decimal | None) -> LevelCondition:
    pattern = {
        "total": _("total score at least %(min)s (yours: %(value)s)"),
        "total_plus_bonus": _("total score plus bonus at least %(min)s (yours: %(value)s)"),
        "percent": _("percentage score at least %(min)s (yours: %(value)s)"),
    }[scheme.level_basis]
    text = pattern % {
        "min": deciding_text(scheme, minimum),
        "value": deciding_text(scheme, value),
    }
    return LevelCondition(text, value is not None and value >= minimum)


def _sections(
    scheme: engine.Scheme, minimum: Decimal, result: engine.Result, lang: str
) -> LevelCondition:
    applicable = [s for s in result.sections if s.applicable and s.percent is not None]
    lowest = min(applicable, key=lambda s: s.percent, default=None)
    if lowest is None:
        return LevelCondition(
            _("every applicable section at least %(min)s of its maximum")
            % {"min": numbers.percent(minimum)},
            True,
        )
    text = _(
        "every applicable section at least %(min)s of its maximum "
        "(your lowest: %(section)s, %(value)s)"
    ) % {
        "min": numbers.percent(minimum),
        "section": labels.section_label(scheme, lowest.code, lang),
        "value": numbers.percent(lowest.percent),
    }
    return LevelCondition(text, lowest.percent >= minimum)


def _prerequisites(scheme: engine.Scheme, result: engine.Result, lang: str) -> LevelCondition:
    unmet = [p.code for p in result.prerequisites if not p.met]
    if not unmet:
        text = _("every prerequisite met (yours: all %(count)s met)") % {
            "count": len(result.prerequisites)
        }
    else:
        text = _("every prerequisite met (not met: %(names)s)") % {
            "names": join([labels.prerequisite_label(scheme, c, lang) for c in unmet], lang)
        }
    return LevelCondition(text, not unmet)


def na_share(scheme: engine.Scheme, result: engine.Result, section_code: str) -> Fraction:
    """The share (0–1, exact) of a section's item weight answered "not applicable".

    As the engine counts it: items answered with an N/A option, over the section's total item
    weight (items hidden by a condition are not answered N/A).
    """
    values = {item.code: item.value for item in result.items}
    total = answered = Fraction(0)
    for section in scheme.sections:
        if section.code != section_code:
            continue
        for item in section.items:
            weight = Fraction(item.weight)
            total += weight
            na_codes = {o.code for o in item.options if o.na}
            if values.get(item.code) in na_codes:
                answered += weight
    return answered / total if total else Fraction(0)


def _na_limit(
    scheme: engine.Scheme, limit, result: engine.Result | None, lang: str
) -> LevelCondition:
    allowed = numbers.percent(Decimal(limit.share) * 100)
    section = labels.section_label(scheme, limit.section, lang)
    if result is None:
        return LevelCondition(
            _("at most %(share)s of %(section)s (by item weight) answered “not applicable”")
            % {"share": allowed, "section": section},
            True,
        )
    actual = na_share(scheme, result, limit.section)
    text = _(
        "at most %(share)s of %(section)s (by item weight) answered “not applicable” "
        "(yours: %(value)s)"
    ) % {
        "share": allowed,
        "section": section,
        "value": numbers.percent(round_half_up(actual * 100)),
    }
    return LevelCondition(text, actual <= Fraction(limit.share))


def level_thresholds(scheme: engine.Scheme, lang: str) -> LevelRules:
    """Every level's conditions in words, before any answer is given (no firm figures)."""
    with words(lang):
        rules = []
        for level in scheme.levels:
            conditions = []
            if level.min is not None:
                pattern = {
                    "total": _("total score at least %(min)s"),
                    "total_plus_bonus": _("total score plus bonus at least %(min)s"),
                    "percent": _("percentage score at least %(min)s"),
                }[scheme.level_basis]
                conditions.append(
                    LevelCondition(pattern % {"min": deciding_text(scheme, level.min)}, True)
                )
            if level.min_section_percent is not None:
                conditions.append(
                    LevelCondition(
                        _("every applicable section at least %(min)s of its maximum")
                        % {"min": numbers.percent(level.min_section_percent)},
                        True,
                    )
                )
            if level.requires_prerequisites:
                conditions.append(LevelCondition(_("every prerequisite met"), True))
            for limit in level.max_na_share:
                conditions.append(_na_limit(scheme, limit, None, lang))
            fallback = not conditions
            if fallback:
                conditions.append(LevelCondition(_("otherwise"), True))
            rules.append(
                LevelRule(level.code, level.label.get(lang), tuple(conditions), False, fallback)
            )
        veto = None
        if scheme.vetoes:
            veto = LevelRule(
                scheme.veto_level.code,
                scheme.veto_level.label.get(lang),
                (LevelCondition(_("any veto item applies"), True),),
                False,
                False,
            )
        return LevelRules(
            basis=basis_text(scheme, lang),
            figure="",
            figure_line="",
            order=_(
                "Levels are checked from the highest down; the first one whose conditions are "
                "all met applies."
            ),
            levels=tuple(rules),
            veto=veto,
        )


def level_rules(scheme: engine.Scheme, result: engine.Result, lang: str) -> LevelRules:
    """Every level's conditions with the firm's figures, the basis and the deciding figure."""
    with words(lang):
        value = deciding_value(scheme, result)
        rules = []
        for level in scheme.levels:
            conditions = []
            if level.min is not None:
                conditions.append(_minimum(scheme, level.min, value))
            if level.min_section_percent is not None:
                conditions.append(_sections(scheme, level.min_section_percent, result, lang))
            if level.requires_prerequisites:
                conditions.append(_prerequisites(scheme, result, lang))
            for limit in level.max_na_share:
                conditions.append(_na_limit(scheme, limit, result, lang))
            fallback = not conditions
            if fallback:
                conditions.append(LevelCondition(_("otherwise"), True))
            rules.append(
                LevelRule(
                    level.code,
                    level.label.get(lang),
                    tuple(conditions),
                    result.level == level.code,
                    fallback,
                )
            )
        veto = None
        if scheme.vetoes:
            applied = [labels.key_text(scheme, code, lang) for code in result.vetoes]
            text = (
                _("any veto item applies (applies: %(names)s)") % {"names": join(applied, lang)}
                if applied
                else _("any veto item applies (yours: none applies)")
            )
            veto = LevelRule(
                scheme.veto_level.code,
                scheme.veto_level.label.get(lang),
                (LevelCondition(text, bool(applied)),),
                result.vetoed,
                False,
            )
        return LevelRules(
            basis=basis_text(scheme, lang),
            figure=deciding_text(scheme, value),
            figure_line=figure_line(scheme, result, lang),
            order=_(
                "Levels are checked from the highest down; the first one whose conditions are "
                "all met applies."
            ),
            levels=tuple(rules),
            veto=veto,
        )
