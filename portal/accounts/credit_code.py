"""Unified social credit code (统一社会信用代码, GB 32100-2015) checks.

Pure functions, no Django. ``check_credit_code`` reports the first problem found, so that the
form can show a specific message: wrong length, a character outside the code's alphabet (the
letters I, O, Z, S and V never occur), a wrong organisation-code check character (position 17,
GB 11714) or a wrong code check character (position 18, GB/T 17710 mod 31).
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

#: The 31 symbols of the code, in value order (0–9 → 0–9, A → 10 … Y → 30).
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
FORBIDDEN_LETTERS = frozenset("IOZSV")
_VALUES = {ch: i for i, ch in enumerate(ALPHABET)}
#: W_i = 3^(i-1) mod 31 for positions 1..17.
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_SEPARATORS = re.compile(r"[\s\-‐–—_]+")


class Problem(enum.Enum):
    EMPTY = "empty"
    LENGTH = "length"
    FORBIDDEN_LETTER = "forbidden_letter"
    INVALID_CHARACTER = "invalid_character"
    REGION_DIGITS = "region_digits"
    ORG_CHECK = "org_check"
    CHECK_CHARACTER = "check_character"

    @property
    def overridable(self) -> bool:
        """Only check-character failures can come from a genuinely issued (early) code."""
        return self in (Problem.ORG_CHECK, Problem.CHECK_CHARACTER)


@dataclass(frozen=True)
class CreditCodeCheck:
    code: str  # normalised: upper case, separators removed
    problem: Problem | None = None
    detail: str = ""  # the offending characters, or the expected check character

    @property
    def valid(self) -> bool:
        return self.problem is None


def normalise(raw: str) -> str:
    """Upper-case and drop spaces and hyphens that people type or paste."""
    return _SEPARATORS.sub("", raw or "").upper()


def code_check_character(first17: str) -> str:
    """Position 18 for the given first 17 characters (which must be in ``ALPHABET``)."""
    total = sum(_VALUES[ch] * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def _org_value(ch: str) -> int:
    return int(ch) if ch.isdigit() else ord(ch) - ord("A") + 10


def org_check_character(first8: str) -> str:
    """GB 11714 organisation-code check character for positions 9–16 of the credit code."""
    total = sum(_org_value(ch) * w for ch, w in zip(first8, _ORG_WEIGHTS, strict=True))
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def check_credit_code(raw: str) -> CreditCodeCheck:
    code = normalise(raw)
    if not code:
        return CreditCodeCheck(code, Problem.EMPTY)
    if len(code) != 18:
        return CreditCodeCheck(code, Problem.LENGTH, str(len(code)))
    forbidden = sorted({ch for ch in code if ch in FORBIDDEN_LETTERS})
    if forbidden:
        return CreditCodeCheck(code, Problem.FORBIDDEN_LETTER, "".join(forbidden))
    invalid = sorted({ch for ch in code if ch not in _VALUES})
    if invalid:
        return CreditCodeCheck(code, Problem.INVALID_CHARACTER, "".join(invalid))
    if not code[2:8].isdigit():
        return CreditCodeCheck(code, Problem.REGION_DIGITS, code[2:8])
    expected_org = org_check_character(code[8:16])
    if code[16] != expected_org:
        return CreditCodeCheck(code, Problem.ORG_CHECK, expected_org)
    expected = code_check_character(code[:17])
    if code[17] != expected:
        return CreditCodeCheck(code, Problem.CHECK_CHARACTER, expected)
    return CreditCodeCheck(code)


def region_code(code: str) -> str:
    """The six-digit administrative division (GB/T 2260) of the registering authority."""
    return normalise(code)[2:8]
