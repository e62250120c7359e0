"""portal.core.downloads: private files are downloads the browser neither renders nor keeps."""

from __future__ import annotations

import io

import pytest
from django.core.files.base import ContentFile

from portal.core.downloads import MAX_NAME_CHARS, protected_file_response, safe_filename


@pytest.mark.parametrize(
    "name, expected",
    [
        ("证明材料.pdf", "证明材料.pdf"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\a\\report.pdf", "report.pdf"),
        ('a"b;c\r\nSet-Cookie: x.pdf', "a_b_cSet-Cookie_ x.pdf"),
        ("\x00\x1f.pdf", "pdf"),
        ("..", "download"),
        ("", "download"),
        ("name\u202egpj.exe", "namegpj.exe"),  # a right-to-left override is dropped
    ],
)
def test_safe_filename(name, expected):
    assert safe_filename(name) == expected


def test_long_names_keep_their_extension():
    name = safe_filename("年" * 400 + ".xlsx")
    assert len(name) == MAX_NAME_CHARS and name.endswith(".xlsx")


def test_response_headers():
    response = protected_file_response(io.BytesIO(b"%PDF-1.7"), filename="../报告 1.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%E6%8A%A5%E5%91%8A%201.pdf"
    )
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == b"%PDF-1.7"


def test_a_declared_type_wins_and_unknown_types_are_octet_streams():
    data = ContentFile(b"x", name="x.bin")
    assert protected_file_response(data, filename="x", content_type="image/png")[
        "Content-Type"
    ] == ("image/png")
    assert protected_file_response(io.BytesIO(b"x"), filename="x.unknown")["Content-Type"] == (
        "application/octet-stream"
    )
