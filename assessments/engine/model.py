"""Frozen dataclasses describing one version of an assessment scheme.

Numbers that come from the data file are kept as :class:`~decimal.Decimal` (so that an exported
scheme prints the same strings it was loaded from); the loader also pre-computes exact
:class:`~fractions.Fraction` copies used by the scoring code.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal

InputType = Literal["number", "date", "boolean", "choice"]
ItemType = Literal["choice", "multi", "number", "boolean", "date", "conformity"]
Scoring = Literal["points", "weighted"]
LevelBasis = Literal["total", "total_plus_bonus", "percent"]

LANGUAGES = ("zh", "en")


@dataclass(frozen=True)
class LocalText:
    """A text in Chinese and English."""

    zh: str
    en: str

    def get(self, lang: str = "zh") -> str:
        """Return the text in ``lang`` ("zh" or "en"), falling back to Chinese."""
        return self.en if lang == "en" and self.en else self.zh


EMPTY_TEXT = LocalText("", "")


@dataclass(frozen=True)
class Condition:
    """A declarative condition on the answers, deciding whether a field is shown.

    ``op`` is one of ``all``, ``any``, ``not`` (using ``children``) or a comparison
    ``eq ne gt ge lt le in answered`` of the answer under ``key`` with ``value``.
    """

    op: str
    key: str | None = None
    value: Any = None
    children: tuple[Condition, ...] = ()


@dataclass(frozen=True)
class Option:
    """One answer option of a choice, multi or conformity item."""

    code: str
    label: LocalText
    points: Decimal | None = None
    value: Decimal | None = None
    na: bool = False


@dataclass(frozen=True)
class Band:
    """A lower bound and the points awarded when a value reaches it.

    ``strict`` is true for bounds written ``>X`` (reached by values above X only).
    """

    bound: Decimal
    strict: bool
    points: Decimal

    @property
    def text(self) -> str:
        """The bound as written in the data file (``"0.60"`` or ``">0"``)."""
        return (">" if self.strict else "") + str(self.bound)


@dataclass(frozen=True)
class Input:
    """A raw answer field that is not scored by itself (a figure, a date, a flag)."""

    code: str
    type: InputType
    label: LocalText
    help: LocalText = EMPTY_TEXT
    required: bool = True
    integer: bool = False
    min: Decimal | None = None
    max: Decimal | None = None
    unit: LocalText | None = None
    options: tuple[Option, ...] = ()
    condition: Condition | None = None


@dataclass(frozen=True)
class Item:
    """A scored item inside a section."""

    code: str
    type: ItemType
    text: LocalText
    section: str
    required: bool = True
    weight: Decimal = Decimal(1)
    na_allowed: bool = False
    max: Decimal | None = None
    options: tuple[Option, ...] = ()
    expression: str | None = None
    bands: tuple[Band, ...] = ()
    points: Decimal | None = None
    integer: bool = False
    min: Decimal | None = None
    max_value: Decimal | None = None
    unit: LocalText | None = None
    help: LocalText = EMPTY_TEXT
    recommendation: LocalText = EMPTY_TEXT
    condition: Condition | None = None
    # Pre-compiled helpers (not part of the data format).
    compiled: Callable[[Mapping[str, Fraction | None]], Fraction | None] | None = field(
        default=None, compare=False, repr=False
    )

    @property
    def is_answer(self) -> bool:
        """Whether the item is answered directly under its own code (not computed)."""
        return self.expression is None


@dataclass(frozen=True)
class Section:
    """An ordered group of items with a weight (points out of the scheme's maximum)."""

    code: str
    weight: Decimal
    title: LocalText
    items: tuple[Item, ...]
    condition: Condition | None = None


@dataclass(frozen=True)
class BonusItem:
    """A yes/no bonus item; missing means no."""

    code: str
    points: Decimal
    label: LocalText
    help: LocalText = EMPTY_TEXT
    required: bool = False


@dataclass(frozen=True)
class Bonus:
    """Bonus items, summed and capped."""

    cap: Decimal
    items: tuple[BonusItem, ...]


@dataclass(frozen=True)
class Veto:
    """A yes/no veto item: "yes" makes the result vetoed."""

    code: str
    label: LocalText
    help: LocalText = EMPTY_TEXT
    required: bool = True


@dataclass(frozen=True)
class Prerequisite:
    """A reported prerequisite.

    ``rule`` is ``answer`` (met when the boolean answer under ``key`` is true) or
    ``years_since`` (met when the date under ``key`` plus ``years`` is on or before the
    assessment date).
    """

    code: str
    label: LocalText
    rule: Literal["answer", "years_since"]
    key: str
    years: int = 0
    help: LocalText = EMPTY_TEXT


@dataclass(frozen=True)
class NaShareLimit:
    """At most ``share`` (0..1) of a section's item weight may be answered not applicable."""

    section: str
    share: Decimal


@dataclass(frozen=True)
class Level:
    """A level; levels are ordered from high to low and the first one reached applies.

    ``min`` is compared with the scheme's level basis; ``min_section_percent`` requires every
    applicable section to reach that percentage of its maximum; ``requires_prerequisites``
    requires every prerequisite to be met; ``max_na_share`` limits the share of a section's
    item weight answered not applicable. A level without conditions is the fallback.
    """

    code: str
    label: LocalText
    min: Decimal | None = None
    min_section_percent: Decimal | None = None
    requires_prerequisites: bool = False
    max_na_share: tuple[NaShareLimit, ...] = ()

    @property
    def has_conditions(self) -> bool:
        """Whether the level sets any condition (the fallback level sets none)."""
        return (
            self.min is not None
            or self.min_section_percent is not None
            or self.requires_prerequisites
            or bool(self.max_na_share)
        )


CheckOp = Literal["all", "any", "not", "lt", "le", "eq", "ne", "ge", "gt"]


@dataclass(frozen=True)
class Check:
    """A declarative test on the answers: a comparison of two expressions, or a group.

    ``op`` is ``all``, ``any`` or ``not`` (over ``children``) or a comparison ``lt le eq ne ge
    gt`` of the expressions ``left`` and ``right``. An expression is arithmetic over number
    answer keys (see :mod:`.expressions`), or a single date answer key or ``assessment_date``
    compared with another date. ``kind`` ("number" or "date") and ``evaluate`` are filled in by
    the loader; ``evaluate`` returns None when an operand is missing or not computable.
    """

    op: CheckOp
    left: str | None = None
    right: str | None = None
    children: tuple[Check, ...] = ()
    kind: Literal["number", "date"] | None = None
    evaluate: Callable[[Mapping[str, Fraction | None]], bool | None] | None = field(
        default=None, compare=False, repr=False
    )


@dataclass(frozen=True)
class ConsistencyRule:
    """Answers that contradict each other: ``holds`` must not be false (a validation error).

    ``keys`` are the answer keys the rule reads, in the order they appear (derived by the
    loader); the error is reported on every one of them.
    """

    code: str
    holds: Check
    message: LocalText
    keys: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlausibilityRule:
    """Answers that can be true but need a reviewer's eye: a warning when ``when`` is true.

    A warning never changes points or levels. ``keys`` are the answer keys involved, in the
    order they appear (derived by the loader).
    """

    code: str
    when: Check
    message: LocalText
    keys: tuple[str, ...] = ()


@dataclass(frozen=True)
class VetoLevel:
    """The level given to a vetoed result."""

    code: str
    label: LocalText


@dataclass(frozen=True)
class AnswerField:
    """Validation spec of one answer key (derived from inputs, items, bonus and vetoes)."""

    key: str
    kind: Literal["number", "date", "boolean", "choice", "multi"]
    required: bool
    integer: bool = False
    min: Decimal | None = None
    max: Decimal | None = None
    options: frozenset[str] = frozenset()
    na_codes: frozenset[str] = frozenset()
    na_allowed: bool = False
    conditions: tuple[Condition, ...] = ()


@dataclass(frozen=True)
class Scheme:
    """One immutable version of an assessment scheme."""

    code: str
    version: int
    title: LocalText
    description: LocalText
    scoring: Scoring
    level_basis: LevelBasis
    max_score: Decimal
    inputs: tuple[Input, ...]
    sections: tuple[Section, ...]
    bonus: Bonus | None
    vetoes: tuple[Veto, ...]
    prerequisites: tuple[Prerequisite, ...]
    levels: tuple[Level, ...]
    veto_level: VetoLevel
    rules: tuple[ConsistencyRule, ...] = ()
    warnings: tuple[PlausibilityRule, ...] = ()
    answer_fields: tuple[AnswerField, ...] = field(default=(), compare=False, repr=False)

    @property
    def items(self) -> tuple[Item, ...]:
        """All scored items in scheme order."""
        return tuple(item for section in self.sections for item in section.items)

    def item(self, code: str) -> Item:
        """Return the item with ``code`` (KeyError if absent)."""
        for item in self.items:
            if item.code == code:
                return item
        raise KeyError(code)

    def level(self, code: str) -> Level:
        """Return the level with ``code`` (KeyError if absent)."""
        for level in self.levels:
            if level.code == code:
                return level
        raise KeyError(code)

    def rule(self, code: str) -> ConsistencyRule:
        """Return the consistency rule with ``code`` (KeyError if absent)."""
        for rule in self.rules:
            if rule.code == code:
                return rule
        raise KeyError(code)

    def warning(self, code: str) -> PlausibilityRule:
        """Return the plausibility warning rule with ``code`` (KeyError if absent)."""
        for warning in self.warnings:
            if warning.code == code:
                return warning
        raise KeyError(code)
