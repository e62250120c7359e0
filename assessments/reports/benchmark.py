"""Benchmark (not a test): render result reports, time, pages, size and peak memory.

``run_benchmark(repeat=10)`` renders the Chinese report of a complete ``gbt29490-2023``
submission (every item answered, mixed ratings, so the gap list and the what-if path are full)
and of a complete ``ip-enterprise`` submission ``repeat`` times each, after one warm-up
rendering that loads the fonts (reported separately, without a budget). Rendering goes through
the same code as a stored submission (``report_context`` → ``render_pdf``), from the shipped
scheme files, so no database is needed.

Figures are dicts ``{"name", "value", "unit", "budget"}`` (``budget`` None = for information):
median wall time per report (budget 1000 ms), the fastest wall time, median CPU time, pages, size
(budget 500 KB) and the process's peak resident memory (budget 300 MB). In ``manage.py bench``
(not ``--quick``) also ``render_report`` as a whole command against plain WeasyPrint on the same
HTML (:func:`run_command_benchmark`, budget 2.5 times). ``python manage.py bench_reports`` prints
one JSON object per line and exits 1 when a figure misses its budget.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from django.conf import settings

from assessments import engine
from assessments.engine.model import Scheme
from assessments.samples import IP_ENTERPRISE_SAMPLE, conformity_answers

from .content import Enterprise, report_context, report_title
from .pdf import PDF_OPTIONS, render_pdf_with_pages

BUDGET_MS = 1000
BUDGET_KB = 500
BUDGET_RSS_MB = 300
# ``manage.py render_report`` as a whole command (start-up, Django, scoring, one rendering)
# against a fresh Python process that renders the same HTML with WeasyPrint alone.
BUDGET_COMMAND_RATIO = 2.5
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


# A fresh process rendering an HTML file with WeasyPrint and nothing else (argv: HTML, PDF,
# the options as JSON): the baseline of the command's ratio.
_PLAIN_WEASYPRINT = (
    "import json, sys\n"
    "from weasyprint import HTML\n"
    "html = open(sys.argv[1], encoding='utf-8').read()\n"
    "HTML(string=html, base_url=None).write_pdf(sys.argv[2], **json.loads(sys.argv[3]))\n"
)


def _run(argv: list[str]) -> None:
    # Our own interpreter with manage.py or a fixed script, and paths we created: no user input.
    subprocess.run(argv, check=True, capture_output=True, env=os.environ.copy(), timeout=300)  # noqa: S603


def _timed_run(argv: list[str]) -> float:
    """Wall milliseconds of a child process (which must succeed)."""
    start = time.perf_counter()
    _run(argv)
    return (time.perf_counter() - start) * 1000


def run_command_benchmark(repeat: int = 3) -> list[dict[str, Any]]:
    """``render_report`` as a whole command against plain WeasyPrint on the same HTML.

    Both run as fresh processes, ``repeat`` times each, alternating (the medians are compared),
    on the 9-page ``gbt29490-2023`` sample: the command scores an answers file and renders it;
    the baseline renders the HTML the command writes with ``--html``.
    """
    manage = str(Path(settings.BASE_DIR) / "manage.py")
    answers = gbt_mixed_answers(engine.builtin_scheme("gbt29490-2023"))
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        (tmp / "answers.json").write_text(engine.dumps(answers), encoding="utf-8")
        command = [sys.executable, manage, "render_report", "--scheme", "gbt29490-2023"]
        command += [str(tmp / "answers.json"), "--on", ON.isoformat()]
        _run([*command, "--html", "-o", str(tmp / "report.html")])
        plain = [sys.executable, "-c", _PLAIN_WEASYPRINT, str(tmp / "report.html")]
        plain += [str(tmp / "plain.pdf"), json.dumps(PDF_OPTIONS)]
        commands, plains = [], []
        for _ in range(repeat):
            commands.append(_timed_run([*command, "-o", str(tmp / "report.pdf")]))
            plains.append(_timed_run(plain))
    command_ms, plain_ms = statistics.median(commands), statistics.median(plains)
    return [
        {"name": "report.command", "value": round(command_ms), "unit": "ms", "budget": None},
        {"name": "report.plain_weasyprint", "value": round(plain_ms), "unit": "ms", "budget": None},
        {
            "name": "report.command_ratio",
            "value": round(command_ms / plain_ms, 2),
            "unit": "x",
            "budget": BUDGET_COMMAND_RATIO,
        },
    ]


def bench(quick: bool = False) -> list[dict[str, Any]]:
    """The figures for ``manage.py bench`` (``quick``: two renderings per report, and no
    command runs, which start fresh processes on the configured database)."""
    figures = run_benchmark(repeat=2 if quick else 10)
    for figure in figures:
        if figure["name"] == "report.peak_rss":
            figure["budget"] = BENCH_RSS_MB
    if not quick:
        figures += run_command_benchmark()
    return figures
