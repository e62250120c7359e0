"""Reading and writing spreadsheets safely.

* Exported cells are defused by ``portal.core.spreadsheets.neutralise`` (a text cell that a
  spreadsheet would run as a formula gets a leading single quote).
* ``check_spreadsheet`` runs the portal's upload check (``portal.core.uploads.check_upload``
  with the ``SPREADSHEETS`` policy: size, and the type judged by the content — an XLSX file is a
  ZIP package holding ``xl/workbook.xml``; a CSV file is text without NUL bytes in UTF-8 or
  GB 18030), so a renamed PDF or program is refused; for a workbook it adds ``check_workbook``.
* ``check_workbook`` refuses a workbook by what it would unpack to, before anything is parsed:
  the sizes in the ZIP directory (``TRANSFER_MAX_UNPACKED_BYTES``, 50 MB) and the first sheet's
  used range as the sheet declares it (``TRANSFER_MAX_CELLS``, a million cells). Both are read
  in milliseconds, so a small file that unpacks to hundreds of megabytes of blank rows is
  refused at once; the reader counts the cells it walks as well, for sheets that declare no
  range.
* ``read_table`` reads the first sheet (or the CSV text) into a ``tablib.Dataset`` without
  evaluating anything; formula cells are kept as ``FormulaValue`` so that the importer can
  report them.
* ``write_table`` streams rows into XLSX (openpyxl write-only mode: constant memory; bold,
  frozen header row, autofilter, column widths sized to the first rows' content) or CSV (UTF-8
  with a byte-order mark, which Excel needs to show Chinese text; times to the second), with
  every cell neutralised.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import chain, islice
from typing import IO, Any

import tablib
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from portal.core.spreadsheets import neutralise
from portal.core.uploads import SPREADSHEETS, UploadRefused, check_upload

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
FORMATS = ("xlsx", "csv")
# Characters that XML 1.0 (and so XLSX) cannot hold.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
#: The rows read to size the columns of an XLSX export (kept in memory until then).
SIZING_ROWS = 200
#: Column widths of an XLSX export, in characters (a Chinese character counts two).
MIN_WIDTH, MAX_WIDTH = 8, 60


class FormulaValue(str):
    """A cell that held a formula in the uploaded workbook (its text is the formula)."""


# A file that cannot be read at all; ``str(error)`` is shown to the user. The upload check and
# the readers raise the same exception, so that callers catch one.
UploadError = UploadRefused


def max_upload_bytes() -> int:
    return settings.TRANSFER_MAX_UPLOAD_BYTES


def max_rows() -> int:
    return settings.TRANSFER_MAX_ROWS


def max_unpacked_bytes() -> int:
    return settings.TRANSFER_MAX_UNPACKED_BYTES


def max_cells() -> int:
    return settings.TRANSFER_MAX_CELLS


def _megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):.0f}"


def _too_many_cells(cells: int, where: str = "") -> UploadError:
    """The used range is too big (``where`` as declared by the sheet, e.g. ``A1:K1048576``)."""
    values = {"range": where, "cells": f"{cells:,}", "limit": f"{max_cells():,}"}
    if where:
        message = _(
            "The sheet's used range %(range)s holds %(cells)s cells; at most %(limit)s can be "
            "imported. Delete the blank rows and columns below and to the right of the data "
            "(formatted blank cells count too), or split the file."
        )
    else:
        message = _(
            "The sheet holds more than %(limit)s cells, blank rows included. Delete the blank "
            "rows and columns below and to the right of the data, or split the file."
        )
    return UploadError(message % values)


def check_workbook(fileobj: IO[bytes]) -> None:
    """Refuse a workbook by its unpacked size and its first sheet's used range, unparsed.

    Only the ZIP directory, ``xl/workbook.xml`` with its relationships and the head of the
    first sheet (up to its ``<dimension>`` element) are read.
    """
    from openpyxl.reader.workbook import WorkbookParser
    from openpyxl.utils.cell import get_column_letter
    from openpyxl.worksheet._read_only import read_dimension

    fileobj.seek(0)
    try:
        with zipfile.ZipFile(fileobj) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            if unpacked > max_unpacked_bytes():
                raise UploadError(
                    _(
                        "The workbook unpacks to %(size)s MB; at most %(limit)s MB can be "
                        "imported. Delete the blank rows and columns below and to the right "
                        "of the data, or split the file."
                    )
                    % {"size": _megabytes(unpacked), "limit": _megabytes(max_unpacked_bytes())}
                )
            parser = WorkbookParser(archive, "xl/workbook.xml", keep_links=False)
            parser.parse()
            first = next(iter(parser.find_sheets()), None)
            if first is None:
                raise UploadError(_("The Excel file has no sheet."))
            with archive.open(first[1].target.lstrip("/")) as source:
                bounds = read_dimension(source)
    except UploadError:
        raise
    except Exception as exc:  # a damaged package: zipfile, XML and key errors alike
        raise UploadError(_("The Excel file is damaged and cannot be read.")) from exc
    finally:
        fileobj.seek(0)
    if bounds and None not in bounds:
        min_col, min_row, max_col, max_row = bounds
        cells = (max_col - min_col + 1) * (max_row - min_row + 1)
        if cells > max_cells():
            where = f"{get_column_letter(min_col)}{min_row}:{get_column_letter(max_col)}{max_row}"
            raise _too_many_cells(cells, where)


def check_spreadsheet(fileobj: IO[bytes], name: str, size: int | None = None) -> str:
    """The format ("xlsx" or "csv") of an uploaded spreadsheet, or ``UploadError``.

    The portal's upload check (size, and the type judged by the content), then for a workbook
    its unpacked size and used range (:func:`check_workbook`), before anything is parsed.
    """
    checked = check_upload(fileobj, SPREADSHEETS, limit=max_upload_bytes(), name=name, size=size)
    fmt = checked.kind.code
    if fmt == "xlsx":
        check_workbook(fileobj)
    fileobj.seek(0)
    return fmt


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
    # Blank rows are skipped, but walking them costs too: count every cell walked.
    walk_limit = max_cells() // width
    for walked, (number, values) in enumerate(rows, start=1):
        if walked > walk_limit:
            raise _too_many_cells(walked * width)
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

    check_workbook(fileobj)
    try:
        workbook = openpyxl.load_workbook(fileobj, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a damaged package
        raise UploadError(_("The Excel file is damaged and cannot be read.")) from exc
    try:
        sheet = workbook.worksheets[0]
        try:
            header_cells = next(sheet.iter_rows(min_row=1, max_row=1))
        except StopIteration:
            raise UploadError(
                _("The file is empty: the first row must hold the column names.")
            ) from None
        headers = [cell.value for cell in header_cells]
        while headers and (headers[-1] is None or not str(headers[-1]).strip()):
            headers.pop()
        # Only the header's columns are read: cells to their right are never built.
        rows = sheet.iter_rows(min_row=2, max_col=max(len(headers), 1))

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


@dataclass(frozen=True)
class Marked:
    """A cell to be flagged in an XLSX file (fill and comment); CSV files get the value only."""

    value: Any
    note: str


def display_width(value: Any) -> int:
    """How wide a cell's text is in characters, a Chinese (wide) character counting two."""
    if value is None:
        return 0
    if isinstance(value, dt.datetime):
        return 19
    if isinstance(value, dt.date):
        return 10
    text = str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _xlsx_value(value: Any) -> Any:
    value = neutralise(value)
    if isinstance(value, str):
        # An empty text is an empty cell (which the writer then skips).
        return _ILLEGAL_XML.sub("\N{REPLACEMENT CHARACTER}", value) if value else None
    if isinstance(value, dt.datetime):
        value = value.replace(microsecond=0)
        return value.replace(tzinfo=None) if value.tzinfo is not None else value
    return value


