"""Validators for the contact and identity fields of an enterprise record.

Used by the registration and profile forms and by the registry import, so that both accept and
refuse the same phone numbers and credit codes, with the same reasons. The credit code itself
is checked by ``portal.accounts.credit_code.check_credit_code``; this module words its result.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.accounts.credit_code import CreditCodeCheck, Problem

#: A mainland mobile number (11 digits) or a landline with area code and an optional extension,
#: optionally after +86.
PHONE_RE = re.compile(r"^(?:\+?86[- ]?)?(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(?:-\d{1,6})?)$")
_SPACES = re.compile(r"\s+")


def normalise_phone(raw: str | None) -> str:
    """Drop the spaces people type or paste ("139 0000 2222" → "13900002222")."""
    return _SPACES.sub("", raw or "")


def validate_phone(value: str) -> None:
    """Refuse anything but a mobile number or a landline with area code (normalised first)."""
    if not PHONE_RE.match(normalise_phone(value)):
        raise ValidationError(
            _("Enter a mobile number (11 digits) or a landline with area code."), code="phone"
        )


CREDIT_CODE_MESSAGES = {
    Problem.EMPTY: _("Enter the 18-character unified social credit code."),
    Problem.LENGTH: _("A unified social credit code has 18 characters; you entered %(detail)s."),
    Problem.FORBIDDEN_LETTER: _(
        "The letters I, O, Z, S and V never occur in a unified social credit code "
        "(found: %(detail)s). Check for the digits 1, 0, 2, 5 or the letter U."
    ),
    Problem.INVALID_CHARACTER: _(
        "The code may only contain digits and capital letters (found: %(detail)s)."
    ),
    Problem.REGION_DIGITS: _(
        "Characters 3–8 are the six-digit administrative division code (found: %(detail)s)."
    ),
    Problem.ORG_CHECK: _(
        "Character 17 (the organisation-code check character) does not match; it should be "
        "%(detail)s. Please check the code for a typing error."
    ),
    Problem.CHECK_CHARACTER: _(
        "The last character (the check character) does not match the code; it should be "
        "%(detail)s. Please check the code for a typing error."
    ),
}


#: For a problem that the messages above do not word yet (a check added to ``credit_code.py``).
INVALID_CREDIT_CODE = _("This is not a valid unified social credit code.")


def credit_code_error(check: CreditCodeCheck) -> ValidationError:
    """The reason a failed ``check_credit_code`` result gives, as a ``ValidationError``."""
    return ValidationError(
        CREDIT_CODE_MESSAGES.get(check.problem, INVALID_CREDIT_CODE),
        code=check.problem.value if check.problem else "invalid",
        params={"detail": check.detail},
    )
