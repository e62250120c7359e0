"""Rules for single-line text: names that must stay on one line, and e-mail subject lines."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

SINGLE_LINE_MESSAGE = _("Enter this on one line: line breaks are not allowed.")


def validate_single_line(value: str) -> None:
    """Refuse line breaks of any kind (CR, LF, and the other separators str.splitlines knows).

    Names end up in e-mail headers, PDF headers and spreadsheet cells, where a line break
    either breaks the output or is refused later with a server error.
    """
    if value and value.splitlines() != [value]:
        raise ValidationError(SINGLE_LINE_MESSAGE, code="multiline")


def subject_line(text: str) -> str:
    """``text`` with every run of whitespace, line breaks included, turned into one space.

    Django refuses a header with a line break (BadHeaderError); a subject built from stored
    names (which may predate the single-line rule) goes through here first.
    """
    return " ".join(str(text).split())
