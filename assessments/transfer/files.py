"""Reading and writing spreadsheets safely.

* ``neutralise`` is the one place where exported cells are defused: a text cell that begins
  with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading single quote, so
  that no spreadsheet program evaluates it as a formula (OWASP "CSV injection").
  django-import-export's own ``IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT`` only strips a leading
  ``=`` (it changes the data and leaves ``+``, ``-``, ``@``, tab and CR untouched), so it is not
  used.
* Uploads are checked by ``portal.core.uploads.check_upload`` with the ``SPREADSHEETS`` policy
  (an XLSX file is a ZIP package holding ``xl/workbook.xml``; a CSV file is text without NUL
  bytes in UTF-8 or GB 18030), so a renamed PDF or program is refused.
* ``read_table`` reads the first sheet (or the CSV text) into a ``tablib.Dataset`` without
  evaluating anything; formula cells are kept as ``FormulaValue`` so that the importer can
  report them.
* ``write_table`` writes XLSX (openpyxl write-only mode: constant memory) or CSV (UTF-8 with a
  byte-order mark, which Excel needs to show Chinese text) with every cell neutralised.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

import tablib
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from portal.core.uploads import UploadRefused

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
FORMATS = ("xlsx", "csv")
# Characters that XML 1.0 (and so XLSX) cannot hold.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def neutralise(value: Any) -> Any:
    """Defuse a cell that a spreadsheet would run as a formula; other values pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def unneutralise(value: str) -> str:
    """Undo ``neutralise`` on a re-imported cell (``'=x`` → ``=x``; a lone quote stays)."""
    if len(value) > 1 and value[0] == "'" and value[1:].startswith(FORMULA_PREFIXES):
        return value[1:]
    return value


class FormulaValue(str):
    """A cell that held a formula in the uploaded workbook (its text is the formula)."""


# A file that cannot be read at all; ``str(error)`` is shown to the user. The upload check and
# the readers raise the same exception, so that callers catch one.
UploadError = UploadRefused


def max_upload_bytes() -> int:
    return settings.TRANSFER_MAX_UPLOAD_BYTES


def max_rows() -> int:
    return settings.TRANSFER_MAX_ROWS


@dataclass
class Table:
    """A sheet as read: headers, data rows and each row's number in the sheet (header = 1)."""

    dataset: tablib.Dataset
    row_numbers: list[int] = field(default_factory=list)

    @property
    def headers(self) -> list[str]:
        return list(self.dataset.headers or [])


def _cell_text(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _is_blank(values: Sequence[Any]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def _finish(rows: Iterable[tuple[int, list[Any]]], headers: list[Any]) -> Table:
    headers = ["" if h is None else str(h).strip() for h in headers]
    while headers and not headers[-1]:
        headers.pop()
    if not headers:
        raise UploadError(_("The file is empty: the first row must hold the column names."))
    width = len(headers)
    dataset = tablib.Dataset(headers=headers)
    numbers: list[int] = []
    limit = max_rows()
    for number, values in rows:
        values = list(values[:width]) + [None] * (width - len(values))
        if _is_blank(values):
            continue
        if len(numbers) >= limit:
            raise UploadError(
                _("The file has more than %(limit)s rows; split it into smaller files.")
                % {"limit": limit}
            )
        dataset.append(values)
        numbers.append(number)
    if not numbers:
        raise UploadError(_("The file has a header row but no data rows."))
    return Table(dataset, numbers)


def _read_xlsx(fileobj: IO[bytes]) -> Table:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(fileobj, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a damaged package
        raise UploadError(_("The Excel file is damaged and cannot be read.")) from exc
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows()
        try:
            header_cells = next(rows)
        except StopIteration:
            raise UploadError(
                _("The file is empty: the first row must hold the column names.")
            ) from None
        headers = [cell.value for cell in header_cells]

        def data() -> Iterable[tuple[int, list[Any]]]:
            for number, row in enumerate(rows, start=2):
                values = []
                for cell in row:
                    value = cell.value
                    if getattr(cell, "data_type", None) == "f":
                        value = FormulaValue(str(value))
                    values.append(_cell_text(value))
                yield number, values

        return _finish(data(), headers)
    finally:
        workbook.close()


def _read_csv(fileobj: IO[bytes]) -> Table:
    raw = fileobj.read()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UploadError(_("The CSV file is not UTF-8 or GB 18030 text."))
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        headers = next(reader)
    except StopIteration:
        raise UploadError(
            _("The file is empty: the first row must hold the column names.")
        ) from None
    except csv.Error as exc:
        raise UploadError(_("The CSV file cannot be read: %(error)s") % {"error": exc}) from exc

    def data() -> Iterable[tuple[int, list[Any]]]:
        try:
            for values in reader:
                yield reader.line_num, [v if v != "" else None for v in values]
        except csv.Error as exc:
            raise UploadError(_("The CSV file cannot be read: %(error)s") % {"error": exc}) from exc

    return _finish(data(), headers)


def read_table(fileobj: IO[bytes], fmt: str) -> Table:
    fileobj.seek(0)
    if fmt == "xlsx":
        return _read_xlsx(fileobj)
    if fmt == "csv":
        return _read_csv(fileobj)
    raise UploadError(_("Only .xlsx (Excel) and .csv files can be imported."))


def _xlsx_value(value: Any) -> Any:
    value = neutralise(value)
    if isinstance(value, str):
        return _ILLEGAL_XML.sub("\N{REPLACEMENT CHARACTER}", value)
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    return value


def _csv_value(value: Any) -> Any:
    value = neutralise(value)
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return value


def write_table(
    headers: Sequence[str], rows: Iterable[Sequence[Any]], fmt: str, out: IO[bytes], title: str
) -> None:
    """Write a sheet with every cell neutralised (headers included)."""
    if fmt == "xlsx":
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font
        from openpyxl.utils import get_column_letter

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=re.sub(r"[\\*?:/\[\]]", "-", title)[:31] or "Sheet1")
        sheet.freeze_panes = "A2"
        for index, header in enumerate(headers, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = max(12, len(header) * 2 + 2)
        bold = Font(bold=True)
        header_cells = []
        for header in headers:
            cell = WriteOnlyCell(sheet, value=_xlsx_value(header))
            cell.font = bold
            header_cells.append(cell)
        sheet.append(header_cells)
        for row in rows:
            sheet.append([_xlsx_value(v) for v in row])
        workbook.save(out)
        return
    if fmt == "csv":
        text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
        writer = csv.writer(text)
        writer.writerow([_csv_value(h) for h in headers])
        for row in rows:
            writer.writerow([_csv_value(v) for v in row])
        text.flush()
        text.detach()
        return
    raise ValueError(f"unknown format {fmt!r}")


def content_type(fmt: str) -> str:
    return XLSX_CONTENT_TYPE if fmt == "xlsx" else CSV_CONTENT_TYPE
