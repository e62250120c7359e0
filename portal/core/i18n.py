"""The one place that maps Django language codes to the two text languages of the data.

Scheme texts, region names and titles are stored in Chinese ("zh") and English ("en"); the
engine's ``LocalText.get()`` takes the same codes. :func:`django_language` and
:func:`html_language` go the other way, for ``translation.override`` and ``lang`` attributes.
"""

from __future__ import annotations

from django.utils.translation import get_language


def text_lang(language: str | None = None) -> str:
    """ "en" for an English language code ("en", "en-gb" …), else "zh".

    Without an argument: the language active for the current request.
    """
    code = get_language() if language is None else language
    return "en" if (code or "").lower().startswith("en") else "zh"


def is_english(language: str | None = None) -> bool:
    return text_lang(language) == "en"


def django_language(language: str | None = None) -> str:
    """The Django language code of ``language`` ("en…" → "en", anything else → "zh-hans")."""
    return "en" if is_english(language) else "zh-hans"


def html_language(language: str | None = None) -> str:
    """The BCP 47 tag for an HTML ``lang`` attribute ("en" or "zh-Hans")."""
    return "en" if is_english(language) else "zh-Hans"
