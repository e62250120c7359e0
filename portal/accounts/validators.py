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
from portal.core.i18n import is_english

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
    Problem.AUTHORITY: _(
        "The first character is the registration authority; %(detail)s is not one of the "
        "authority codes of GB 32100 (an enterprise's code begins with 9, market regulation)."
    ),
    Problem.ENTITY_TYPE: _(
        "The first two characters (%(detail)s) are not an entity type of GB 32100; an "
        "enterprise's code begins with 91."
    ),
    Problem.NOT_ENTERPRISE: _(
        "This code belongs to a %(kind)s (type %(detail)s), not to an enterprise. Only "
        "enterprises registered by market regulation, whose codes begin with 91, can register "
        "here."
    ),
    Problem.REGION_DIGITS: _(
        "Characters 3–8 are the six-digit administrative division code (found: %(detail)s)."
    ),
    Problem.REGION_IMPOSSIBLE: _(
        "Characters 3–8 (%(detail)s) are not an administrative division code: their first two "
        "digits must be a province code (11 Beijing to 82 Macao). Please check the code for a "
        "typing error."
    ),
    Problem.REGION_UNKNOWN: _(
        "Characters 3–8 (%(detail)s) are not in the list of administrative divisions. Please "
        "check the code for a typing error. A division abolished, renamed or created since the "
        "list was made can explain it: if the code is printed exactly like this on your "
        "business licence, tick “My code is genuine” and a reviewer will verify it."
    ),
    Problem.ORG_CHECK: _(
        "Character 17 (the organisation-code check character) does not match the characters "
        "before it. Please check the code for a typing error."
    ),
    Problem.CHECK_CHARACTER: _(
        "The last character (the check character) does not match the code. Please check the "
        "code for a typing error."
    ),
}
OVERRIDE_HINT = _(
    "If the code is printed exactly like this on your business licence, tick “My code is "
    "genuine”: a few genuine early codes fail this check, and a reviewer will verify it."
)


def credit_code_message(check: CreditCodeCheck) -> str:
    """The words for a failed check, in the active language (never the expected character)."""
    kind = check.entity_type
    params = {
        "detail": check.detail,
        "kind": (kind.en if is_english() else kind.zh) if kind else check.detail,
    }
    return str(CREDIT_CODE_MESSAGES[check.problem]) % params


def credit_code_error(check: CreditCodeCheck, *, hint: bool = False) -> ValidationError:
    """One error (one message element on the page), with the override hint when it applies."""
    message = credit_code_message(check)
    if hint and check.problem in (Problem.ORG_CHECK, Problem.CHECK_CHARACTER):
        message = f"{message}{' ' if is_english() else ''}{OVERRIDE_HINT}"
    return ValidationError(message, code=check.problem.value)
