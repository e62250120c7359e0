"""User text in PDFs is text: an enterprise name full of markup cannot forge a report or a
certificate, and rendering never fetches anything but ``data:`` URIs."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from pypdf import PdfReader

from assessments.reports import pdf
from assessments.reports.services import render_submission_report
from assessments.review import certificates
from assessments.review.models import Certificate
from tests import factories
from tests.assessments.review.conftest import make_programme

pytestmark = pytest.mark.django_db

CLEAN = "孝感清白科技有限公司"
# Each piece tries another way out of the text: closing the style block the running header used
# to sit in, a script, an image with a handler, CSS url() and @import fetches, forged content.
EVIL = (
    '"</style><style>@import url(http://x/a.css);</style>'
    "<script>alert(1)</script><img src=file:///etc/hostname onerror=x()>"
    '<p style="background:url(http://x/b)">FORGED 100/100</p><style>'
)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _text(rendered: tuple[bytes, tuple[str, ...]], pages: slice) -> str:
    """The squashed text of ``pages``, the (random) credit and verification codes replaced."""
    data, codes = rendered
    reader = PdfReader(io.BytesIO(data))
    text = _squash("".join(page.extract_text() or "" for page in reader.pages[pages]))
    for code in codes:
        text = text.replace(code, "<code>")
    return text


@pytest.fixture
def fetches(monkeypatch) -> list[str]:
    """Every URL WeasyPrint asks the fetcher for."""
    seen: list[str] = []
    original = pdf.safe_url_fetcher

    def recording():
        fetcher = original()
        fetch = fetcher.fetch

        def spy(url, *args, **kwargs):
            seen.append(url)
            return fetch(url, *args, **kwargs)

        fetcher.fetch = spy
        return fetcher

    monkeypatch.setattr(pdf, "safe_url_fetcher", recording)
    return seen


def _report(name: str, lang: str = "zh-hans") -> tuple[bytes, tuple[str, ...]]:
    enterprise = factories.EnterpriseFactory(name=name)
    submission = factories.make_submission(enterprise, on=dt.date(2026, 6, 30))
    codes = (enterprise.credit_code, submission.verify_code)
    return render_submission_report(submission, lang)[0], codes


def _certificate(name: str) -> tuple[bytes, tuple[str, ...]]:
    enterprise = factories.EnterpriseFactory(name=name)
    programme = make_programme(code=f"hb-{len(name)}")
    certificate = Certificate(
        number="HB-2026-ADVANTAGE-2026-00001",
        enterprise=enterprise,
        programme=programme,
        level="demonstration",
        level_label_zh="示范企业水平",
        level_label_en="Demonstration enterprise level",
        valid_from=dt.date(2026, 7, 1),
        valid_until=dt.date(2029, 6, 30),
        verify_code="ABCDEFGH23456789",
    )
    return certificates.pdf_bytes(certificate), (enterprise.credit_code,)


def test_the_payload_is_short_enough_to_be_a_registered_name():
    assert len(EVIL) <= 200


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_report_shows_a_forged_name_as_text_and_nothing_else(lang, fetches):
    clean, forged = _report(CLEAN, lang), _report(EVIL, lang)
    for page in (0, 1):  # the cover, and a page with the running header
        pages = slice(page, page + 1)
        clean_text, forged_text = _text(clean, pages), _text(forged, pages)
        assert _squash(EVIL) in forged_text
        assert forged_text.replace(_squash(EVIL), "") == clean_text.replace(CLEAN, "")
    assert [url for url in fetches if not url.startswith("data:")] == []


def test_certificate_shows_a_forged_name_as_text_and_nothing_else(fetches):
    clean, forged = _certificate(CLEAN), _certificate(EVIL)
    # One page when the name is short; the long forged name may push the footer to a second.
    clean_text, forged_text = _text(clean, slice(None)), _text(forged, slice(None))
    assert _squash(EVIL) in forged_text
    assert forged_text.replace(_squash(EVIL), "") == clean_text.replace(CLEAN, "")
    assert [url for url in fetches if not url.startswith("data:")] == []


@pytest.mark.parametrize(
    "text",
    [
        "",
        "plain",
        '"quoted" and \\backslash\\',
        "</style><script>alert(1)</script>",
        "line\nbreak\r\nand\ttab",
        "第 1 页 / 共 9 页",
        "url(http://x) @import 'y'; } { ;",
        "\x00nul\x7f",
    ],
)
def test_css_string_round_trips_and_cannot_close_the_style_block(text):
    import tinycss2

    quoted = pdf.css_string(text)
    assert quoted[0] == quoted[-1] == '"'
    # No quote, "<", line break or stray backslash inside: only six-digit escapes.
    assert re.fullmatch(r'(?:[^\\"<\r\n\f]|\\[0-9a-f]{6})*', quoted[1:-1]), quoted
    tokens = [t for t in tinycss2.parse_component_value_list(quoted) if t.type != "whitespace"]
    assert len(tokens) == 1 and tokens[0].type == "string"
    expected = text.replace("\x00", "\ufffd")  # CSS maps NUL to U+FFFD
    assert tokens[0].value == expected


def test_url_fetcher_allows_inline_data_only():
    """No file, no network and no path: templates embed what they need as ``data:`` URIs."""
    fetcher = pdf.safe_url_fetcher()
    assert fetcher.fetch("data:text/plain,hello")
    for url in (
        "file:///etc/passwd",
        "http://127.0.0.1/x.png",
        "https://example.org/x.css",
        "ftp://example.org/x",
        "/static/portal/portal.css",
        "../../etc/passwd",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
