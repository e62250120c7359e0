"""Summarise a load test run from the requests locustfile.py recorded.

Usage::

    python loadtest/summary.py REQUESTS.jsonl WARMUP_SECONDS

Prints, as JSON lines: the whole run and the steady state (the requests that started at least
``WARMUP_SECONDS`` after the first one, i.e. after the ramp-up) with their throughput,
p50/p95/p99 and failures; then the same per request type for the steady state; and the knee:
the highest throughput of any 10-second window whose p95 stayed at or under 300 ms (while users
are added one by one the windows climb through the request rates). Standard library only.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

WINDOW_S = 10
KNEE_P95_MS = 300


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (``share`` in 0..1) of ``values``."""
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))
    return ordered[rank]


def figures(label: str, rows: list[list], seconds: float) -> dict:
    times = [row[2] for row in rows]
    return {
        "part": label,
        "requests": len(rows),
        "failures": sum(1 for row in rows if row[3]),
        "requests_per_s": round(len(rows) / seconds, 1) if seconds > 0 else None,
        "p50_ms": round(percentile(times, 0.50)) if times else None,
        "p95_ms": round(percentile(times, 0.95)) if times else None,
        "p99_ms": round(percentile(times, 0.99)) if times else None,
    }


def knee(rows: list[list], start: float) -> dict:
    windows: dict[int, list[float]] = defaultdict(list)
    for row in rows:
        windows[int((row[0] - start) // WINDOW_S)].append(row[2])
    best = None
    for n, times in sorted(windows.items()):
        rate = len(times) / WINDOW_S
        if percentile(times, 0.95) <= KNEE_P95_MS and (best is None or rate > best[1]):
            best = (n, rate)
    lowest = min(percentile(times, 0.95) for times in windows.values())
    return {
        "part": "knee",
        "p95_limit_ms": KNEE_P95_MS,
        "window_s": WINDOW_S,
        "reached": best is not None,
        "requests_per_s": round(best[1], 1) if best else None,
        "window_starts_at_s": best[0] * WINDOW_S if best else None,
        # when no window stayed under the limit: how close the best one came
        "lowest_window_p95_ms": round(lowest),
    }


def main(path: Path, warmup: float) -> int:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    if not rows:
        print(json.dumps({"error": "no requests recorded"}))
        return 1
    start = min(row[0] for row in rows)
    end = max(row[0] + row[2] / 1000 for row in rows)
    steady = [row for row in rows if row[0] >= start + warmup]
    print(json.dumps(figures("whole run", rows, end - start)))
    print(json.dumps(figures(f"steady state (after {warmup:.0f} s)", steady, end - start - warmup)))
    by_name: dict[str, list[list]] = defaultdict(list)
    for row in steady:
        by_name[row[1]].append(row)
    for name, part in sorted(by_name.items()):
        print(json.dumps(figures(name, part, end - start - warmup), ensure_ascii=False))
    print(json.dumps(knee(rows, start)))
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(Path(sys.argv[1]), float(sys.argv[2])))
