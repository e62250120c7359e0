"""The row checks of a registry import, against values loaded once per file.

``RegistryRows.load`` reads the regions and which of the file's credit codes are registered
already (a handful of queries, whatever the number of rows); ``RegistryRows.clean`` then checks
a row without a query. Phone numbers and credit codes are checked by ``portal.accounts``'s
validators, as in the registration form.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.transfer.files import FormulaValue
from assessments.transfer.resources.columns import cell_text, header_key, parse_date
from portal.accounts.choices import Industry
from portal.accounts.credit_code import check_credit_code
from portal.accounts.models import Enterprise, Region
from portal.accounts.resources import ENTERPRISE_COLUMNS, SIZE_LABELS
from portal.accounts.validators import credit_code_error, normalise_phone, validate_phone
from portal.core.spreadsheets import FORMULA_PREFIXES, Column
from portal.core.text import validate_single_line

_SIZES = {
    header_key(alias): value
    for value, labels in SIZE_LABELS.items()
    for alias in (value, *labels, f"{labels[0]}企业")
}
_INDUSTRIES = frozenset(Industry.values)

#: Cleaned values of a row (column key -> value) and its problems (column key -> messages).
Cleaned = tuple[dict[str, Any], dict[str, list[str]]]


class RegistryRows:
    """Checks the rows of one registry file: each cell on its own, the file's codes together."""

    def __init__(self, *, scope: Iterable[str] | None = None) -> None:
        #: Region codes the rows may use; None for all.
        self.scope = None if scope is None else frozenset(scope)
        self.regions: dict[str, Region] = {}
        self._cities: frozenset[str] = frozenset()
        self._registered: set[str] = set()
        self._seen: dict[str, int] = {}

    def load(self, credit_codes: Iterable[Any]) -> None:
        """Load the regions and the already registered codes among ``credit_codes``."""
        regions = list(Region.objects.select_related("parent"))
        self.regions = {r.code: r for r in regions}
        parents = {r.parent_id for r in regions if r.parent_id and r.parent_id != r.code}
        self._cities = frozenset(r.code for r in regions if r.code not in parents)
        self._seen = {}
        codes = sorted({check_credit_code(cell_text(v)).code for v in credit_codes} - {""})
        self._registered = set()
        for start in range(0, len(codes), 500):
            self._registered.update(
                Enterprise.objects.filter(credit_code__in=codes[start : start + 500]).values_list(
                    "credit_code", flat=True
                )
            )

    def clean(self, row: Mapping[str, Any], number: int) -> Cleaned:
        """Check the row on sheet row ``number``; return its cleaned values and problems."""
        values: dict[str, Any] = {}
        errors: dict[str, list[str]] = {}
        for column in ENTERPRISE_COLUMNS:
            if not column.imported or column.key not in row:
                continue
            try:
                values[column.key] = self._clean_cell(column, row[column.key], number)
            except ValidationError as exc:
                errors[column.key] = exc.messages
        return values, errors

    def _clean_cell(self, column: Column, raw: Any, number: int) -> Any:
        if isinstance(raw, FormulaValue):
            raise ValidationError(
                _("The cell holds a formula (%(formula)s); enter the value itself.")
                % {"formula": str(raw)[:40]}
            )
        text = cell_text(raw)
        if column.required and not text:
            raise ValidationError(_("This column is required."))
        if column.max_length and len(text) > column.max_length:
            raise ValidationError(
                _("Too long: %(length)s characters, at most %(max)s.")
                % {"length": len(text), "max": column.max_length}
            )
        check = getattr(self, f"_clean_{column.key}", None)
        if not text or check is None:
            return text
        return check(text, raw, number)

    def _clean_credit_code(self, text: str, raw: Any, number: int) -> str:
        check = check_credit_code(text)
        if not check.valid:
            raise credit_code_error(check)
        if check.code in self._registered:
            raise ValidationError(_("An enterprise with this credit code is already registered."))
        if check.code in self._seen:
            raise ValidationError(
                _("Duplicate in the file: the same credit code is on row %(row)s.")
                % {"row": self._seen[check.code]}
            )
        self._seen[check.code] = number
        return check.code

    def _clean_name(self, text: str, raw: Any, number: int) -> str:
        if text.startswith(FORMULA_PREFIXES):
            raise ValidationError(
                _("Must not begin with =, +, -, @ or a tab (a spreadsheet formula).")
            )
        validate_single_line(text)
        return text

    _clean_contact_name = _clean_name

    def _clean_region_code(self, text: str, raw: Any, number: int) -> str:
        # The code alone, or followed by the region's name as the template's list writes it.
        text = text.split(maxsplit=1)[0]
        if text not in self.regions:
            raise ValidationError(
                _("Unknown region code %(code)s: use a six-digit GB/T 2260 city code.")
                % {"code": text}
            )
        if text not in self._cities:
            raise ValidationError(
                _("%(code)s is a province; use the code of the city.") % {"code": text}
            )
        if self.scope is not None and text not in self.scope:
            raise ValidationError(
                _("Region %(code)s is outside your review regions.") % {"code": text}
            )
        return text

    def _clean_industry(self, text: str, raw: Any, number: int) -> str:
        letter = text.split(maxsplit=1)[0].upper()
        if letter not in _INDUSTRIES:
            raise ValidationError(
                _("Unknown industry %(value)s: start with the GB/T 4754 section letter A to T.")
                % {"value": text[:40]}
            )
        return letter

    def _clean_size(self, text: str, raw: Any, number: int) -> str:
        size = _SIZES.get(header_key(text))
        if not size:
            raise ValidationError(
                _(
                    "Unknown size %(value)s: use large, medium, small or micro (大型/中型/小型/微型)."
                )
                % {"value": text[:40]}
            )
        return size

    def _clean_founded_on(self, text: str, raw: Any, number: int) -> dt.date:
        founded = parse_date(raw)
        if founded is None:
            raise ValidationError(_("Not a date: write it as YYYY-MM-DD."))
        if founded > timezone.localdate():
            raise ValidationError(_("The founding date is in the future."))
        if founded.year < 1900:
            raise ValidationError(_("The founding date is before 1900."))
        return founded

    def _clean_contact_phone(self, text: str, raw: Any, number: int) -> str:
        phone = normalise_phone(text)
        validate_phone(phone)
        return phone

    def _clean_owner_email(self, text: str, raw: Any, number: int) -> str:
        try:
            validate_email(text)
        except ValidationError:
            raise ValidationError(_("Not a valid e-mail address.")) from None
        return text
