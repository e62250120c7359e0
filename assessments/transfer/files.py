"""Reading and writing spreadsheets safely.

* Exported cells are defused by ``portal.core.spreadsheets.neutralise`` (a text cell that a
  spreadsheet would run as a formula gets a leading single quote).
* ``check_upload`` refuses files that are too big or not what their name says: the content is
  sniffed (an XLSX file is a ZIP package holding ``xl/workbook.xml``; a CSV file is text without
  NUL bytes in UTF-8 or GB 18030), so a renamed PDF or program is refused.
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
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

import tablib
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from portal.core.spreadsheets import neutralise

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
FORMATS = ("xlsx", "csv")
# Characters that XML 1.0 (and so XLSX) cannot hold.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Signatures of common binary files (PDF, programs, images, OLE documents such as .xls, archives).
_BINARY_MAGIC = (
    b"%PDF",
    b"MZ",
    b"\x7fELF",
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"\xd0\xcf\x11\xe0",
    b"Rar!",
    b"\x1f\x8b",
    b"7z\xbc\xaf",
)
# Text never holds NUL or other C0 control bytes apart from tab, line feed and carriage return.
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# A ZIP package whose parts unpack to more than this is refused (a "zip bomb").
MAX_UNPACKED_BYTES = 400 * 1024 * 1024


class FormulaValue(str):
    """A cell that held a formula in the uploaded workbook (its text is the formula)."""


class UploadError(Exception):
    """A file that cannot be read at all; the message is shown to the user."""


def max_upload_bytes() -> int:
    return getattr(settings, "TRANSFER_MAX_UPLOAD_BYTES", settings.PORTAL_MAX_UPLOAD_BYTES)


def max_rows() -> int:
    return getattr(settings, "TRANSFER_MAX_ROWS", 20_000)


def _megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):.0f}"


def sniff_format(head: bytes, fileobj: IO[bytes]) -> str | None:
    """``"xlsx"``, ``"csv"`` or None for anything else, judged by the content."""
    if head.startswith(b"PK\x03\x04"):
        fileobj.seek(0)
        try:
            with zipfile.ZipFile(fileobj) as archive:
                names = set(archive.namelist())
                unpacked = sum(info.file_size for info in archive.infolist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        finally:
            fileobj.seek(0)
        if "xl/workbook.xml" in names and "[Content_Types].xml" in names:
            if unpacked > MAX_UNPACKED_BYTES:
                return None
            return "xlsx"
        return None
    if head.startswith(_BINARY_MAGIC) or _CONTROL_BYTES.search(head):
        return None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            # The head may end inside a multi-byte character: drop at most 3 trailing bytes.
            for cut in range(4):
                try:
                    (head[: len(head) - cut] if cut else head).decode(encoding)
                    return "csv"
                except UnicodeDecodeError:
                    continue
        except LookupError:  # pragma: no cover - both codecs ship with Python
            continue
    return None


def check_upload(fileobj: IO[bytes], name: str, size: int | None = None) -> str:
    """Return the sniffed format of an uploaded file or raise ``UploadError``."""
    limit = max_upload_bytes()
    if size is None:
        fileobj.seek(0, io.SEEK_END)
        size = fileobj.tell()
        fileobj.seek(0)
    if size > limit:
        raise UploadError(
            _("The file is %(size)s MB; files up to %(limit)s MB can be imported.")
            % {"size": _megabytes(size), "limit": _megabytes(limit)}
        )
    if size == 0:
        raise UploadError(_("The file is empty."))
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in FORMATS:
        raise UploadError(
            _("Only .xlsx (Excel) and .csv files can be imported; save the sheet in one of them.")
        )
    fileobj.seek(0)
    head = fileobj.read(64 * 1024)
    fileobj.seek(0)
    sniffed = sniff_format(head, fileobj)
    if sniffed != extension:
        raise UploadError(
            _(
                "The file's content is not a real %(format)s file (was it renamed?). "
                "Open it in Excel and save it as .xlsx or .csv."
            )
            % {"format": extension.upper()}
        )
    return sniffed


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
