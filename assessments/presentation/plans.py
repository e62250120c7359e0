"""An improvement plan in words: its targets (the gaps and the path to the next level) and,
on a later result, the progress made on each (actions done and the points the item gained).

Callers pass the scheme, the stored results and answers, and counts of actions; nothing here
reads the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from assessments import engine

from . import labels, numbers, rows
from .answers import words
from .summary import as_result


@dataclass(frozen=True)
class Target:
    """An item the plan can act on: a gap, a step of the shortest path to the next level, or
    both."""

    code: str
    reference: str
    label: str
    section: str
    lost: str  # points lost ("" for a bonus item, which loses nothing)
    lost_value: Decimal | None
    recommendation: str
    on_path: bool
    path_text: str  # "+6.00 points: 实施 (0.00 → 6.00)" when on the shortest path


@dataclass(frozen=True)
class ProgressRow:
    code: str
    label: str
    done: int
    actions: int  # actions not dropped
    done_text: str  # "2 / 3"
    before: str
    now: str
    gained: str  # "+4.00"
    gained_value: Decimal | None


@dataclass(frozen=True)
class ProgressView:
    plan_date: dt.date | None
    rows: tuple[ProgressRow, ...]
    done: int
    actions: int
    summary: str  # "4 of 6 actions done; these items gained +8.00 points."
    total_change: str  # "+5.00"


def targets(
    scheme: engine.Scheme,
    result: engine.Result | Mapping[str, Any],
    answers: Mapping[str, Any],
    assessed_on: dt.date,
    lang: str,
) -> list[Target]:
    """The gaps (largest loss first), then the items of the shortest path that are no gap."""
    result = as_result(result)
    path = rows.what_if_view(scheme, engine.what_if(scheme, answers, assessed_on, result), lang)
    steps = {s.code: s for s in (path.sets[0].steps if path.sets else ())}
    lost = {g.item: g.lost for g in result.gaps}
    with words(lang):

        def path_text(code: str) -> str:
            step = steps.get(code)
            if step is None:
                return ""
            return _("%(added)s points on the shortest path: %(answer)s (%(now)s → %(then)s)") % {
                "added": f"+{step.added}",
                "answer": step.answer or "–",
                "now": step.current,
                "then": step.target,
            }

        out = [
            Target(
                code=g.code,
                reference=g.reference,
                label=g.label,
                section=g.section,
                lost=g.lost,
                lost_value=lost.get(g.code),
                recommendation=g.recommendation,
                on_path=g.code in steps,
                path_text=path_text(g.code),
            )
            for g in rows.gap_rows(scheme, result, lang)
        ]
        gaps = {t.code for t in out}
        for code, step in steps.items():
            if code not in gaps:
                out.append(
                    Target(
                        code=code,
                        reference=labels.item_reference(code),
                        label=step.label,
                        section=step.section,
                        lost="",
                        lost_value=None,
                        recommendation=labels.recommendation(scheme, code, lang),
                        on_path=True,
                        path_text=path_text(code),
                    )
                )
    return out


def item_points(
    scheme: engine.Scheme, result: engine.Result, answers: Mapping[str, Any], code: str
) -> Decimal | None:
    """An item's points in a result; a bonus item's points when claimed; None if unknown."""
    for item in result.items:
        if item.code == code:
            return item.points
    for bonus in scheme.bonus.items if scheme.bonus else ():
        if bonus.code == code:
            return bonus.points if answers.get(code) is True else Decimal(0)
    return None


def progress_view(
    *,
    scheme_before: engine.Scheme,
    result_before: engine.Result | Mapping[str, Any],
    answers_before: Mapping[str, Any],
    scheme_now: engine.Scheme,
    result_now: engine.Result | Mapping[str, Any],
    answers_now: Mapping[str, Any],
    counts: Mapping[str, tuple[int, int]],
    lang: str,
    plan_date: dt.date | None = None,
) -> ProgressView:
    """Per item of the plan (``counts``: item → (done, actions not dropped)), in the order
    given: actions done and the item's points then and now."""
    before, now = as_result(result_before), as_result(result_now)
    out = []
    gained_sum = Decimal(0)
    for code, (done, actions) in counts.items():
        then = item_points(scheme_before, before, answers_before, code)
        later = item_points(scheme_now, now, answers_now, code)
        gained = later - then if then is not None and later is not None else None
        if gained is not None:
            gained_sum += gained
        known = labels.key_text(scheme_now, code, lang) != code
        out.append(
            ProgressRow(
                code=code,
                label=labels.item_label(scheme_now if known else scheme_before, code, lang),
                done=done,
                actions=actions,
                done_text=f"{done} / {actions}",
                before=numbers.points(then),
                now=numbers.points(later),
                gained=numbers.signed_points(gained),
                gained_value=gained,
            )
        )
    done_all = sum(r.done for r in out)
    actions_all = sum(r.actions for r in out)
    with words(lang):
        summary = _(
            "%(done)s of %(actions)s planned actions done; the items of the plan gained "
            "%(gained)s points."
        ) % {
            "done": done_all,
            "actions": actions_all,
            "gained": numbers.signed_points(gained_sum),
        }
    return ProgressView(
        plan_date=plan_date,
        rows=tuple(out),
        done=done_all,
        actions=actions_all,
        summary=summary,
        total_change=numbers.signed_points(now.total - before.total),
    )
