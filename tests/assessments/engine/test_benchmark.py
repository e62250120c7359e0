"""The benchmark entry point runs and reports in the agreed shape (timing is not asserted)."""

from __future__ import annotations

import json
import random

import pytest

from assessments.engine import builtin_scheme, builtin_scheme_files, validate_answers
from assessments.engine.benchmark import ASSESSMENT_DAY, main, random_answers, run_benchmark


def test_run_benchmark_shape() -> None:
    rows = run_benchmark(20)
    assert [r["name"] for r in rows] == [
        "score.gbt29490-2013.v1",
        "score.gbt29490-2023.v1",
        "score.gbt29490-2023.v2",
        "score.ip-enterprise.v1",
        "score.ip-enterprise.v2",
    ]
    for row in rows:
        assert list(row) == ["name", "value", "unit", "budget"]
        assert row["unit"] == "ms"
        assert row["budget"] == 1.0
        assert row["value"] > 0


def test_main_prints_json_lines(capsys: pytest.CaptureFixture[str]) -> None:
    main(["--n", "5"])
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == len(builtin_scheme_files())
    assert all(json.loads(line)["unit"] == "ms" for line in lines)


@pytest.mark.parametrize(
    ("code", "version"),
    [("ip-enterprise", 1), ("ip-enterprise", 2), ("gbt29490-2023", 1), ("gbt29490-2023", 2),
     ("gbt29490-2013", 1)],
)  # fmt: skip
def test_random_answers_are_valid(code: str, version: int) -> None:
    scheme = builtin_scheme(code, version)
    rng = random.Random(7)
    for _ in range(50):
        assert validate_answers(scheme, random_answers(scheme, rng), ASSESSMENT_DAY) == []
