"""Scoring answers against a scheme: exact arithmetic, rounding only in the result."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from fractions import Fraction
from typing import Any

from .checks import check_env
from .conditions import holds
from .model import Item, Level, PlausibilityRule, Scheme, VetoLevel
from .numbers import FOUR_PLACES, normalized, round_half_up
from .result import (
    AnswerWarning,
    Gap,
    ItemResult,
    ItemValue,
    PrerequisiteResult,
    Result,
    SectionResult,
)
from .validation import InvalidAnswers, ParsedValue, parse_answers, rule_errors

ZERO = Fraction(0)
HUNDRED = Fraction(100)
CACHE_LIMIT = 20_000


# --------------------------------------------------------------------------- compiled plan


@dataclass(frozen=True)
class ItemPlan:
    """Exact, pre-computed scoring data of one item."""

    item: Item
    section_index: int
    size: Fraction  # maximum in section units (points, or item weight for weighted scoring)
    option_points: Mapping[str, Fraction]  # choice/multi: points; conformity: value (0..1)
    option_achieved: Mapping[str, Fraction]  # achieved in section units for each option
    na_codes: frozenset[str]
    bands: tuple[tuple[Fraction, bool, Fraction], ...]
    points: Fraction  # boolean items
    max_points: Fraction  # item max (points scoring)
    unit: int = 1  # common denominator of every amount any item of the scheme can score
    size_units: int = 0  # size in 1/unit steps


@dataclass(frozen=True)
class Plan:
    """Per-scheme data pre-computed once, attached to the Scheme object."""

    items: tuple[ItemPlan, ...]
    number_keys: tuple[str, ...]
    weights: tuple[Fraction, ...]
    max_score: Fraction
    bonus: tuple[tuple[str, Fraction], ...]
    bonus_cap: Fraction
    level_mins: tuple[Fraction | None, ...]
    level_section_pcts: tuple[Fraction | None, ...]
    unit: int  # common denominator of every amount an item can score
    # Per level: (section index, largest N/A share) pairs; per section: its total item weight.
    level_na_limits: tuple[tuple[tuple[int, Fraction], ...], ...] = ()
    section_weights: tuple[Fraction, ...] = ()
    date_keys: tuple[str, ...] = ()
    warnings: tuple[PlausibilityRule, ...] = ()  # ordered by code
    # Exact, immutable results memoised across calls (keys are integers in 1/unit steps).
    cache: dict[tuple[Any, ...], Any] = field(default_factory=dict, compare=False, repr=False)

    def remember(self, key: tuple[Any, ...], value: Any) -> Any:
        """Store ``value`` under ``key`` (the cache is bounded) and return it."""
        if len(self.cache) >= CACHE_LIMIT:
            self.cache.clear()
        self.cache[key] = value
        return value


def units_of(value: Fraction, unit: int) -> int | None:
    """``value`` as a whole number of 1/unit steps, or None when it is not one."""
    denominator = value.denominator
    return None if unit % denominator else value.numerator * (unit // denominator)


def _item_plan(scheme: Scheme, item: Item, index: int) -> ItemPlan:
    weighted = scheme.scoring == "weighted"
    max_points = Fraction(item.max) if item.max is not None else ZERO
    if item.type == "conformity":
        options = {o.code: Fraction(o.value) for o in item.options if o.value is not None}
    else:
        options = {o.code: Fraction(o.points) for o in item.options if o.points is not None}
    size = Fraction(item.weight) if weighted else max_points
    if item.type == "conformity":
        achieved = {code: size * value for code, value in options.items()}
    else:
        achieved = dict(options)
    return ItemPlan(
        item=item,
        section_index=index,
        size=size,
        option_points=options,
        option_achieved=achieved,
        na_codes=frozenset(o.code for o in item.options if o.na),
        bands=tuple((Fraction(b.bound), b.strict, Fraction(b.points)) for b in item.bands),
        points=Fraction(item.points) if item.points is not None else ZERO,
        max_points=max_points,
    )


def code_order(code: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key of a code with numbers in it: W2 before W10."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part) for part in re.findall(r"\d+|\D+", code)
    )


def plan_for(scheme: Scheme) -> Plan:
    """The compiled plan of ``scheme`` (computed on first use and cached on the object)."""
    plan = scheme.__dict__.get("_plan")
    if plan is not None:
        return plan
    raw = [
        _item_plan(scheme, item, index)
        for index, section in enumerate(scheme.sections)
        for item in section.items
    ]
    amounts = [
        a for ip in raw for a in (ip.size, ip.points, ip.max_points, *ip.option_achieved.values())
    ] + [band[2] for ip in raw for band in ip.bands]
    unit = math.lcm(1, *(a.denominator for a in amounts))
    items = tuple(
        replace(ip, unit=unit, size_units=ip.size.numerator * (unit // ip.size.denominator))
        for ip in raw
    )
    bonus = scheme.bonus
    section_index = {s.code: i for i, s in enumerate(scheme.sections)}
    plan = Plan(
        items=items,
        number_keys=tuple(f.key for f in scheme.answer_fields if f.kind == "number"),
        weights=tuple(Fraction(s.weight) for s in scheme.sections),
        max_score=Fraction(scheme.max_score),
        bonus=tuple((b.code, Fraction(b.points)) for b in bonus.items) if bonus else (),
        bonus_cap=Fraction(bonus.cap) if bonus else ZERO,
        level_mins=tuple(None if lv.min is None else Fraction(lv.min) for lv in scheme.levels),
        level_section_pcts=tuple(
            None if lv.min_section_percent is None else Fraction(lv.min_section_percent)
            for lv in scheme.levels
        ),
        unit=unit,
        level_na_limits=tuple(
            tuple(
                (section_index[limit.section], Fraction(limit.share)) for limit in lv.max_na_share
            )
            for lv in scheme.levels
        ),
        section_weights=tuple(
            sum((Fraction(item.weight) for item in s.items), ZERO) for s in scheme.sections
        ),
        date_keys=tuple(f.key for f in scheme.answer_fields if f.kind == "date"),
        warnings=tuple(sorted(scheme.warnings, key=lambda w: code_order(w.code))),
    )
    object.__setattr__(scheme, "_plan", plan)
    return plan


# --------------------------------------------------------------------------- evaluation


@dataclass
class ItemState:
    """Exact state of one item: achieved and maximum in section units.

    ``units`` is ``achieved`` in 1/unit steps (for fast exact sums), or None when it is not a
    whole number of steps (e.g. a reviewer's adjusted points).
    """

    plan: ItemPlan
    applicable: bool
    achieved: Fraction
    value: ItemValue
    computable: bool
    units: int | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        unit = self.plan.unit
        denominator = self.achieved.denominator
        if unit % denominator:
            self.units = None
        else:
            self.units = self.achieved.numerator * (unit // denominator)


@dataclass
class Evaluation:
    """Everything the result and the what-if analysis need, exact."""

    scheme: Scheme
    items: list[ItemState]
    section_applicable: list[bool]
    section_scale: list[Fraction]
    section_achieved: list[Fraction]
    section_size: list[Fraction]
    total: Fraction
    max: Fraction
    raw_bonus: Fraction
    bonus: Fraction
    vetoes: list[str]
    prerequisites: list[tuple[str, bool]]
    level_index: int | None  # None when vetoed
    na_weight: list[Fraction] = field(default_factory=list)  # per section; empty if unused
    warnings: list[AnswerWarning] = field(default_factory=list)

    @property
    def vetoed(self) -> bool:
        """Whether a veto item was answered yes."""
        return bool(self.vetoes)


def add_years(day: dt.date, years: int) -> dt.date:
    """``day`` plus ``years`` calendar years; 29 February falls back to 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def full_years(since: dt.date, on: dt.date) -> int:
    """Complete years elapsed from ``since`` to ``on`` (negative when ``since`` is later)."""
    return on.year - since.year - ((on.month, on.day) < (since.month, since.day))


def band_points(bands: tuple[tuple[Fraction, bool, Fraction], ...], value: Fraction) -> Fraction:
    """Points of the first band the value reaches (``>`` bounds are strict), else 0."""
    for bound, strict, points in bands:
        if value > bound or (not strict and value == bound):
            return points
    return ZERO


def _number_value(value: Fraction, is_name: bool, raw: ParsedValue | None) -> ItemValue:
    if is_name and isinstance(raw, Decimal):
        return normalized(raw)
    return round_half_up(value, FOUR_PLACES)


def _item_state(
    ip: ItemPlan,
    parsed: Mapping[str, ParsedValue],
    env: Mapping[str, Fraction | None],
    on: dt.date,
) -> ItemState:
    item = ip.item
    kind = item.type
    if item.compiled is not None:
        value = item.compiled(env)
        if value is None:
            return ItemState(ip, True, ZERO, None, False)
        is_name = item.expression is not None and item.expression.strip() in env
        raw = parsed.get(item.expression.strip()) if is_name and item.expression else None
        out = _number_value(value, is_name, raw)
        return ItemState(ip, True, band_points(ip.bands, value), out, True)
    answer = parsed.get(item.code)
    if answer is None:  # optional and unanswered: counts as zero points
        return ItemState(ip, True, ZERO, None, True)
    if kind == "conformity":
        if answer in ip.na_codes:
            return ItemState(ip, False, ZERO, answer, True)  # type: ignore[arg-type]
        return ItemState(ip, True, ip.option_achieved[answer], answer, True)  # type: ignore[index]
    if kind == "choice":
        return ItemState(ip, True, ip.option_points[answer], answer, True)  # type: ignore[index]
    if kind == "multi":
        got = sum((ip.option_points[c] for c in answer), ZERO)  # type: ignore[union-attr]
        return ItemState(ip, True, min(got, ip.max_points), answer, True)  # type: ignore[arg-type]
    if kind == "boolean":
        return ItemState(ip, True, ip.points if answer is True else ZERO, answer, True)
    if kind == "date":
        years = full_years(answer, on)  # type: ignore[arg-type]
        return ItemState(ip, True, band_points(ip.bands, Fraction(years)), answer.isoformat(), True)  # type: ignore[union-attr]
    number = Fraction(answer)  # type: ignore[arg-type]
    return ItemState(ip, True, band_points(ip.bands, number), normalized(answer), True)  # type: ignore[arg-type]


def _prerequisites(
    scheme: Scheme, parsed: Mapping[str, ParsedValue], on: dt.date
) -> list[tuple[str, bool]]:
    out = []
    for prereq in scheme.prerequisites:
        answer = parsed.get(prereq.key)
        if prereq.rule == "answer":
            met = answer is True
        else:
            met = isinstance(answer, dt.date) and add_years(answer, prereq.years) <= on
        out.append((prereq.code, met))
    return out


def level_index(
    scheme: Scheme,
    total: Fraction,
    max_: Fraction,
    bonus: Fraction,
    sections: list[tuple[Fraction, Fraction]],
    prerequisites_met: bool,
    na_weight: Sequence[Fraction] | None = None,
) -> int:
    """Index of the first level reached (``sections`` = (score, max) of applicable sections).

    ``na_weight`` is the item weight answered N/A per section; when None, the levels' N/A
    share limits are taken as met (the what-if search reports them as conditions).
    """
    plan = plan_for(scheme)
    if scheme.level_basis == "total_plus_bonus":
        basis = total + bonus
    elif scheme.level_basis == "total":
        basis = total
    else:
        basis = total * HUNDRED / max_ if max_ else ZERO
    last = len(scheme.levels) - 1
    for index, level in enumerate(scheme.levels):
        minimum = plan.level_mins[index]
        if minimum is not None and basis < minimum:
            continue
        pct = plan.level_section_pcts[index]
        if pct is not None and any(score * HUNDRED < pct * mx for score, mx in sections if mx):
            continue
        if level.requires_prerequisites and not prerequisites_met:
            continue
        if na_weight is not None and not na_limits_met(plan, index, na_weight):
            continue
        return index
    return last


def na_limits_met(plan: Plan, level: int, na_weight: Sequence[Fraction]) -> bool:
    """Whether the N/A answers stay within the level's limits (exact comparison)."""
    for section, share in plan.level_na_limits[level] if plan.level_na_limits else ():
        if na_weight[section] > share * plan.section_weights[section]:
            return False
    return True


def _na_weight(plan: Plan, states: list[ItemState]) -> list[Fraction]:
    out = [ZERO] * len(plan.section_weights)
    for state in states:
        ip = state.plan
        if not state.applicable and state.value in ip.na_codes:
            out[ip.section_index] += Fraction(ip.item.weight)
    return out


def _warnings(
    plan: Plan, parsed: Mapping[str, ParsedValue], env: Mapping[str, Fraction | None], on: dt.date
) -> list[AnswerWarning]:
    if not plan.warnings:
        return []
    full = dict(env)
    full.update(check_env(parsed, (), plan.date_keys, on))
    return [
        AnswerWarning(w.code, w.keys)
        for w in plan.warnings
        if w.when.evaluate(full) is True  # type: ignore[misc]
    ]


def _scales(
    scheme: Scheme, applicable: list[bool], size_units: list[int]
) -> tuple[list[Fraction], list[Fraction], Fraction]:
    """Section sizes, scales (section units -> points) and the maximum, from integer sizes."""
    plan = plan_for(scheme)
    size = [Fraction(u, plan.unit) for u in size_units]
    scale = _scale(scheme, applicable, size)
    max_ = sum((size[i] * scale[i] for i in range(len(size))), ZERO)
    return size, scale, max_


def _scale(scheme: Scheme, applicable: list[bool], size: list[Fraction]) -> list[Fraction]:
    plan = plan_for(scheme)
    n = len(size)
    if scheme.scoring != "weighted":
        return [Fraction(1) if applicable[i] else ZERO for i in range(n)]
    live = sum((w for w, a in zip(plan.weights, applicable, strict=True) if a), ZERO)
    return [
        plan.weights[i] * plan.max_score / (live * size[i]) if applicable[i] and size[i] else ZERO
        for i in range(n)
    ]


def aggregate(
    scheme: Scheme,
    states: list[ItemState],
    section_visible: list[bool],
) -> tuple[list[bool], list[Fraction], list[Fraction], list[Fraction], Fraction, Fraction]:
    """Section applicability, scale (section units -> points), achieved, size; total; max."""
    plan = plan_for(scheme)
    n = len(scheme.sections)
    applicable = [False] * n
    if all(state.units is not None for state in states):
        # Fast path: exact integer sums in 1/unit steps.
        achieved_units = [0] * n
        size_units = [0] * n
        for state in states:
            if state.applicable:
                i = state.plan.section_index
                achieved_units[i] += state.units  # type: ignore[operator]
                size_units[i] += state.plan.size_units
                applicable[i] = True
        applicable = [a and v for a, v in zip(applicable, section_visible, strict=True)]
        key = ("scale", tuple(applicable), tuple(size_units))
        cached = plan.cache.get(key) or plan.remember(key, _scales(scheme, applicable, size_units))
        size, scale, max_ = cached
        achieved = [Fraction(u, plan.unit) for u in achieved_units]
        total = sum((achieved[i] * scale[i] for i in range(n) if achieved_units[i]), ZERO)
        return applicable, list(scale), achieved, list(size), total, max_
    # Exact path (e.g. a reviewer's adjusted points that are not whole 1/unit steps).
    achieved = [ZERO] * n
    size = [ZERO] * n
    for state in states:
        if state.applicable:
            i = state.plan.section_index
            achieved[i] += state.achieved
            size[i] += state.plan.size
            applicable[i] = True
    applicable = [a and v for a, v in zip(applicable, section_visible, strict=True)]
    scale = _scale(scheme, applicable, size)
    total = sum((achieved[i] * scale[i] for i in range(n)), ZERO)
    max_ = sum((size[i] * scale[i] for i in range(n)), ZERO)
    return applicable, scale, achieved, size, total, max_


def evaluate(
    scheme: Scheme, parsed: Mapping[str, ParsedValue], on: dt.date, raw: Mapping[str, Any]
) -> Evaluation:
    """Exact evaluation of already parsed answers (see :func:`score`)."""
    plan = plan_for(scheme)
    env: dict[str, Fraction | None] = {}
    for key in plan.number_keys:
        value = parsed.get(key)
        env[key] = Fraction(value) if isinstance(value, Decimal) else None  # type: ignore[arg-type]
    section_visible = [holds(s.condition, raw) for s in scheme.sections]
    states = []
    for ip in plan.items:
        item = ip.item
        if not section_visible[ip.section_index] or (
            item.condition is not None and not holds(item.condition, raw)
        ):
            states.append(ItemState(ip, False, ZERO, None, True))
        else:
            states.append(_item_state(ip, parsed, env, on))
    applicable, scale, achieved, size, total, max_ = aggregate(scheme, states, section_visible)
    raw_bonus = sum((pts for code, pts in plan.bonus if parsed.get(code) is True), ZERO)
    bonus = min(raw_bonus, plan.bonus_cap)
    vetoes = [v.code for v in scheme.vetoes if parsed.get(v.code) is True]
    prereqs = _prerequisites(scheme, parsed, on)
    na_weight = _na_weight(plan, states) if any(plan.level_na_limits) else []
    index = None
    if not vetoes:
        sections = [
            (achieved[i] * scale[i], size[i] * scale[i]) for i in range(len(size)) if applicable[i]
        ]
        met = all(m for _, m in prereqs)
        index = level_index(scheme, total, max_, bonus, sections, met, na_weight or None)
    return Evaluation(
        scheme, states, applicable, scale, achieved, size, total, max_, raw_bonus, bonus,
        vetoes, prereqs, index, na_weight, _warnings(plan, parsed, env, on),
    )  # fmt: skip


# --------------------------------------------------------------------------- result


def _percent(part: Fraction, whole: Fraction) -> Decimal | None:
    return round_half_up(part * HUNDRED / whole) if whole else None


def _section_result(ev: Evaluation, i: int, code: str) -> SectionResult:
    score = ev.section_achieved[i] * ev.section_scale[i]
    mx = ev.section_size[i] * ev.section_scale[i]
    applicable = ev.section_applicable[i]
    percent = _percent(score, mx) if applicable else None
    return SectionResult(code, round_half_up(score), round_half_up(mx), percent, applicable)


def _gaps(lost: list[tuple[Fraction, int, Item, Decimal]]) -> tuple[Gap, ...]:
    """Gaps ordered by points lost (exactly, largest first), then scheme order."""
    if not lost:
        return ()
    common = math.lcm(*{entry[0].denominator for entry in lost})
    lost.sort(key=lambda e: (-e[0].numerator * (common // e[0].denominator), e[1]))
    return tuple(Gap(item.code, item.section, rounded) for _, _, item, rounded in lost)


_Scaled = tuple[Decimal, Decimal, Fraction, Decimal]  # points, max, lost (exact), lost


def _scaled_item(achieved: Fraction, size: Fraction, scale: Fraction) -> _Scaled:
    points = achieved * scale
    mx = size * scale
    lost = mx - points
    return round_half_up(points), round_half_up(mx), lost, round_half_up(lost)


def build_result(ev: Evaluation) -> Result:
    """Round an evaluation into the published Result."""
    scheme = ev.scheme
    level: Level | VetoLevel = (
        scheme.veto_level if ev.level_index is None else scheme.levels[ev.level_index]
    )
    plan = plan_for(scheme)
    live = tuple(ev.section_applicable)
    section_units = [units_of(size, plan.unit) for size in ev.section_size]
    sections = []
    for i, section in enumerate(scheme.sections):
        achieved_units = units_of(ev.section_achieved[i], plan.unit)
        key = ("section", i, achieved_units, section_units[i], live)
        fast = achieved_units is not None and section_units[i] is not None
        cached = plan.cache.get(key) if fast else None
        if cached is None:
            cached = _section_result(ev, i, section.code)
            if fast:
                plan.remember(key, cached)
        sections.append(cached)
    items = []
    lost: list[tuple[Fraction, int, Item, Decimal]] = []
    # Many items share a section scale and answer value: memoise the exact products. Integer
    # keys hash fast: (section, achieved, size) in 1/unit steps, else the exact amounts.
    memo: dict[tuple[Any, ...], _Scaled] = {}
    zero = round_half_up(ZERO)
    for order, state in enumerate(ev.items):
        ip = state.plan
        s = ip.section_index
        if state.applicable and ev.section_applicable[s]:
            if state.units is None or section_units[s] is None:
                key: tuple[Any, ...] = (s, state.achieved, ip.size, ev.section_scale[s])
                cache = memo
            else:
                key = ("item", s, state.units, ip.size_units, section_units[s], live)
                cache = plan.cache
            scaled = cache.get(key)
            if scaled is None:
                scaled = _scaled_item(state.achieved, ip.size, ev.section_scale[s])
                if cache is memo:
                    memo[key] = scaled
                else:
                    plan.remember(key, scaled)
            points_out, mx_out, missing, missing_out = scaled
            if missing > 0:
                lost.append((missing, order, ip.item, missing_out))
        else:
            points_out = mx_out = zero
        items.append(ItemResult(ip.item.code, points_out, mx_out, state.value, state.computable))
    return Result(
        scheme=scheme.code,
        version=scheme.version,
        total=round_half_up(ev.total),
        max=round_half_up(ev.max),
        percent=_percent(ev.total, ev.max),
        bonus=round_half_up(ev.bonus),
        level=level.code,
        vetoed=ev.vetoed,
        vetoes=tuple(ev.vetoes),
        prerequisites=tuple(PrerequisiteResult(c, m) for c, m in ev.prerequisites),
        sections=tuple(sections),
        items=tuple(items),
        gaps=_gaps(lost),
        not_computable=tuple(s.plan.item.code for s in ev.items if not s.computable),
        warnings=tuple(ev.warnings),
    )


def as_date(on: dt.date | str) -> dt.date:
    """The assessment date from a date, a datetime or an ISO ``YYYY-MM-DD`` string."""
    if isinstance(on, dt.datetime):
        return on.date()
    if isinstance(on, dt.date):
        return on
    return dt.date.fromisoformat(on)


def evaluate_answers(scheme: Scheme, answers: Mapping[str, Any], on: dt.date | str) -> Evaluation:
    """Validate and evaluate exactly; raises :class:`InvalidAnswers` on bad answers."""
    parsed, errors = parse_answers(scheme, answers)
    day = as_date(on)
    errors += rule_errors(scheme, parsed, day)
    if errors:
        raise InvalidAnswers(errors)
    return evaluate(scheme, parsed, day, answers)


def score(scheme: Scheme, answers: Mapping[str, Any], on: dt.date | str) -> Result:
    """Score ``answers`` under ``scheme`` on the assessment date ``on``.

    The result holds codes and numbers only; words come from the presentation layer.
    Raises :class:`InvalidAnswers` when the answers do not validate.
    """
    return build_result(evaluate_answers(scheme, answers, on))
