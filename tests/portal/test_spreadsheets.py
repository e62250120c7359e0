"""Spreadsheet cells defused on export (and restored on import), shared by every export."""

import pytest
import tablib
from import_export.formats.base_formats import CSV

from portal.core.spreadsheets import Column, neutralise, unneutralise


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
    dataset = tablib.Dataset(["=1+1", "+1", "@x", "-1"], headers=["a", "b", "c", "d"])
    CSV()._escape_formulae(dataset)
    assert list(dataset[0]) == ["1+1", "+1", "@x", "-1"]


def test_column_headers_in_each_language():
    column = Column("credit_code", "统一社会信用代码", "Credit code")
    assert (column.header("zh"), column.header("en")) == ("统一社会信用代码", "Credit code")
    assert column.both == "统一社会信用代码 / Credit code"
