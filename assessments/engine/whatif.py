"""What-if analysis: the fewest item improvements that reach the next level.

Search: every applicable item (and, where the level counts bonus, every bonus item not yet
claimed) offers its upgrade steps. The smallest feasible set size ``k`` is bounded below by
the sum of the ``k`` largest gains; sets of that size are then searched depth-first over the
candidates ordered by gain, pruned by the same bound and capped. Each found set's targets are
then lowered to the smallest step that still works. Prerequisites a level requires are assumed
met during the search and reported as conditions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from itertools import accumulate
from typing import Any

from .model import Scheme
from .numbers import round_half_up
from .result import Result
from .scoring import (
    HUNDRED,
    ZERO,
    Evaluation,
    ItemState,
    evaluate_answers,
    level_index,
    plan_for,
)

MAX_SETS = 3
RESULT_CAP = 60
NODE_CAP = 20_000


@dataclass(frozen=True)
class Improvement:
    """Raise one item from its current points to ``target`` points."""

    item: str
    section: str | None  # None for a bonus item
    current: Decimal
    target: Decimal
    added: Decimal
    answer: str | None  # option code, ">=bound" / ">bound" for banded figures, "true"


@dataclass(frozen=True)
class ImprovementSet:
    """A set of improvements that together reach the target level."""

    improvements: tuple[Improvement, ...]
    added: Decimal


@dataclass(frozen=True)
class Condition:
    """A condition of the target level besides points (section minimum, prerequisite, N/A share).

    For ``max_na_share``, ``required`` is the largest allowed and ``current`` the actual share of
    the section's item weight answered N/A, both in percent.
    """

    kind: str  # "section_min_percent" | "prerequisite" | "max_na_share"
    code: str
    required: Decimal | None = None
    current: Decimal | None = None


@dataclass(frozen=True)
class WhatIf:
    """What it would take to reach the next level."""

    current_level: str
    target_level: str | None
    reachable: bool
    reason: str | None  # "vetoed", "top_level", "unreachable" or None
    sets: tuple[ImprovementSet, ...]
    conditions: tuple[Condition, ...]


@dataclass(frozen=True)
class _Step:
    achieved: Fraction  # new achieved value, in section units (or raw bonus points)
    points: Fraction  # new points
    answer: str | None


@dataclass(frozen=True)
class _Candidate:
    order: int
    code: str
    section: int | None  # None for bonus
    current: Fraction  # current points
    current_achieved: Fraction
    steps: tuple[_Step, ...]  # ascending
    gain: Fraction  # upper bound of the basis gain at the top step


def _steps(state: ItemState, scale: Fraction) -> list[_Step]:
    ip = state.plan
    item = ip.item
    out: dict[Fraction, _Step] = {}

    def offer(achieved: Fraction, answer: str | None) -> None:
        if achieved > state.achieved and achieved not in out:
            out[achieved] = _Step(achieved, achieved * scale, answer)

    if item.type == "conformity":
        for code, value in sorted(ip.option_points.items(), key=lambda kv: kv[1]):
            offer(ip.size * value, code)
    elif item.type == "choice":
        for option in item.options:
            offer(ip.option_points[option.code], option.code)
    elif item.type in ("number", "date") and ip.bands:
        for band in reversed(item.bands):
            offer(Fraction(band.points), (">" if band.strict else ">=") + str(band.bound))
    elif item.type == "boolean":
        offer(ip.points, "true")
    elif item.type == "multi":
        offer(ip.max_points, None)
    return [out[k] for k in sorted(out)]


class _Search:
    def __init__(self, scheme: Scheme, ev: Evaluation, target: int, claimed: frozenset[str]):
        self.claimed = claimed
        self.scheme = scheme
        self.ev = ev
        self.target = target
        self.candidates = self._candidates()
        self.nodes = 0

    # -- model ---------------------------------------------------------------
    def _basis_factor(self) -> Fraction:
        if self.scheme.level_basis == "percent":
            return HUNDRED / self.ev.max if self.ev.max else ZERO
        return Fraction(1)

    def _candidates(self) -> list[_Candidate]:
        ev = self.ev
        factor = self._basis_factor()
        cands: list[_Candidate] = []
        for order, state in enumerate(ev.items):
            s = state.plan.section_index
            if not (state.applicable and ev.section_applicable[s]):
                continue
            scale = ev.section_scale[s]
            steps = _steps(state, scale)
            if steps:
                current = state.achieved * scale
                gain = (steps[-1].points - current) * factor
                cands.append(_Candidate(order, state.plan.item.code, s, current, state.achieved,
                                        tuple(steps), gain))  # fmt: skip
        if self.scheme.level_basis == "total_plus_bonus" and self.scheme.bonus:
            room = max(ZERO, Fraction(self.scheme.bonus.cap) - ev.bonus)
            base = len(ev.items)
            for i, b in enumerate(self.scheme.bonus.items):
                if room and b.code not in self.claimed:
                    pts = Fraction(b.points)
                    step = _Step(pts, pts, "true")
                    cands.append(_Candidate(base + i, b.code, None, ZERO, ZERO, (step,),
                                            min(pts, room)))  # fmt: skip
        cands.sort(key=lambda c: (-c.gain, c.order))
        return cands

    def reaches(self, chosen: Mapping[int, _Step]) -> bool:
        """Whether applying the chosen steps (candidate index -> step) reaches the target."""
        ev = self.ev
        achieved = list(ev.section_achieved)
        raw_bonus = ev.raw_bonus
        for index, step in chosen.items():
            cand = self.candidates[index]
            if cand.section is None:
                raw_bonus += step.achieved
            else:
                achieved[cand.section] += step.achieved - cand.current_achieved
        scale = ev.section_scale
        n = len(achieved)
        total = sum((achieved[i] * scale[i] for i in range(n)), ZERO)
        cap = Fraction(self.scheme.bonus.cap) if self.scheme.bonus else ZERO
        sections = [
            (achieved[i] * scale[i], ev.section_size[i] * scale[i])
            for i in range(n)
            if ev.section_applicable[i]
        ]
        index = level_index(self.scheme, total, ev.max, min(raw_bonus, cap), sections, True)
        return index <= self.target

    # -- search --------------------------------------------------------------
    def needed(self) -> Fraction:
        """How far the level basis is below the target level's minimum."""
        level_min = self.scheme.levels[self.target].min
        if level_min is None:
            return ZERO
        ev = self.ev
        if self.scheme.level_basis == "total_plus_bonus":
            basis = ev.total + ev.bonus
        elif self.scheme.level_basis == "total":
            basis = ev.total
        else:
            basis = ev.total * HUNDRED / ev.max if ev.max else ZERO
        return Fraction(level_min) - basis

    def top(self, chosen: tuple[int, ...]) -> dict[int, _Step]:
        """The chosen candidates at their highest step."""
        return {i: self.candidates[i].steps[-1] for i in chosen}

    def sets_of_size(self, k: int, needed: Fraction) -> list[tuple[int, ...]]:
        """Sets of ``k`` candidates that reach the target (bounded depth-first search)."""
        gains = [c.gain for c in self.candidates]
        prefix = [ZERO, *accumulate(gains)]
        n = len(gains)
        found: list[tuple[int, ...]] = []
        chosen: list[int] = []

        def dfs(start: int, gain: Fraction, left: int) -> None:
            if left == 0:
                self.nodes += 1
                if self.reaches(self.top(tuple(chosen))):
                    found.append(tuple(chosen))
                return
            for i in range(start, n - left + 1):
                if gain + prefix[i + left] - prefix[i] < needed:
                    break
                if len(found) >= RESULT_CAP or self.nodes >= NODE_CAP:
                    return
                chosen.append(i)
                dfs(i + 1, gain + gains[i], left - 1)
                chosen.pop()

        dfs(0, ZERO, k)
        return found

    def greedy(self) -> tuple[int, ...] | None:
        """A feasible set by gain order, then thinned; None when nothing reaches."""
        chosen: list[int] = []
        for i in range(len(self.candidates)):
            chosen.append(i)
            if self.reaches(self.top(tuple(chosen))):
                break
        else:
            return None
        for i in list(reversed(chosen)):
            trial = [c for c in chosen if c != i]
            if self.reaches(self.top(tuple(trial))):
                chosen = trial
        return tuple(chosen)

    def minimise(self, chosen: tuple[int, ...]) -> dict[int, _Step]:
        """Lower each chosen item to the smallest step that keeps the set working."""
        steps = self.top(chosen)
        for i in sorted(chosen, key=lambda c: self.candidates[c].order):
            for step in self.candidates[i].steps:
                trial = {**steps, i: step}
                if self.reaches(trial):
                    steps = trial
                    break
        return steps


