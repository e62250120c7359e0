"""Building registry files for the transfer tests."""

from __future__ import annotations

import csv
import io

import openpyxl

from tests.factories import valid_credit_code

ZH_HEADERS = [
    "统一社会信用代码",
    "企业名称",
    "地区代码",
    "行业",
    "企业规模",
    "成立日期",
    "联系人",
    "联系电话",
    "负责人邮箱",
]
EN_HEADERS = [
    "Credit code",
    "Enterprise name",
    "Region code",
    "Industry",
    "Size",
    "Founded on",
    "Contact person",
    "Contact phone",
    "Owner e-mail",
]

_n = iter(range(700_000, 800_000))


def good_row(i: int, region: str = "420900", email: str | None = None) -> list:
    return [
        valid_credit_code(region=region, n=next(_n)),
        f"导入企业{i}有限公司",
        region,
        "C",
        "小型",
        "2016-03-01",
        "王五",
        "13900002222",
        email or "",
    ]


def xlsx_bytes(rows, headers=ZH_HEADERS) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    if headers is not None:
        sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_bytes(rows, headers=ZH_HEADERS, encoding="utf-8-sig") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def rewrite_sheet(data: bytes, edit, *, stream=None) -> bytes:
    """The workbook ``data`` with its first sheet's XML changed by ``edit(xml) -> xml``;
    ``stream(write)`` may write extra rows (bytes) just before ``</sheetData>``, so that a big
    sheet never sits in memory."""
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename != "xl/worksheets/sheet1.xml":
                archive.writestr(info, content)
                continue
            head, tail = edit(content.decode()).split("</sheetData>")
            with archive.open(info.filename, "w", force_zip64=True) as sheet:
                sheet.write(head.encode())
                if stream is not None:
                    stream(sheet.write)
                sheet.write(("</sheetData>" + tail).encode())
    return out.getvalue()


def without_dimension(xml: str) -> str:
    import re

    return re.sub(r"<dimension [^>]*/>", "", xml)
