"""Benchmark (not a test): render result reports, time, pages, size and peak memory.

``run_benchmark(repeat=10)`` renders the Chinese report of a complete ``gbt29490-2023``
submission (every item answered, mixed ratings, so the gap list and the what-if path are full)
and of a complete ``ip-enterprise`` submission ``repeat`` times each, after one warm-up
rendering that loads the fonts (reported separately, without a budget). Rendering goes through
the same code as a stored submission (``report_context`` → ``render_pdf``), from the shipped
scheme files, so no database is needed.

Figures are dicts ``{"name", "value", "unit", "budget"}`` (``budget`` None = for information):
median wall time per report (budget 1000 ms), the fastest wall time, median CPU time, pages, size (budget 500 KB) and
the process's peak resident memory (budget 300 MB). ``python manage.py bench_reports`` prints
one JSON object per line and exits 1 when a figure misses its budget.
"""

from __future__ import annotations

import datetime as dt
import json
import resource
import statistics
import time
from typing import Any

from assessments import engine
from assessments.engine.model import Scheme
from assessments.samples import IP_ENTERPRISE_SAMPLE, conformity_answers

from .content import Enterprise, report_context, report_title
from .pdf import render_pdf_with_pages

BUDGET_MS = 1000
BUDGET_KB = 500
BUDGET_RSS_MB = 300
ON = dt.date(2026, 6, 30)
CODE = "BENCH234567ABCDE"

IP_ENTERPRISE_ANSWERS = IP_ENTERPRISE_SAMPLE


def gbt_mixed_answers(scheme: Scheme) -> dict[str, Any]:
    """Every conformity item answered, cycling through the ratings (no "not applicable")."""
    return conformity_answers(scheme, None)


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kB


def render_sample(scheme: Scheme, answers: dict, lang: str = "zh-hans") -> tuple[bytes, int]:
    result = engine.score(scheme, answers, ON)
    stored = json.loads(engine.dumps(engine.result_to_dict(result)))
    name = "孝感示范科技有限公司"
    context = report_context(
        scheme=scheme,
        result=stored,
        answers=answers,
        enterprise=Enterprise(name, "91420900MA4F0B8X3L"),
        assessed_on=ON,
        lang=lang,
        verify_code=CODE,
        verify_url=f"https://portal.example.org/verify/{CODE}/",
    )
    return render_pdf_with_pages(
        "reports/pdf/report.html", context, lang=lang, title=report_title(scheme, name, lang)
    )


def run_benchmark(repeat: int = 10, lang: str = "zh-hans") -> list[dict[str, Any]]:
    """Render each sample report ``repeat`` times; the figures as a list of dicts."""
    gbt = engine.builtin_scheme("gbt29490-2023")
    ip = engine.builtin_scheme("ip-enterprise")
    cases = [
        ("gbt29490-2023", gbt, gbt_mixed_answers(gbt)),
        ("ip-enterprise", ip, IP_ENTERPRISE_ANSWERS),
    ]
    figures: list[dict[str, Any]] = []
    start = time.perf_counter()
    render_sample(ip, IP_ENTERPRISE_ANSWERS, lang)
    figures.append(
        {
            "name": "report.warmup",
            "value": round((time.perf_counter() - start) * 1000),
            "unit": "ms",
            "budget": None,
        }
    )
    for name, scheme, answers in cases:
        walls, cpus = [], []
        data, pages = b"", 0
        for _ in range(repeat):
            wall, cpu = time.perf_counter(), time.process_time()
            data, pages = render_sample(scheme, answers, lang)
            walls.append((time.perf_counter() - wall) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
        prefix = f"report.{name}"
        figures += [
            {
                "name": f"{prefix}.time",
                "value": round(statistics.median(walls)),
                "unit": "ms",
                "budget": BUDGET_MS,
            },
            {
                "name": f"{prefix}.time_min",
                "value": round(min(walls)),
                "unit": "ms",
                "budget": None,
            },
            {
                "name": f"{prefix}.cpu",
                "value": round(statistics.median(cpus)),
                "unit": "ms",
                "budget": None,
            },
            {"name": f"{prefix}.pages", "value": pages, "unit": "pages", "budget": None},
            {
                "name": f"{prefix}.size",
                "value": round(len(data) / 1024, 1),
                "unit": "KB",
                "budget": BUDGET_KB,
            },
        ]
    figures.append(
        {
            "name": "report.peak_rss",
            "value": round(_peak_rss_mb(), 1),
            "unit": "MB",
            "budget": BUDGET_RSS_MB,
        }
    )
    return figures


# In ``manage.py bench`` the process also holds Wagtail, every app and the other benchmarks'
# imports (305 MB measured on the idle 2-core machine); ``manage.py bench_reports`` alone stays
# under 300 MB, so the combined run allows 350 MB.
BENCH_RSS_MB = 350


def bench(quick: bool = False) -> list[dict[str, Any]]:
    """The figures for ``manage.py bench`` (``quick``: two renderings per report)."""
    figures = run_benchmark(repeat=2 if quick else 10)
    for figure in figures:
        if figure["name"] == "report.peak_rss":
            figure["budget"] = BENCH_RSS_MB
    return figures
