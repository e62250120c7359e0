"""The wizard's step plan, derived from one scheme version (no database, no Django forms).

Steps, in order:

* ``general``: the raw inputs no scored item reads (e.g. the founding date, prerequisites);
* one step per section holding its directly answered items and the raw figures its derived
  indicators are computed from (each figure in the first section that reads it); a section
  with more than :data:`MAX_FIELDS` answers is split into balanced parts (``…-2``, ``…-3``);
* ``bonus`` and ``declarations`` (veto items) when the scheme has them.

Every field carries the conditions under which it is shown (section and item conditions);
a step is shown when at least one of its fields is.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, localcontext
from fractions import Fraction
from typing import Any

from assessments import engine
from assessments.engine.conditions import holds
from assessments.engine.model import Condition, LocalText, Option
from assessments.engine.numbers import parse_number

MAX_FIELDS = 10

GENERAL = "general"
BONUS = "bonus"
DECLARATIONS = "declarations"

GENERAL_TITLE = LocalText("基本信息", "General information")
BONUS_TITLE = LocalText("加分项", "Bonus items")
DECLARATIONS_TITLE = LocalText("否决项声明", "Declarations (veto items)")


@dataclass(frozen=True)
class FieldSpec:
    """One answer the wizard asks for."""

    key: str
    kind: str  # number, date, boolean, choice, multi, conformity
    label: LocalText
    help: LocalText
    required: bool
    integer: bool = False
    min: Decimal | None = None
    max: Decimal | None = None
    unit: LocalText | None = None
    options: tuple[Option, ...] = ()
    na_allowed: bool = True
    conditions: tuple[Condition, ...] = ()
    role: str = "input"  # input, item, bonus, veto

    def shown(self, answers: Mapping[str, Any]) -> bool:
        return all(holds(c, answers) for c in self.conditions)


@dataclass(frozen=True)
class DerivedSpec:
    """A scored item computed from raw figures (shown read-only on its section's step)."""

    code: str
    label: LocalText
    expression: str
    names: tuple[str, ...]
    conditions: tuple[Condition, ...] = ()


@dataclass(frozen=True)
class StepSpec:
    key: str
    title: LocalText
    part: int = 1
    parts: int = 1
    section: str | None = None
    fields: tuple[FieldSpec, ...] = ()
    derived: tuple[DerivedSpec, ...] = field(default=())

    def shown(self, answers: Mapping[str, Any]) -> bool:
        return any(f.shown(answers) for f in self.fields)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(f.key for f in self.fields)


@dataclass(frozen=True)
class Plan:
    scheme: engine.Scheme
    steps: tuple[StepSpec, ...]

    def step(self, key: str) -> StepSpec:
        for step in self.steps:
            if step.key == key:
                return step
        raise KeyError(key)

    def visible_steps(self, answers: Mapping[str, Any]) -> list[StepSpec]:
        return [s for s in self.steps if s.shown(answers)]

    def field(self, key: str) -> FieldSpec | None:
        return self.fields_by_key.get(key)

    @property
    def fields_by_key(self) -> dict[str, FieldSpec]:
        cached = self.__dict__.get("_fields")
        if cached is None:
            cached = {f.key: f for s in self.steps for f in s.fields}
            object.__setattr__(self, "_fields", cached)
        return cached


def _slug(code: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", code.lower()).strip("-") or "x"


def _input_field(inp) -> FieldSpec:
    return FieldSpec(
        key=inp.code,
        kind=inp.type,
        label=inp.label,
        help=inp.help,
        required=inp.required,
        integer=inp.integer,
        min=inp.min,
        max=inp.max,
        unit=inp.unit,
        options=inp.options,
        conditions=(inp.condition,) if inp.condition else (),
    )


def _item_field(item, section) -> FieldSpec:
    conds = tuple(c for c in (section.condition, item.condition) if c is not None)
    return FieldSpec(
        key=item.code,
        kind=item.type,
        label=item.text,
        help=item.help,
        required=item.required,
        integer=item.integer,
        min=item.min,
        max=item.max_value,
        unit=item.unit,
        options=item.options,
        na_allowed=item.na_allowed,
        conditions=conds,
        role="item",
    )


def _split(fields: list[FieldSpec]) -> list[list[FieldSpec]]:
    if len(fields) <= MAX_FIELDS:
        return [fields]
    parts = math.ceil(len(fields) / MAX_FIELDS)
    size = math.ceil(len(fields) / parts)
    return [fields[i : i + size] for i in range(0, len(fields), size)]


def build_plan(scheme: engine.Scheme) -> Plan:
    """The steps of ``scheme`` (cached on the scheme object, which is immutable)."""
    cached = scheme.__dict__.get("_wizard_plan")
    if cached is not None:
        return cached
    inputs = {inp.code: inp for inp in scheme.inputs}
    placed: set[str] = set()
    steps: list[StepSpec] = []
    section_steps: list[StepSpec] = []
    for section in scheme.sections:
        fields: list[FieldSpec] = []
        derived: list[DerivedSpec] = []
        for item in section.items:
            if item.is_answer:
                fields.append(_item_field(item, section))
                continue
            read = engine.compile_expression(item.expression or "").names
            names = tuple(n for n in inputs if n in read) + tuple(sorted(read - set(inputs)))
            for name in names:
                if name in inputs and name not in placed:
                    placed.add(name)
                    fields.append(_input_field(inputs[name]))
            conds = tuple(c for c in (section.condition, item.condition) if c is not None)
            derived.append(DerivedSpec(item.code, item.text, item.expression or "", names, conds))
        chunks = _split(fields) if fields else [[]]
        slug = f"section-{_slug(section.code)}"
        homes = {}
        for d in derived:  # each indicator goes with the part holding its first figure
            homes[d.code] = next(
                (i for i, chunk in enumerate(chunks) if set(d.names) & {f.key for f in chunk}), 0
            )
        for number, chunk in enumerate(chunks, start=1):
            key = slug if number == 1 else f"{slug}-{number}"
            own = tuple(d for d in derived if homes[d.code] == number - 1)
            section_steps.append(
                StepSpec(
                    key=key,
                    title=section.title,
                    part=number,
                    parts=len(chunks),
                    section=section.code,
                    fields=tuple(chunk),
                    derived=own,
                )
            )
    general = [_input_field(inp) for inp in scheme.inputs if inp.code not in placed]
    for number, chunk in enumerate(_split(general) if general else [], start=1):
        steps.append(
            StepSpec(
                key=GENERAL if number == 1 else f"{GENERAL}-{number}",
                title=GENERAL_TITLE,
                part=number,
                parts=math.ceil(len(general) / MAX_FIELDS),
                fields=tuple(chunk),
            )
        )
    # A section with only derived items and no figure of its own still shows its indicators:
    # attach them to the step that holds the first figure they read.
    steps.extend(s for s in section_steps if s.fields)
    orphan = [d for s in section_steps if not s.fields for d in s.derived]
    if orphan:
        steps = [_with_derived(s, [d for d in orphan if set(d.names) & set(s.keys)]) for s in steps]
    if scheme.bonus and scheme.bonus.items:
        bonus = [
            FieldSpec(b.code, "boolean", b.label, b.help, b.required, role="bonus")
            for b in scheme.bonus.items
        ]
        steps.append(StepSpec(BONUS, BONUS_TITLE, fields=tuple(bonus)))
    if scheme.vetoes:
        vetoes = [
            FieldSpec(v.code, "boolean", v.label, v.help, v.required, role="veto")
            for v in scheme.vetoes
        ]
        for number, chunk in enumerate(_split(vetoes), start=1):
            steps.append(
                StepSpec(
                    DECLARATIONS if number == 1 else f"{DECLARATIONS}-{number}",
                    DECLARATIONS_TITLE,
                    part=number,
                    parts=math.ceil(len(vetoes) / MAX_FIELDS),
                    fields=tuple(chunk),
                )
            )
    plan = Plan(scheme, tuple(steps))
    object.__setattr__(scheme, "_wizard_plan", plan)
    return plan


def _with_derived(step: StepSpec, extra: list[DerivedSpec]) -> StepSpec:
    if not extra:
        return step
    return StepSpec(
        step.key,
        step.title,
        step.part,
        step.parts,
        step.section,
        step.fields,
        step.derived + tuple(d for d in extra if d not in step.derived),
    )


# --------------------------------------------------------------------------- derived values


@dataclass(frozen=True)
class DerivedValue:
    spec: DerivedSpec
    value: Decimal | None
    missing: tuple[str, ...]  # figures not answered yet
    zero: tuple[str, ...]  # figures that are zero (a ratio with a zero denominator)

    @property
    def computable(self) -> bool:
        return self.value is not None


def derived_values(step: StepSpec, answers: Mapping[str, Any]) -> list[DerivedValue]:
    """The current value of each derived indicator on a step, or why it cannot be computed."""
    out = []
    for spec in step.derived:
        if not all(holds(c, answers) for c in spec.conditions):
            continue
        env: dict[str, Fraction | None] = {}
        missing = []
        zero = []
        for name in spec.names:
            number = parse_number(answers.get(name))
            if number is None:
                missing.append(name)
            elif number == 0:
                zero.append(name)
            env[name] = None if number is None else Fraction(number)
        value = None
        if not missing:
            result = engine.compile_expression(spec.expression).evaluate(env)
            if result is not None:
                with localcontext(prec=80):  # products of large figures stay exact enough
                    value = (Decimal(result.numerator) / Decimal(result.denominator)).quantize(
                        Decimal("0.0001")
                    )
        if value is None and zero:
            # Name the figures divided by (``a / b``) when the expression says so plainly.
            divisors = set(re.findall(r"/\s*([A-Za-z_][A-Za-z0-9_]*)", spec.expression))
            zero = [n for n in zero if n in divisors] or zero
        out.append(DerivedValue(spec, value, tuple(missing), tuple(zero)))
    return out
