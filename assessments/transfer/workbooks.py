"""Workbooks the registry import hands out: the check report and the blank template.

* ``write_check_report``: every row of an uploaded file as it was read, with its row number and
  its problems in the first columns and each bad cell filled red with its message as a comment,
  so the file can be corrected in place and uploaded again (the two extra columns are ignored
  on import).
* ``write_template``: the registry's import columns with data validation lists for region (the
  cities the user may import into), industry and size, and an example row on a second sheet.
"""

from __future__ import annotations

from typing import IO

from django.utils import translation
from django.utils.translation import gettext as _

from assessments.transfer.enterprises import ImportReport
from assessments.transfer.files import Marked, Table, max_rows, write_table
from assessments.transfer.resources.columns import match_headers
from portal.accounts.choices import Industry
from portal.accounts.models import Region
from portal.accounts.resources import ENTERPRISE_COLUMNS, SIZE_LABELS, industry_label

EXAMPLE_ROW = {
    "credit_code": "91420900MA49XXXX0X",
    "name": ("示例科技有限公司", "Example Technology Co., Ltd."),
    "region_code": "420900",
    "industry": "C",
    "size": "small",
    "founded_on": "2016-03-01",
    "contact_name": ("王五", "Wang Wu"),
    "contact_phone": "13900002222",
    "owner_email": "owner@example.com",
}


def write_check_report(table: Table, report: ImportReport, out: IO[bytes]) -> int:
    """The checked file: row number, problems, then the file's own columns (bad cells marked).

    Written in the active language (the importer's); returns the number of rows.
    """
    keys = match_headers(table.headers, ENTERPRISE_COLUMNS).keys
    column_of = {key: index for index, key in enumerate(keys) if key}
    by_row = report.errors_by_row()
    headers = [_("Row"), _("Problems"), *table.headers]

    def rows():
        for number, values in zip(table.row_numbers, table.dataset, strict=True):
            errors = by_row.get(number, [])
            cells = list(values)
            notes: dict[int, list[str]] = {}
            for error in errors:
                index = column_of.get(error.key)
                if index is not None:
                    notes.setdefault(index, []).append(error.message)
            for index, messages in notes.items():
                cells[index] = Marked(cells[index], "\n".join(messages))
            problems = _("; ").join(
                _("%(column)s: %(message)s") % {"column": e.column, "message": e.message}
                if e.column
                else e.message
                for e in errors
            )
            yield [number, problems, *cells]

    return write_table(headers, rows(), "xlsx", out, title=_("Check result"))


def _cities(scope: frozenset[str] | None, lang: str) -> list[str]:
    """The cities the user may import into, as "code name" (what the region list offers)."""
    regions = list(Region.objects.select_related("parent").order_by("code"))
    parents = {r.parent_id for r in regions if r.parent_id and r.parent_id != r.code}
    items = []
    for region in regions:
        if region.code in parents or (scope is not None and region.code not in scope):
            continue
        province = region.parent or region
        if lang == "en":
            name = region.name_en if province is region else f"{province.name_en} {region.name_en}"
        else:
            name = region.name_zh if province is region else f"{province.name_zh}{region.name_zh}"
        items.append(f"{region.code} {name}")
    return items


def write_template(
    out: IO[bytes], *, lang: str = "zh", scope: frozenset[str] | None = None
) -> None:
    """A blank registry sheet (headers, required ones marked ``*``, lists for region, industry
    and size) and an example sheet with one filled row."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    lang = "en" if lang == "en" else "zh"
    columns = [c for c in ENTERPRISE_COLUMNS if c.imported]
    with translation.override("en" if lang == "en" else "zh-hans"):
        lists = {
            "region_code": _cities(scope, lang),
            "industry": [industry_label(code, lang) for code in Industry.values],
            "size": [labels[1] if lang == "en" else labels[0] for labels in SIZE_LABELS.values()],
        }
        sheet_title = _("Enterprises")
        example_title = _("Example")
        hint = _("Choose from the list.")
        example_note = _(
            "An example of a filled row. Fill in the first sheet: only the first sheet is "
            "imported. Columns marked * are required."
        )

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    example = workbook.create_sheet(example_title)
    options = workbook.create_sheet("lists")
    options.sheet_state = "hidden"

    bold = Font(bold=True)
    headers = [f"{c.header(lang)}{' *' if c.required else ''}" for c in columns]
    sample = []
    for column in columns:
        value = EXAMPLE_ROW.get(column.key, "")
        if isinstance(value, tuple):
            value = value[1] if lang == "en" else value[0]
        if column.key == "region_code":
            value = next((v for v in lists["region_code"] if v.startswith(value)), value)
        elif column.key == "industry":
            value = industry_label(value, lang)
        elif column.key == "size":
            value = SIZE_LABELS[value][1 if lang == "en" else 0]
        sample.append(value)

    for target in (sheet, example):
        target.append(headers)
        for cell in target[1]:
            cell.font = bold
        target.freeze_panes = "A2"
    example.append(sample)
    example["A2"].comment = Comment(example_note, "IP Portal", 120, 320)
    grey = PatternFill("solid", fgColor="F2F2F2")
    for cell in example[2]:
        cell.fill = grey

    last_row = max_rows() + 1
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        width = max(len(headers[index - 1]) * 2, len(str(sample[index - 1])) * 2, 12)
        for target in (sheet, example):
            target.column_dimensions[letter].width = min(width, 40)
        choices = lists.get(column.key)
        if not choices:
            continue
        list_column = get_column_letter(list(lists).index(column.key) + 1)
        for row, choice in enumerate(choices, start=1):
            options[f"{list_column}{row}"] = choice
        rule = DataValidation(
            type="list",
            formula1=f"=lists!${list_column}$1:${list_column}${max(len(choices), 1)}",
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="warning",
            error=hint,
            promptTitle=column.header(lang),
            prompt=hint,
            showInputMessage=True,
        )
        rule.add(f"{letter}2:{letter}{last_row}")
        sheet.add_data_validation(rule)
    workbook.save(out)
