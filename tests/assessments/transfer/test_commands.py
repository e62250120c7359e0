import io
import json

import pytest
from django.core.management import call_command

from portal.accounts.models import Enterprise, Invitation
from tests.assessments.transfer.helpers import good_row, xlsx_bytes
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


def write(tmp_path, rows, name="in.xlsx"):
    path = tmp_path / name
    path.write_bytes(xlsx_bytes(rows))
    return str(path)


def test_import_command_reports_bad_rows_and_exits_non_zero(tmp_path, capsys):
    rows = [good_row(1), good_row(2)]
    rows[1][3] = "Q9"
    rows[1][5] = "2999-01-01"
    with pytest.raises(SystemExit) as exc:
        call_command("import_enterprises", write(tmp_path, rows))
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert "row 3, column 行业: Unknown industry Q9" in err
    assert "row 3, column 成立日期: The founding date is in the future." in err
    assert not Enterprise.objects.exists()


def test_import_command_valid_only_and_links(tmp_path, capsys):
    rows = [good_row(1), good_row(2, email="boss@example.com"), good_row(3)]
    rows[2][0] = "bad"
    with pytest.raises(SystemExit):
        call_command("import_enterprises", write(tmp_path, rows), "--valid-only")
    out = capsys.readouterr().out
    assert Enterprise.objects.count() == 2 and Invitation.objects.count() == 2
    assert f"row 2 {rows[0][0]} owner link: http" in out
    assert rows[1][0] not in out  # e-mailed, not printed


def test_import_command_dry_run_success(tmp_path, capsys):
    call_command("import_enterprises", write(tmp_path, [good_row(1)]), "--dry-run")
    assert "dry run" in capsys.readouterr().out
    assert not Enterprise.objects.exists()


def test_import_command_refuses_a_renamed_file(tmp_path, capsys):
    path = tmp_path / "fake.xlsx"
    path.write_bytes(b"MZ\x90\x00 program")
    with pytest.raises(SystemExit):
        call_command("import_enterprises", str(path))
    assert "renamed" in capsys.readouterr().err


def test_export_command_then_reimport_reports_already_registered(tmp_path, capsys):
    EnterpriseFactory.create_batch(3)
    path = tmp_path / "out.csv"
    call_command("export_enterprises", "--format", "csv", "--lang", "en", "-o", str(path))
    assert path.read_text(encoding="utf-8-sig").splitlines()[0].startswith("Credit code,")
    with pytest.raises(SystemExit):
        call_command("import_enterprises", str(path), "--dry-run")
    assert capsys.readouterr().err.count("already registered") == 3


def test_export_applications_command_writes_headers(tmp_path):
    path = tmp_path / "apps.xlsx"
    call_command("export_applications", "--format", "xlsx", "-o", str(path), stdout=io.StringIO())
    import openpyxl

    sheet = openpyxl.load_workbook(path).active
    assert sheet["A1"].value == "申报编号"


def test_bench_transfer_prints_the_streamed_export_figures_and_keeps_nothing():
    out = io.StringIO()
    # --report-only: the figures are times, which a busy machine may push over their budgets
    call_command(
        "bench_transfer",
        "--rows",
        "40",
        "--export-rows",
        "100",
        "300",
        "--report-only",
        stdout=out,
    )
    figures = {f["name"]: f for f in map(json.loads, out.getvalue().splitlines())}
    for fmt in ("xlsx", "csv"):
        for size in (100, 300):
            name = f"export_{fmt}_{size}_enterprises"
            for figure in ("time", "cpu_time", "peak_memory", "memory_growth", "file_size"):
                assert f"{name}_{figure}" in figures
            assert figures[f"{name}_memory_growth"]["unit"] == "MB"
    assert figures["export_xlsx_100_enterprises_time"]["budget"] == 30.0
    assert not Enterprise.objects.exists()  # everything was rolled back
