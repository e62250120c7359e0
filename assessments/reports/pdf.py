"""The one place where the portal turns a template into a PDF (WeasyPrint 70).

:func:`render_pdf` renders a Django template that extends ``reports/pdf/base.html`` (print CSS:
A4 pages, Noto Sans/Serif CJK SC set explicitly, running headers, "第 N 页 / 共 M 页" footers)
and returns tagged PDF bytes with the document language, title and author in the metadata.
No text reaches the print CSS unescaped: the running header (which holds the enterprise name)
is an element of the document flow, autoescaped like any HTML and moved into the page margin by
``position: running()``; the few CSS strings built in Python (the translated page counter) go
through :func:`css_string`, which leaves only harmless characters and CSS escapes.

Fonts are embedded as subsets; WeasyPrint subsets them with HarfBuzz when Debian's
``libharfbuzz-subset0`` is installed (the ``portal.W001`` system check warns when it is not).

Nothing is fetched while rendering: the URL fetcher only accepts ``data:`` URIs, so a template
can never make the server read a local file or reach the network.

:func:`qr_svg` returns an inline SVG QR code for a (verification) URL.
"""

from __future__ import annotations

import logging
import re
import threading
from typing import Any

import segno
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from portal.core.i18n import django_language, html_language, text_lang

PDF_OPTIONS: dict[str, Any] = {
    # PDF/UA-1: a tagged PDF (structure tree, reading order, /Lang) with the PDF/UA
    # identification in its XMP metadata (WeasyPrint's "pdf/ua-1" variant turns pdf_tags on).
    "pdf_variant": "pdf/ua-1",
    "pdf_tags": True,
    # Subset fonts (the default) instead of embedding the whole 20 MB CJK collection.
    "full_fonts": False,
    "hinting": False,
}

SANS = "'Noto Sans CJK SC'"
SERIF = "'Noto Serif CJK SC'"

# WeasyPrint logs every layout step at INFO level; keep the server log for real problems.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

_PLACEHOLDER = re.compile(r"%\((page|pages)\)s")


# Characters that mean nothing special inside a CSS string (no quote, backslash, line break or
# "<" that could start "</style>"); everything else is escaped.
_CSS_PLAIN = re.compile(r"[0-9A-Za-z \-_.,:;/()%+!?#'*=~\u0080-\U0010ffff]")


def css_string(text: str) -> str:
    """``text`` as a double-quoted CSS string that is safe anywhere in a ``<style>`` block.

    Every character other than ASCII letters, digits, spaces, harmless punctuation and printable
    non-ASCII characters is written as a six-digit CSS escape (``<`` → ``\\00003c``), so the
    result can close neither the string nor the style element, and CSS reads back ``text``.
    """
    out = []
    for char in text:
        if _CSS_PLAIN.match(char) and char.isprintable():
            out.append(char)
        else:
            # Six hex digits and a space: CSS ends the escape there and drops that one space.
            out.append(f"\\{ord(char):06x} ")
    return '"' + "".join(out) + '"'


def page_counter_css(template: str) -> str:
    """A CSS ``content`` value from a translated "Page %(page)s of %(pages)s" pattern.

    ``"第 %(page)s 页 / 共 %(pages)s 页"`` becomes
    ``"第 " counter(page) " 页 / 共 " counter(pages) " 页"``.
    """
    parts: list[str] = []
    pos = 0
    for match in _PLACEHOLDER.finditer(template):
        if match.start() > pos:
            parts.append(css_string(template[pos : match.start()]))
        parts.append(f"counter({match.group(1)})")
        pos = match.end()
    if pos < len(template):
        parts.append(css_string(template[pos:]))
    return " ".join(parts) or '""'


def safe_url_fetcher():
    """A URL fetcher that allows inline ``data:`` resources only (no files, no network)."""
    # WeasyPrint is imported when a PDF is made, here and below: it loads Pango, HarfBuzz and
    # the font machinery, which the processes that never render a PDF need not carry.
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols=("data",), allow_redirects=False, timeout=1)


