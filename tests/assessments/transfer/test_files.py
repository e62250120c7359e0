import io

import openpyxl
import pytest

from assessments.transfer.files import (
    FormulaValue,
    UploadError,
    neutralise,
    read_table,
    unneutralise,
    write_table,
)
from tests.assessments.transfer.helpers import ZH_HEADERS, csv_bytes, good_row, xlsx_bytes


@pytest.mark.parametrize(
    "value, expected",
    [
        ("=1+1", "'=1+1"),
        ("+86 139", "'+86 139"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=cmd", "'\t=cmd"),
        ("\r=cmd", "'\r=cmd"),
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("plain", "plain"),
        ("a=b", "a=b"),
        ("", ""),
        (-5, -5),
        (None, None),
    ],
)
def test_neutralise_prefixes_formula_starts(value, expected):
    assert neutralise(value) == expected


def test_unneutralise_reverses_only_neutralised_cells():
    assert unneutralise("'=1+1") == "=1+1"
    assert unneutralise("'+86") == "+86"
    assert unneutralise("'quoted") == "'quoted"
    assert unneutralise("'") == "'"


def test_library_escaping_does_not_cover_every_prefix():
    """Why the project has its own: django-import-export only strips a leading "="."""
    import tablib
    from import_export.formats.base_formats import CSV

    dataset = tablib.Dataset(["=1+1", "+1", "@x", "-1"], headers=["a", "b", "c", "d"])
    CSV()._escape_formulae(dataset)
    assert list(dataset[0]) == ["1+1", "+1", "@x", "-1"]


def test_xlsx_export_cells_are_text_not_formulas():
    out = io.BytesIO()
    write_table(["name", "n"], [["=1+1", 5], ["@cmd", -3], ["\t=x", None]], "xlsx", out, "t")
    sheet = openpyxl.load_workbook(io.BytesIO(out.getvalue())).active
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert values == [["'=1+1", 5], ["'@cmd", -3], ["'\t=x", None]]
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_csv_export_has_bom_and_neutralised_cells():
    out = io.BytesIO()
    write_table(["名称"], [["-1+2"], ["正常"]], "csv", out, "t")
    data = out.getvalue()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig").splitlines() == ["名称", "'-1+2", "正常"]


def test_header_only_sheets_are_refused():
    with pytest.raises(UploadError, match="no data rows"):
        read_table(io.BytesIO(xlsx_bytes([])), "xlsx")
    with pytest.raises(UploadError, match="no data rows"):
        read_table(io.BytesIO(csv_bytes([])), "csv")
    with pytest.raises(UploadError, match="empty"):
        read_table(io.BytesIO(xlsx_bytes([], headers=None)), "xlsx")


@pytest.mark.django_db
def test_reader_keeps_row_numbers_skips_blank_rows_and_flags_formulas():
    rows = [good_row(1), [None] * 9, good_row(2)]
    rows[2][1] = '=HYPERLINK("http://evil","x")'
    table = read_table(io.BytesIO(xlsx_bytes(rows)), "xlsx")
    assert table.row_numbers == [2, 4]
    assert table.headers == ZH_HEADERS
    assert isinstance(table.dataset[1][1], FormulaValue)


def test_gb18030_csv_is_read():
    data = csv_bytes([["x", "企业"]], headers=["a", "名称"], encoding="gb18030")
    table = read_table(io.BytesIO(data), "csv")
    assert table.headers == ["a", "名称"]
    assert table.dataset[0][1] == "企业"
