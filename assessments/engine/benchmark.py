"""Scoring benchmark: ``python -m assessments.engine.benchmark [--n 10000]``.

Scores ``n`` random valid answer sets per shipped scheme and prints one JSON object per line:
``{"name": "score.<scheme>.v<version>", "value": <ms per set>, "unit": "ms", "budget": 1.0}``.
The time is the process's CPU time (``time.process_time``), so other work on a shared machine
does not inflate it; generating the answer sets is not timed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import time
from decimal import Decimal
from typing import Any

from .loader import builtin_scheme_files, load_scheme_file
from .model import AnswerField, Scheme
from .scoring import score
from .validation import validate_answers

BUDGET_MS = 1.0
ASSESSMENT_DAY = dt.date(2026, 6, 30)


def _number(field: AnswerField, rng: random.Random) -> Any:
    low = int(field.min) if field.min is not None else 0
    high = int(field.max) if field.max is not None else rng.choice((10, 100, 10_000))
    value = rng.randint(low, high)
    if field.integer:
        return value
    if rng.random() < 0.3 and value < high:
        return str(Decimal(value) + Decimal(rng.randint(0, 99)) / 100)
    return value


def random_answers(
    scheme: Scheme,
    rng: random.Random,
    veto_rate: float = 0.05,
    on: dt.date = ASSESSMENT_DAY,
) -> dict[str, Any]:
    """A random answer set that validates against ``scheme`` on ``on`` (conditions ignored).

    Sets that break one of the scheme's consistency rules are drawn again.
    """
    for _ in range(1000):
        answers = _draw(scheme, rng, veto_rate)
        if not scheme.rules or not validate_answers(scheme, answers, on):
            return answers
    raise RuntimeError(f"no random answer set satisfies the rules of {scheme.code}")


def _draw(scheme: Scheme, rng: random.Random, veto_rate: float) -> dict[str, Any]:
    veto_codes = {v.code for v in scheme.vetoes}
    answers: dict[str, Any] = {}
    for field in scheme.answer_fields:
        if not field.required and rng.random() < 0.3:
            continue
        if field.kind == "number":
            answers[field.key] = _number(field, rng)
        elif field.kind == "boolean":
            rate = veto_rate if field.key in veto_codes else 0.5
            answers[field.key] = rng.random() < rate
        elif field.kind == "date":
            day = dt.date(1990, 1, 1) + dt.timedelta(days=rng.randint(0, 13_000))
            answers[field.key] = day.isoformat()
        else:
            codes = sorted(field.options - (set() if field.na_allowed else field.na_codes))
            if field.kind == "multi":
                answers[field.key] = rng.sample(codes, rng.randint(0, len(codes)))
            else:
                answers[field.key] = rng.choice(codes)
    return answers


def run_benchmark(n: int = 10_000, seed: int = 29490) -> list[dict[str, Any]]:
    """Time :func:`score` over ``n`` random answer sets per shipped scheme."""
    rows = []
    for path in builtin_scheme_files():
        scheme = load_scheme_file(path)
        rng = random.Random(seed)
        sets = [random_answers(scheme, rng) for _ in range(n)]
        score(scheme, sets[0], ASSESSMENT_DAY)  # warm the compiled plan
        start = time.process_time()
        for answers in sets:
            score(scheme, answers, ASSESSMENT_DAY)
        elapsed = time.process_time() - start
        rows.append(
            {
                "name": f"score.{scheme.code}.v{scheme.version}",
                "value": round(elapsed * 1000 / max(n, 1), 4),
                "unit": "ms",
                "budget": BUDGET_MS,
            }
        )
    return rows


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--n", type=int, default=10_000, help="answer sets per scheme")
    args = parser.parse_args(argv)
    for row in run_benchmark(args.n):
        print(json.dumps(row))


if __name__ == "__main__":
    main()