def _improvement_set(search: _Search, steps: Mapping[int, _Step]) -> ImprovementSet:
    """Report steps in scheme order; bonus gains are limited to the room left under the cap."""
    scheme = search.scheme
    room = max(ZERO, Fraction(scheme.bonus.cap) - search.ev.bonus) if scheme.bonus else ZERO
    out = []
    total = ZERO
    for i in sorted(steps, key=lambda c: search.candidates[c].order):
        cand = search.candidates[i]
        step = steps[i]
        added = step.points - cand.current
        if cand.section is None:
            added = min(added, room)
            room -= added
        total += added
        section = None if cand.section is None else scheme.sections[cand.section].code
        out.append(
            Improvement(cand.code, section, round_half_up(cand.current),
                        round_half_up(step.points), round_half_up(added), step.answer)
        )  # fmt: skip
    return ImprovementSet(tuple(out), round_half_up(total))


def _conditions(scheme: Scheme, ev: Evaluation, target: int) -> list[Condition]:
    level = scheme.levels[target]
    out: list[Condition] = []
    if level.min_section_percent is not None:
        pct = Fraction(level.min_section_percent)
        for i, section in enumerate(scheme.sections):
            if not ev.section_applicable[i]:
                continue
            score = ev.section_achieved[i] * ev.section_scale[i]
            mx = ev.section_size[i] * ev.section_scale[i]
            if mx and score * HUNDRED < pct * mx:
                current = round_half_up(score * HUNDRED / mx)
                out.append(
                    Condition("section_min_percent", section.code, level.min_section_percent,
                              current)
                )  # fmt: skip
    if level.requires_prerequisites:
        out.extend(Condition("prerequisite", code) for code, met in ev.prerequisites if not met)
    plan = plan_for(scheme)
    for limit in level.max_na_share:
        i = next(n for n, s in enumerate(scheme.sections) if s.code == limit.section)
        weight = plan.section_weights[i]
        share = ev.na_weight[i] / weight if ev.na_weight and weight else ZERO
        if share > Fraction(limit.share):
            out.append(
                Condition("max_na_share", limit.section, round_half_up(Fraction(limit.share)
                          * HUNDRED), round_half_up(share * HUNDRED))
            )  # fmt: skip
    return out


