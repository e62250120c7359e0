"""``render_report`` and ``bench_reports`` management commands."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from assessments.reports import benchmark
from portal.core.benchmarks import over_budget
from tests import factories

from .conftest import pdf_text


def test_render_report_from_an_answers_file(tmp_path, db):
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(factories.IP_ENTERPRISE_ANSWERS), encoding="utf-8")
    output = tmp_path / "sample.pdf"
    out = io.StringIO()
    call_command(
        "render_report",
        "--scheme",
        "ip-enterprise",
        str(answers),
        "--lang",
        "en",
        "--on",
        "2026-06-30",
        "--enterprise",
        "Sample Widgets Ltd",
        "-o",
        str(output),
        stdout=out,
    )
    data = output.read_bytes()
    assert data.startswith(b"%PDF")
    assert "sha256" in out.getvalue()
    text = " ".join(pdf_text(data).split())
    assert "Sample Widgets Ltd" in text
    assert "Demonstration enterprise level" in text
    assert "cannot be verified" in text
    assert PdfReader(io.BytesIO(data)).trailer["/Root"]["/Lang"] == "en"


def test_render_report_rejects_invalid_answers(tmp_path, db, capsys):
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"C1": "nonsense"}), encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        call_command(
            "render_report", "--scheme", "ip-enterprise", str(answers), "-o", str(tmp_path / "x")
        )
    assert exit_info.value.code == 2
    assert "C1" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


def test_render_report_of_a_submission(tmp_path, fake_render, enterprise, owner):
    submission = factories.make_submission(enterprise, user=owner, language="en")
    output = tmp_path / "s.pdf"
    call_command("render_report", "--submission", str(submission.pk), "-o", str(output))
    assert output.read_bytes().startswith(b"%PDF")
    assert fake_render == [(submission.pk, "en")]  # the submitter's language by default
    call_command(
        "render_report", "--submission", str(submission.pk), "--lang", "zh", "-o", str(output)
    )
    assert fake_render[-1] == (submission.pk, "zh-hans")
    with pytest.raises(CommandError, match="no submission"):
        call_command("render_report", "--submission", "999999", "-o", str(output))


def test_bench_reports_prints_json_lines_and_fails_over_budget(monkeypatch):
    figures = [
        {"name": "report.x.time", "value": 12, "unit": "ms", "budget": 1000},
        {"name": "report.peak_rss", "value": 400.0, "unit": "MB", "budget": 300},
    ]
    monkeypatch.setattr(
        "assessments.reports.management.commands.bench_reports.run_benchmark",
        lambda repeat, lang: figures,
    )
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("bench_reports", "--repeat", "1", stdout=out, stderr=err)
    assert exit_info.value.code == 1
    assert [json.loads(line) for line in out.getvalue().splitlines()] == figures
    assert "report.peak_rss" in err.getvalue()
    assert over_budget(figures[:1]) == []


def test_benchmark_answers_cover_every_gbt_item():
    from assessments import engine

    scheme = engine.builtin_scheme("gbt29490-2023")
    answers = benchmark.gbt_mixed_answers(scheme)
    assert engine.validate_answers(scheme, answers) == []
    result = engine.score(scheme, answers, benchmark.ON)
    assert len(result.gaps) > 20  # the gap list and what-if path have real content


def test_signing_key_command_generates_the_development_key_once(tmp_path, monkeypatch):
    from assessments.reports import signing

    path = tmp_path / "signing" / "development.p12"
    monkeypatch.setattr(signing, "development_key_path", lambda: path)
    out = io.StringIO()
    call_command("signing_key", stdout=out)
    assert path.exists() and path.stat().st_mode & 0o777 == 0o600
    assert "self-signed development key" in out.getvalue()
    first = path.read_bytes()
    call_command("signing_key", stdout=io.StringIO())
    assert path.read_bytes() == first  # reused, never regenerated


def test_signing_key_command_fails_on_an_unreadable_configured_key(tmp_path, settings):
    settings.PDF_SIGNING_PKCS12 = str(tmp_path / "missing.p12")
    with pytest.raises(CommandError):
        call_command("signing_key")
