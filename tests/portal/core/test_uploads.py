"""portal.core.uploads.check_upload: the one check of every uploaded file (evidence, registry
imports, the PDF checked on the verification page)."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from portal.core.uploads import (
    CSV,
    DOCX,
    EVIDENCE,
    PDF,
    PDF_FILES,
    PNG,
    SPREADSHEETS,
    XLSX,
    UploadRefused,
    check_upload,
    sniff,
)

PDF_BYTES = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
MB = 1024 * 1024


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def zip_bytes(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    buffer = io.BytesIO()
    openpyxl.Workbook().save(buffer)
    return buffer.getvalue()


def check(data: bytes, name: str, accept=EVIDENCE, limit: int = 10 * MB):
    return check_upload(io.BytesIO(data), accept, limit=limit, name=name)


def test_sniffing_recognises_the_kinds_by_content():
    assert sniff(PDF_BYTES) == PDF
    assert sniff(PNG_BYTES) == PNG
    assert sniff(zip_bytes("[Content_Types].xml", "word/document.xml")) == DOCX
    assert sniff(xlsx_bytes()) == XLSX
    assert sniff("名称,代码\n甲,1\n".encode("gb18030")) == CSV
    assert sniff(b"MZ\x90\x00 an executable") is None
    assert sniff(b"PK\x03\x04 not really a zip") is None
    assert sniff(b"\x00\x01\x02 binary") is None


def test_an_accepted_file_comes_back_with_its_kind_type_and_content():
    upload = SimpleUploadedFile("dir/研发制度.PDF", PDF_BYTES, "text/html")
    checked = check_upload(upload, EVIDENCE, limit=MB)
    assert (checked.name, checked.kind, checked.content_type) == (
        "研发制度.PDF",
        PDF,
        PDF.content_type,
    )
    assert checked.size == len(PDF_BYTES) and checked.content == PDF_BYTES


def test_legacy_office_files_get_the_type_of_their_extension():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100
    assert check(ole, "a.doc").content_type == "application/msword"
    assert check(ole, "a.xls").content_type == "application/vnd.ms-excel"


@pytest.mark.parametrize(
    "data, name",
    [
        (b"MZ\x90\x00" * 50, "report.pdf"),  # a renamed program
        (PNG_BYTES, "photo.pdf"),  # content and name disagree
        (PDF_BYTES, "report.exe"),  # an extension that is not accepted
        (b"plain text", "notes.pdf"),
        (zip_bytes("readme.txt"), "x.docx"),
    ],
)
def test_evidence_that_is_not_what_it_says_is_refused(data, name):
    with pytest.raises(UploadRefused) as refused:
        check(data, name)
    assert str(refused.value).startswith("This file type is not accepted.")


@pytest.mark.parametrize(
    "data, name",
    [
        (PDF_BYTES, "registry.xlsx"),
        (PDF_BYTES, "registry.csv"),
        (b"MZ\x90\x00\x03\x00\x00\x00", "registry.csv"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "registry.xlsx"),
        (PNG_BYTES, "registry.csv"),
        (zip_bytes("readme.txt"), "x.xlsx"),
        (xlsx_bytes(), "x.csv"),
    ],
)
def test_renamed_files_are_refused_as_spreadsheets(data, name):
    extension = name.rsplit(".", 1)[1].upper()
    with pytest.raises(UploadRefused) as refused:
        check(data, name, SPREADSHEETS)
    assert str(refused.value) == (
        f"The file's content is not a real {extension} file (was it renamed?). "
        "Open it in Excel and save it as .xlsx or .csv."
    )


def test_spreadsheets_by_content():
    assert check(xlsx_bytes(), "registry.xlsx", SPREADSHEETS).kind.code == "xlsx"
    gb18030 = "名称\n企业\n".encode("gb18030")
    assert check(gb18030, "registry.csv", SPREADSHEETS).kind.code == "csv"
    with pytest.raises(UploadRefused, match=r"^Only \.xlsx \(Excel\) and \.csv files"):
        check(b"a,b\n1,2\n", "x.txt", SPREADSHEETS)


def test_size_limit_and_empty_files():
    with pytest.raises(UploadRefused) as refused:
        check(b"a,b\n" + b"x" * (20 * MB), "big.csv", SPREADSHEETS)
    assert str(refused.value) == "The file is too large (20.0\xa0MB); the limit is 10.0\xa0MB."
    with pytest.raises(UploadRefused, match=r"^The file is empty\.$"):
        check(b"", "x.csv", SPREADSHEETS)
    assert check(PDF_BYTES, "x.pdf", PDF_FILES, limit=len(PDF_BYTES)).size == len(PDF_BYTES)
    with pytest.raises(UploadRefused, match="too large"):
        check(PDF_BYTES, "x.pdf", PDF_FILES, limit=len(PDF_BYTES) - 1)


def test_a_zip_bomb_is_refused(monkeypatch):
    from portal.core import uploads

    monkeypatch.setattr(uploads, "MAX_UNPACKED_BYTES", 10)
    with pytest.raises(UploadRefused):
        check(xlsx_bytes(), "x.xlsx", SPREADSHEETS)


def test_the_html_accept_attribute_lists_every_extension():
    assert EVIDENCE.html_accept.startswith(".pdf,.png,.jpg,.jpeg,")
    assert set(EVIDENCE.html_accept.split(",")) >= {".doc", ".docx", ".odp"}
    assert SPREADSHEETS.html_accept == ".xlsx,.csv"
