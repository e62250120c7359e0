"""Input as people type it, made comparable: the one normaliser behind every form.

Chinese input methods produce full-width characters (``９１３３…``, ``１，２００``, ``－``),
ideographic spaces (U+3000), and text pasted from web pages or PDFs often carries zero-width
characters (U+200B …) or byte-order marks. Three kinds of input are treated differently:

* **Identifiers** — codes, figures, phone numbers, e-mail addresses, user names, dates and
  choice values (:func:`normalise_identifier`). They are compared with stored values and
  checked against patterns, so they are brought to one spelling: format and control characters
  (zero-width spaces, joiners, byte-order marks, direction marks, NUL) are dropped, then Unicode
  NFKC folds full-width digits and letters, the full-width hyphen and the ideographic space to
  their ASCII forms, the other dashes (‐ ‒ – — ― −) become "-", and the ends are trimmed.
* **Free text** — names, explanations, comments (:func:`clean_free_text`). It keeps its
  characters: NFKC is *not* applied, because an enterprise's registered name writes its
  brackets full-width by convention (``武汉某某科技有限公司（分公司）``) and must be stored as it is
  printed on the business licence; NFKC would also rewrite ``㈱``, ``①`` or ``ｶﾀｶﾅ``. Only
  characters nobody means to type are removed: zero-width characters (U+200B, U+200C, U+200D,
  U+2060, U+FEFF), NUL and the other C0 control characters except tab, line feed and carriage
  return (PostgreSQL refuses NUL; spreadsheets refuse the others). Whitespace at the ends,
  ideographic spaces included, is trimmed; inner spacing is kept.
* **Figures** — :func:`parse_figure`: an identifier that must be a decimal number. Thousands
  separators are allowed ("1,200,000", "1，200，000", "1 200 000", with any Unicode space) if
  they separate groups of three digits; the decimal mark is "." (or "。", which a Chinese input
  method types for the full stop key). Anything else is a :class:`FigureError`.

The normalisers are pure Python (the credit-code checks use them too) and idempotent
(normalising twice gives the same text as normalising once). The end of the module holds the
rules for single-line text: names that must stay on one line, and e-mail subject lines.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

#: Characters with no width that paste and input methods leave behind.
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
_FREE_TEXT_DROP = re.compile(
    "[" + ZERO_WIDTH + "\x00-\x08\x0b\x0c\x0e-\x1f\x7f]",
)
_DASHES = str.maketrans({ch: "-" for ch in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58"})
_SPACE_LIKE_CONTROLS = "\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85"
#: Longest figure text considered (15 whole digits, separators, 6 places and a sign fit easily).
MAX_FIGURE_LENGTH = 64
_FIGURE = re.compile(
    r"""^(?P<sign>[+-]?)
        (?P<whole>[0-9]{1,3}(?P<sep>[, ])[0-9]{3}(?:(?P=sep)[0-9]{3})*|[0-9]*)
        (?:\.(?P<frac>[0-9]*))?$""",
    re.VERBOSE | re.ASCII,
)
_LOOKS_GROUPED = re.compile(r"[+-]?[0-9][0-9, ]*(?:\.[0-9, ]*)?", re.ASCII)


def _drop_invisible(text: str) -> str:
    """Control characters that act as spaces become spaces; format characters go."""
    out = []
    for ch in text:
        category = unicodedata.category(ch)
        if category == "Cc":
            if ch in _SPACE_LIKE_CONTROLS:
                out.append(" ")
        elif category != "Cf":
            out.append(ch)
    return "".join(out)


def normalise_identifier(text: str | None) -> str:
    """Codes, figures, phone numbers, e-mail addresses, user names: one ASCII-leaning spelling."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", _drop_invisible(text))
    # NFKC can only produce characters that are themselves NFKC-stable; dropping invisible
    # characters first means no combining sequence is joined up only on a second pass.
    return _drop_invisible(text).translate(_DASHES).strip()


def clean_free_text(text: str | None) -> str:
    """Names, explanations, comments: the characters as typed, minus invisible junk."""
    if not text:
        return ""
    return _FREE_TEXT_DROP.sub("", text).strip()


class FigureError(ValueError):
    """A figure that cannot be read; ``code`` says why: "invalid", "separators" (not groups of
    three digits, or a comma used as the decimal mark) or "too_long"."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def parse_figure(text: str | None) -> Decimal | None:
    """The number typed, or None for empty input; :class:`FigureError` when it is not one."""
    text = normalise_identifier(text).replace("。", ".")
    if not text:
        return None
    if len(text) > MAX_FIGURE_LENGTH:
        raise FigureError("too_long")
    match = _FIGURE.match(text)
    if match is None or not (match["whole"] or match["frac"]):
        if _LOOKS_GROUPED.fullmatch(text) and ("," in text or " " in text):
            raise FigureError("separators")
        raise FigureError("invalid")
    whole = (match["whole"] or "0").replace(",", "").replace(" ", "")
    frac = match["frac"] or ""
    return Decimal(f"{match['sign']}{whole}.{frac}" if frac else f"{match['sign']}{whole}")


def canonical_figure(text: str | None) -> str:
    """The figure without separators ("1,200.50" -> "1200.50"), or the identifier-normalised
    text unchanged when it is not a figure (so that the field reports the problem)."""
    try:
        number = parse_figure(text)
    except FigureError:
        return normalise_identifier(text)
    return "" if number is None else format(number, "f")


# --- Single-line text ---------------------------------------------------------------------

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