def what_if(
    scheme: Scheme, answers: Mapping[str, Any], on: dt.date, result: Result | None = None
) -> WhatIf:
    """The smallest sets of item improvements that would reach the next level.

    ``result`` (optional) is the already computed result of the same answers; the analysis is
    done on exact values recomputed from ``answers``.
    """
    ev = evaluate_answers(scheme, answers, on)
    if ev.level_index is None:
        return WhatIf(scheme.veto_level.code, None, False, "vetoed", (), ())
    current = scheme.levels[ev.level_index].code
    if ev.level_index == 0:
        return WhatIf(current, None, False, "top_level", (), ())
    target = ev.level_index - 1
    claimed = frozenset(code for code, _ in _bonus_claims(scheme, answers))
    search = _Search(scheme, ev, target, claimed)
    conditions = tuple(_conditions(scheme, ev, target))
    target_code = scheme.levels[target].code
    if search.reaches({}):
        return WhatIf(current, target_code, True, None, (ImprovementSet((), Decimal("0.00")),),
                      conditions)  # fmt: skip
    all_top = tuple(range(len(search.candidates)))
    if not search.reaches(search.top(all_top)):
        return WhatIf(current, target_code, False, "unreachable", (), conditions)
    needed = search.needed()
    gains = [c.gain for c in search.candidates]
    found: list[tuple[int, ...]] = []
    running = ZERO
    for k in range(1, len(gains) + 1):
        running += gains[k - 1]
        if running < needed:
            continue
        found = search.sets_of_size(k, needed)
        if found or search.nodes >= NODE_CAP:
            break
    if not found:
        greedy = search.greedy()
        found = [greedy] if greedy is not None else []
    found.sort(key=lambda s: (-sum(gains[i] for i in s), s))
    sets = [_improvement_set(search, search.minimise(s)) for s in found[:MAX_SETS]]
    return WhatIf(current, target_code, True, None, tuple(sets), conditions)


def _bonus_claims(scheme: Scheme, answers: Mapping[str, Any]) -> list[tuple[str, bool]]:
    if scheme.bonus is None:
        return []
    return [(b.code, True) for b in scheme.bonus.items if answers.get(b.code) is True]


def what_if_to_dict(what: WhatIf) -> dict[str, Any]:
    """JSON-ready form of a WhatIf (numbers as Decimal; use ``result.dumps`` to serialise)."""
    return {
        "current_level": what.current_level,
        "target_level": what.target_level,
        "reachable": what.reachable,
        "reason": what.reason,
        "sets": [
            {
                "added": s.added,
                "improvements": [
                    {
                        "item": i.item,
                        "section": i.section,
                        "current": i.current,
                        "target": i.target,
                        "added": i.added,
                        "answer": i.answer,
                    }
                    for i in s.improvements
                ],
            }
            for s in what.sets
        ],
        "conditions": [
            {"kind": c.kind, "code": c.code, "required": c.required, "current": c.current}
            for c in what.conditions
        ],
    }
