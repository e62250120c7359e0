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
