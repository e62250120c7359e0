import io
import re

import openpyxl
import pytest

from assessments.transfer.files import (
    FormulaValue,
    UploadError,
    check_spreadsheet,
    read_table,
    write_table,
)
from tests.assessments.transfer.helpers import (
    ZH_HEADERS,
    csv_bytes,
    good_row,
    rewrite_sheet,
    without_dimension,
    xlsx_bytes,
)


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


def blank_rows_bomb() -> bytes:
    """About 1 MB on disk, 399 MB of blank rows unpacked (and no declared used range)."""

    def rows(write):
        block = b'<row><c s="0"/></row>' * 40_000
        for _ in range(399 * 1024 * 1024 // len(block)):
            write(block)

    return rewrite_sheet(xlsx_bytes([good_row(1)]), without_dimension, stream=rows)


@pytest.mark.django_db
def test_a_small_workbook_that_unpacks_to_hundreds_of_megabytes_is_refused_unread():
    data = blank_rows_bomb()
    assert len(data) < 2 * 1024 * 1024
    with pytest.raises(UploadError, match=r"unpacks to 399 MB; at most 50 MB"):
        check_spreadsheet(io.BytesIO(data), "registry.xlsx")
    # The worker refuses it too, should it ever get such a file.
    with pytest.raises(UploadError, match="unpacks to 399 MB"):
        read_table(io.BytesIO(data), "xlsx")


def test_a_declared_used_range_over_a_million_cells_is_refused():
    # A few real rows, but the sheet says it uses A1:K1048576 (formatted blank rows do that).
    data = rewrite_sheet(
        xlsx_bytes([good_row(1)]),
        lambda xml: re.sub(r'<dimension ref="[^"]+"', '<dimension ref="A1:K1048576"', xml),
    )
    with pytest.raises(UploadError, match=r"A1:K1048576 holds 11,534,336 cells; at most 1,000,000"):
        check_spreadsheet(io.BytesIO(data), "registry.xlsx")


def test_a_wide_row_is_refused_by_its_used_range():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(ZH_HEADERS)
    for i in range(70):
        sheet.append(good_row(i))
    sheet.cell(row=2, column=16384, value="x")  # one cell in the last column, XFD
    out = io.BytesIO()
    workbook.save(out)
    with pytest.raises(UploadError, match="A1:XFD71"):
        check_spreadsheet(io.BytesIO(out.getvalue()), "wide.xlsx")


@pytest.mark.django_db
def test_blank_rows_without_a_declared_range_are_counted_while_reading(settings):
    settings.TRANSFER_MAX_CELLS = 9 * 1000

    def rows(write):
        write(b'<row><c s="0"/></row>' * 2000)

    data = rewrite_sheet(xlsx_bytes([good_row(1)]), without_dimension, stream=rows)
    assert check_spreadsheet(io.BytesIO(data), "registry.xlsx") == "xlsx"  # nothing declared
    with pytest.raises(UploadError, match="more than 9,000 cells, blank rows included"):
        read_table(io.BytesIO(data), "xlsx")


def test_xlsx_export_has_a_frozen_bold_header_an_autofilter_and_sized_columns():
    out = io.BytesIO()
    rows = [["短", 1, "湖北省孝感市某某科技有限公司"], ["x", 22, None]]
    assert write_table(["名称", "n", "企业名称"], rows, "xlsx", out, "t") == 2
    sheet = openpyxl.load_workbook(io.BytesIO(out.getvalue())).active
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:C3"
    assert sheet["A1"].font.b
    widths = [sheet.column_dimensions[c].width for c in "ABC"]
    assert widths[2] >= 2 * len("湖北省孝感市某某科技有限公司")  # Chinese characters count two
    assert widths[1] < widths[2]


def test_writer_streams_a_generator_and_reports_progress():
    seen = []
    out = io.BytesIO()
    count = write_table(["n"], ([i] for i in range(2500)), "csv", out, "t", progress=seen.append)
    assert count == 2500 and seen == [1000, 2000]
    assert out.getvalue().decode("utf-8-sig").splitlines()[-1] == "2499"
