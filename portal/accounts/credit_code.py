"""Unified social credit code (统一社会信用代码, GB 32100-2015) checks.

Pure functions, no Django. ``check_credit_code`` reads the code the way a person types it
(full-width characters, spaces and hyphens are tidied by :func:`normalise`) and reports what is
wrong, in this order:

1. *Refused outright* — the code cannot be a credit code, or cannot be an enterprise's: wrong
   length; a character outside the code's alphabet (the letters I, O, Z, S and V never occur);
   position 1 not a registration authority or position 2 not an entity type of that authority
   (``data/gb32100.json``); an entity type that is not an enterprise (below); characters 3–8
   not six digits, or not starting with a province code (990100 cannot be a GB/T 2260 code).
2. *Overridable* — the code may still be genuine: the region digits are not in the bundled
   GB/T 2260 list (a division since abolished or renamed, or created after the list was
   made: :mod:`portal.accounts.divisions`), or a check character is wrong (position 17, the
   GB 11714 organisation-code check, or position 18, GB/T 17710 mod 31; some codes issued in
   early pilot regions fail it). The registrant may declare the code genuine; the enterprise is
   then registered and flagged for a reviewer to compare with the business licence.
   ``CreditCodeCheck.problems`` lists every overridable problem found, for the reviewer.

Which entity types are enterprises (``enterprise_types`` in ``data/gb32100.json``): only
**91**, 企业, registered by market regulation (工商/市场监管). That covers companies,
partnerships, sole-proprietorship enterprises, foreign-invested enterprises and their branches,
which is what the IP-enterprise programmes and GB/T 29490 certification serve. Refused:
92 个体工商户 (an individual business is a natural person under the Civil Code, art. 54, not an
enterprise); 93 农民专业合作社 (a farmers' cooperative is a special legal person, art. 96 and
100, not an enterprise, and has its own support schemes); every other authority (1x 机关 and
事业单位, 5x 社会团体, 民办非企业单位 and 基金会, 3x law firms and notaries, Nx collective economic
organisations, …), which registers public bodies and non-profit organisations.

The messages never state the expected check character: a fabricated code must not become
"valid" by copying a hint.
"""

from __future__ import annotations

import enum
import json
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from portal.accounts import divisions
from portal.core.text import normalise_identifier

#: The 31 symbols of the code, in value order (0–9 → 0–9, A → 10 … Y → 30).
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
FORBIDDEN_LETTERS = frozenset("IOZSV")
_VALUES = {ch: i for i, ch in enumerate(ALPHABET)}
#: W_i = 3^(i-1) mod 31 for positions 1..17.
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
TABLES_FILE = Path(__file__).resolve().parent / "data" / "gb32100.json"


class Problem(enum.Enum):
    EMPTY = "empty"
    LENGTH = "length"
    FORBIDDEN_LETTER = "forbidden_letter"
    INVALID_CHARACTER = "invalid_character"
    AUTHORITY = "authority"
    ENTITY_TYPE = "entity_type"
    NOT_ENTERPRISE = "not_enterprise"
    REGION_DIGITS = "region_digits"
    REGION_IMPOSSIBLE = "region_impossible"
    REGION_UNKNOWN = "region_unknown"
    ORG_CHECK = "org_check"
    CHECK_CHARACTER = "check_character"

    @property
    def overridable(self) -> bool:
        """Problems a genuinely issued code can have (flagged for a reviewer, not refused)."""
        return self in (Problem.REGION_UNKNOWN, Problem.ORG_CHECK, Problem.CHECK_CHARACTER)


@dataclass(frozen=True)
class EntityType:
    code: str  # positions 1–2, e.g. "92"
    authority_zh: str
    authority_en: str
    zh: str
    en: str


@dataclass(frozen=True)
class CreditCodeCheck:
    code: str  # normalised: upper case, separators removed
    problem: Problem | None = None
    # The offending characters, the length, the region digits, or the entity type's code; never
    # the expected check character.
    detail: str = ""
    #: Every overridable problem (when ``problem`` is overridable), for the reviewer.
    problems: tuple[Problem, ...] = field(default=())

    @property
    def valid(self) -> bool:
        return self.problem is None

    @property
    def entity_type(self) -> EntityType | None:
        return entity_type(self.code[:2]) if len(self.code) >= 2 else None


@cache
def _tables() -> dict:
    return json.loads(TABLES_FILE.read_text(encoding="utf-8"))


def entity_type(head: str) -> EntityType | None:
    """The GB 32100 entity type of positions 1–2, or None when the table has no such type."""
    authority = _tables()["authorities"].get(head[:1])
    kind = authority["types"].get(head[1:2]) if authority and len(head) >= 2 else None
    if kind is None:
        return None
    return EntityType(head[:2], authority["zh"], authority["en"], kind["zh"], kind["en"])


def is_enterprise_type(head: str) -> bool:
    return head[:2] in _tables()["enterprise_types"]


def normalise(raw: str) -> str:
    """As typed, made comparable: NFKC (full-width → ASCII), upper case, without the spaces,
    hyphens and zero-width characters people type or paste."""
    text = normalise_identifier(raw).upper()
    text = "".join(ch for ch in text if not ch.isspace() and ch not in "-_")
    # Removing a space can bring a combining mark next to a letter: compose once more.
    return unicodedata.normalize("NFKC", text)


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


def check_credit_code(raw: str, *, enterprise: bool = True) -> CreditCodeCheck:
    """Check a code as typed; ``enterprise=False`` accepts every entity type of the tables."""
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
    if code[0] not in _tables()["authorities"]:
        return CreditCodeCheck(code, Problem.AUTHORITY, code[0])
    if entity_type(code[:2]) is None:
        return CreditCodeCheck(code, Problem.ENTITY_TYPE, code[:2])
    if enterprise and not is_enterprise_type(code[:2]):
        return CreditCodeCheck(code, Problem.NOT_ENTERPRISE, code[:2])
    region = code[2:8]
    if not region.isdigit():
        return CreditCodeCheck(code, Problem.REGION_DIGITS, region)
    region_status = divisions.status(region)
    if region_status is divisions.Status.IMPOSSIBLE:
        return CreditCodeCheck(code, Problem.REGION_IMPOSSIBLE, region)
    problems = []
    if region_status is divisions.Status.UNKNOWN:
        problems.append(Problem.REGION_UNKNOWN)
    if code[16] != org_check_character(code[8:16]):
        problems.append(Problem.ORG_CHECK)
    if code[17] != code_check_character(code[:17]):
        problems.append(Problem.CHECK_CHARACTER)
    if problems:
        detail = region if problems[0] is Problem.REGION_UNKNOWN else ""
        return CreditCodeCheck(code, problems[0], detail, tuple(problems))
    return CreditCodeCheck(code)


def region_code(code: str) -> str:
    """The six-digit administrative division (GB/T 2260) of the registering authority."""
    return normalise(code)[2:8]