def _csv_value(value: Any) -> Any:
    if isinstance(value, Marked):
        value = value.value
    value = neutralise(value)
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None).isoformat(sep=" ", timespec="seconds")
    return value


def _column_widths(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[float]:
    widths = []
    for index, header in enumerate(headers):
        longest = display_width(header) + 2  # room for the autofilter's arrow
        for row in rows:
            if index < len(row):
                value = row[index].value if isinstance(row[index], Marked) else row[index]
                longest = max(longest, display_width(neutralise(value)))
        widths.append(min(MAX_WIDTH, max(MIN_WIDTH, longest + 1)))
    return widths


def _write_xlsx(
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    out: IO[bytes],
    title: str,
    progress: Callable[[int], None] | None,
    progress_every: int,
) -> int:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=re.sub(r"[\\*?:/\[\]]", "-", title)[:31] or "Sheet1")
    rows = iter(rows)
    # The first rows are held back to size the columns; the rest streams through.
    first = list(islice(rows, SIZING_ROWS))
    for index, width in enumerate(_column_widths(headers, first), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    flagged = PatternFill("solid", fgColor="FFC7CE")
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=_xlsx_value(header))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)

    def cell(value: Any) -> Any:
        if not isinstance(value, Marked):
            return _xlsx_value(value)
        marked = WriteOnlyCell(sheet, value=_xlsx_value(value.value))
        marked.fill = flagged
        marked.comment = Comment(_ILLEGAL_XML.sub(" ", value.note), "IP Portal", 120, 320)
        return marked

    count = 0
    for row in chain(first, rows):
        sheet.append([cell(v) for v in row])
        count += 1
        if progress and count % progress_every == 0:
            progress(count)
    if headers:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{count + 1}"
    workbook.save(out)
    return count


def _write_csv(
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    out: IO[bytes],
    progress: Callable[[int], None] | None,
    progress_every: int,
) -> int:
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
    writer = csv.writer(text)
    writer.writerow([_csv_value(h) for h in headers])
    count = 0
    for row in rows:
        writer.writerow([_csv_value(v) for v in row])
        count += 1
        if progress and count % progress_every == 0:
            progress(count)
    text.flush()
    text.detach()
    return count


def write_table(
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    fmt: str,
    out: IO[bytes],
    title: str,
    *,
    progress: Callable[[int], None] | None = None,
    progress_every: int = 1000,
) -> int:
    """Stream ``rows`` into ``out`` with every cell neutralised (headers included).

    ``rows`` may be a generator: memory stays flat whatever the number of rows (XLSX keeps
    the first ``SIZING_ROWS`` rows to size the columns). Returns the number of rows written;
    ``progress(n)`` is called every ``progress_every`` rows.
    """
    if fmt == "xlsx":
        return _write_xlsx(headers, rows, out, title, progress, progress_every)
    if fmt == "csv":
        return _write_csv(headers, rows, out, progress, progress_every)
    raise ValueError(f"unknown format {fmt!r}")


ZIP_CONTENT_TYPE = "application/zip"


def content_type(fmt: str) -> str:
    if fmt == "zip":
        return ZIP_CONTENT_TYPE
    return XLSX_CONTENT_TYPE if fmt == "xlsx" else CSV_CONTENT_TYPE