def render_html(
    template_name: str, context: dict, *, lang: str, title: str, author: str = "IP Portal"
) -> str:
    """The HTML that :func:`render_pdf` hands to WeasyPrint (useful for previews and tests)."""
    with translation.override(django_language(lang or "")):
        page_label = _("Page %(page)s of %(pages)s")
        full = {
            **context,
            "pdf_lang": html_language(lang or ""),
            "pdf_engine_lang": text_lang(lang or ""),
            "pdf_title": title,
            "pdf_author": author,
            "pdf_sans": mark_safe(SANS),  # noqa: S308 (a constant)
            "pdf_serif": mark_safe(SERIF),  # noqa: S308 (a constant)
            # css_string() escapes every character that could end the string or the style block.
            "pdf_page_counter": mark_safe(page_counter_css(page_label)),  # noqa: S308
        }
        return render_to_string(template_name, full)


_local = threading.local()


def _font_config():
    """One WeasyPrint FontConfiguration per thread, reused across renderings.

    Building one per document loads the 20 MB CJK font collections again every time: reusing
    it saves time and keeps the process's memory flat (about 300 MB instead of growing).
    """
    config = getattr(_local, "font_config", None)
    if config is None:
        from weasyprint.text.fonts import FontConfiguration  # heavy: see safe_url_fetcher()

        config = _local.font_config = FontConfiguration()
    return config


def render_pdf_with_pages(
    template_name: str, context: dict, *, lang: str, title: str, author: str = "IP Portal"
) -> tuple[bytes, int]:
    """Like :func:`render_pdf`, also returning the number of pages."""
    from weasyprint import HTML  # heavy: see safe_url_fetcher()

    html = render_html(template_name, context, lang=lang, title=title, author=author)
    document = HTML(string=html, url_fetcher=safe_url_fetcher(), base_url=None).render(
        font_config=_font_config()
    )
    return document.write_pdf(**PDF_OPTIONS), len(document.pages)


def render_pdf(
    template_name: str, context: dict, *, lang: str, title: str, author: str = "IP Portal"
) -> bytes:
    """Render ``template_name`` with ``context`` in ``lang`` to PDF bytes.

    The template should extend ``reports/pdf/base.html``; ``title`` and ``author`` go into the
    document metadata and the running header.
    """
    return render_pdf_with_pages(template_name, context, lang=lang, title=title, author=author)[0]


def qr_code(url: str) -> segno.QRCode:
    """The QR code of ``url`` (a full QR code, never Micro QR; error correction M or better)."""
    return segno.make(url, error="m", micro=False)


def qr_png_data_uri(url: str, *, scale: int = 8) -> str:
    """A PNG ``data:`` URI of the QR code of ``url`` (``scale`` pixels per module, no border).

    PDFs embed the QR code as this image: WeasyPrint draws it much faster than the SVG path
    (show it with ``image-rendering: pixelated`` so that the modules stay sharp).
    """
    return qr_code(url).png_data_uri(scale=scale, border=0)


def qr_svg(url: str, *, label: str | None = None) -> SafeString:
    """An inline, scalable SVG of the QR code of ``url`` (size it with CSS).

    No quiet zone is drawn: give the element a white margin of at least four modules.
    """
    qr = qr_code(url)
    svg = qr.svg_inline(
        scale=1,
        border=0,
        omitsize=True,
        svgclass="qr-code",
        lineclass="qr-modules",
        title=label or url,
    )
    # role/aria so that assistive technology reads the label rather than the path data.
    svg = svg.replace(
        "<svg ",
        f'<svg role="img" aria-label="{escape(label or url)}" shape-rendering="crispEdges" ',
        1,
    )
    return mark_safe(svg)  # noqa: S308 (segno escapes the title; the label is escaped above)
