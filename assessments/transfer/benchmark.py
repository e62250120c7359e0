"""Benchmark (not a test): import and export 10,000 enterprises; time and peak memory each;
and the streamed export of 10,000, 30,000 and 100,000 enterprises.

``run_benchmark(rows=10000)`` and ``run_export_benchmark(sizes=(10000, 30000, 100000))`` return
``[{"name", "value", "unit", "budget"}]``; the command ``python manage.py bench_transfer`` prints
them as JSON lines, and ``python manage.py bench`` includes them. Everything happens inside a
transaction that is rolled back, so the database is left as it was. Peak memory is the
process's peak resident set size while the step runs (sampled every 20 ms); for the export
sizes it is also given as the growth over the resident set before the step, which is what
must stay flat as the rows grow.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import tempfile
import threading
import time
from collections.abc import Callable
from typing import Any

from django.core import mail
from django.db import transaction
from django.test.utils import override_settings
from openpyxl import Workbook

from assessments.transfer.enterprises import export_enterprises, import_enterprises
from assessments.transfer.files import read_table
from portal.accounts.credit_code import ALPHABET, code_check_character, org_check_character
from portal.accounts.models import Enterprise
from portal.accounts.resources import ENTERPRISE_COLUMNS

TIME_BUDGET_S = 30.0
MEMORY_BUDGET_MB = 500.0
#: Export of 100,000 rows: under 30 s as XLSX; the memory an export adds stays under this,
#: whatever the rows (one chunk of 2,000 rows and the column sizing rows are held at a time).
EXPORT_GROWTH_BUDGET_MB = 80.0
EXPORT_SIZES = (10_000, 30_000, 100_000)


def _credit_code(n: int, region: str) -> str:
    body = ""
    for _ in range(8):
        n, r = divmod(n, 31)
        body = ALPHABET[r] + body
    body = ("MA" + body)[-8:]
    head = "91" + region + body + org_check_character(body)
    return head + code_check_character(head)


def registry_file(rows: int, start: int = 5_000_000) -> bytes:
    """An XLSX registry of ``rows`` valid enterprises in Hubei's cities (Chinese headers)."""
    cities = ["420100", "420200", "420500", "420600", "420900", "421000"]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append([c.zh for c in ENTERPRISE_COLUMNS if c.imported])
    for i in range(rows):
        region = cities[i % len(cities)]
        sheet.append(
            [
                _credit_code(start + i, region),
                f"基准测试企业{i:05d}有限公司",
                region,
                "CIM"[i % 3],
                ("小型", "中型", "微型", "大型")[i % 4],
                f"{2000 + i % 20}-0{1 + i % 9}-1{i % 9}",
                "赵六",
                f"139{i:08d}",
                f"owner{i}@example.com" if i % 2 else "",
            ]
        )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _rss_mb() -> float:
    """The process's resident memory now (Linux ``/proc``; elsewhere its high-water mark)."""
    try:
        with open("/proc/self/statm") as statm:
            pages = int(statm.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / (1024 * 1024)
    except (OSError, ValueError):  # pragma: no cover - not Linux
        import resource  # only where /proc is missing (the module is Unix-only)

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _release_memory() -> None:
    """Give freed memory back to the system, so that a step's growth is measured from a low
    mark (glibc keeps freed heap otherwise)."""
    import contextlib
    import ctypes
    import gc

    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to trim
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _measure(step: Callable[[], Any]) -> tuple[float, float, Any]:
    """Wall time and peak resident memory of the whole process while ``step`` runs.

    A thread samples the resident set every 20 ms (tracemalloc would slow the step down
    several times and miss memory held by C libraries such as lxml).
    """
    peak = _rss_mb()
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.wait(0.02):
            peak = max(peak, _rss_mb())

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.perf_counter()
    try:
        value = step()
    finally:
        elapsed = time.perf_counter() - started
        done.set()
        sampler.join()
        peak = max(peak, _rss_mb())
    return elapsed, peak, value


def run_benchmark(rows: int = 10_000) -> list[dict[str, Any]]:
    data = registry_file(rows)
    results: list[dict[str, Any]] = []

    def record(name: str, seconds: float, megabytes: float) -> None:
        results.append(
            {
                "name": f"{name}_time",
                "value": round(seconds, 2),
                "unit": "s",
                "budget": TIME_BUDGET_S,
            }
        )
        results.append(
            {
                "name": f"{name}_peak_memory",
                "value": round(megabytes, 1),
                "unit": "MB",
                "budget": MEMORY_BUDGET_MB,
            }
        )

    class Rollback(Exception):
        pass

    email = override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
    try:
        with email, transaction.atomic():

            def do_check():
                table = read_table(io.BytesIO(data), "xlsx")
                return import_enterprises(table, user=None, dry_run=True).valid_rows

            # The web import's preview step (a dry run); the confirmed import runs next.
            seconds, peak, valid = _measure(do_check)
            if valid != rows:
                raise RuntimeError(f"benchmark check found {valid} valid rows, expected {rows}")
            record(f"check_{rows}_enterprises", seconds, peak)

            def do_import():
                table = read_table(io.BytesIO(data), "xlsx")
                report = import_enterprises(table, user=None, dry_run=False)
                if not report.written:
                    raise RuntimeError(f"benchmark import failed: {report.errors[:3]}")
                return len(report.created)

            seconds, peak, created = _measure(do_import)
            if created != rows:
                raise RuntimeError(f"benchmark imported {created} rows, expected {rows}")
            record(f"import_{rows}_enterprises", seconds, peak)

            def do_export():
                return export_enterprises(io.BytesIO(), fmt="xlsx", lang="zh")

            seconds, peak, count = _measure(do_export)
            if count < rows:
                raise RuntimeError(f"benchmark export wrote {count} rows, expected {rows}")
            record(f"export_{rows}_enterprises", seconds, peak)
            mail.outbox = []
            raise Rollback
    except Rollback:
        pass
    return results


def _bench_enterprises(start: int, count: int, batch: int = 2_000) -> None:
    """Insert ``count`` enterprises (numbered from ``start``) in batches, without keeping them."""
    cities = ["420100", "420200", "420500", "420600", "420900", "421000"]
    for first in range(start, start + count, batch):
        Enterprise.objects.bulk_create(
            [
                Enterprise(
                    credit_code=_credit_code(7_000_000 + i, cities[i % len(cities)]),
                    name=f"导出基准企业{i:06d}有限公司",
                    region_id=cities[i % len(cities)],
                    industry="CIM"[i % 3],
                    size=("small", "medium", "micro", "large")[i % 4],
                    founded_on=dt.date(2000 + i % 20, 1 + i % 9, 10 + i % 9),
                    contact_name="赵六",
                    contact_phone=f"139{i:08d}",
                )
                for i in range(first, min(first + batch, start + count))
            ]
        )


def run_export_benchmark(sizes: tuple[int, ...] = EXPORT_SIZES) -> list[dict[str, Any]]:
    """The registry export, streamed to a temporary file as XLSX and CSV, at each size."""
    results: list[dict[str, Any]] = []

    class Rollback(Exception):
        pass

    try:
        with transaction.atomic():
            existing = Enterprise.objects.count()
            made = 0
            for size in sorted(sizes):
                _bench_enterprises(made, size - made)
                made = size
                for fmt in ("xlsx", "csv"):
                    _release_memory()
                    before = _rss_mb()

                    def do_export(fmt=fmt):
                        cpu = time.process_time()
                        with tempfile.TemporaryFile() as out:
                            count = export_enterprises(out, fmt=fmt, lang="zh")
                            return count, out.tell(), time.process_time() - cpu

                    seconds, peak, (count, size_bytes, cpu) = _measure(do_export)
                    if count != size + existing:
                        raise RuntimeError(f"export wrote {count} rows, expected {size + existing}")
                    name = f"export_{fmt}_{size}_enterprises"
                    results += [
                        {
                            "name": f"{name}_time",
                            "value": round(seconds, 2),
                            "unit": "s",
                            "budget": TIME_BUDGET_S if fmt == "xlsx" or size >= 100_000 else None,
                        },
                        {
                            # The process's CPU time: what the step costs on a machine shared
                            # with other work, where the wall time also counts the waiting.
                            "name": f"{name}_cpu_time",
                            "value": round(cpu, 2),
                            "unit": "s",
                            "budget": None,
                        },
                        {
                            "name": f"{name}_peak_memory",
                            "value": round(peak, 1),
                            "unit": "MB",
                            "budget": MEMORY_BUDGET_MB,
                        },
                        {
                            "name": f"{name}_memory_growth",
                            "value": round(max(0.0, peak - before), 1),
                            "unit": "MB",
                            "budget": EXPORT_GROWTH_BUDGET_MB,
                        },
                        {
                            "name": f"{name}_file_size",
                            "value": round(size_bytes / (1024 * 1024), 1),
                            "unit": "MB",
                            "budget": None,
                        },
                    ]
            raise Rollback
    except Rollback:
        pass
    return results


def over_budget(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [r for r in results if r.get("budget") is not None and r["value"] > r["budget"]]
