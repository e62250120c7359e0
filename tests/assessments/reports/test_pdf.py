"""Generated PDFs: text in both languages, fonts, metadata, QR code, HarfBuzz check."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
import segno
from pypdf import PdfReader

from assessments.engine import builtin_scheme
from assessments.reports.pdf import page_counter_css, qr_svg, render_pdf, safe_url_fetcher
from tests.factories import IP_ENTERPRISE_ANSWERS

from .conftest import CODE, CREDIT_CODE, ENTERPRISE, VERIFY_URL, pdf_text, stored_result


@pytest.fixture(scope="module")
def text_zh(ip_pdf_zh):
    return pdf_text(ip_pdf_zh)


@pytest.fixture(scope="module")
def text_en(ip_pdf_en):
    return pdf_text(ip_pdf_en)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_chinese_report_text(text_zh):
    text = _squash(text_zh)
    assert ENTERPRISE in text
    assert CREDIT_CODE in text
    assert CODE in text
    assert "72.00/100.00（72.0%）" in text  # total, maximum and percentage as scored
    assert "总分加加分：72.00+2.00=74.00" in text  # the figure that decides the level
    assert "示范企业水平" in text  # level label in Chinese
    for section in ("知识产权创造", "知识产权运用", "知识产权管理与保护"):
        assert section in text
    scheme = builtin_scheme("ip-enterprise")
    result = stored_result(scheme, IP_ENTERPRISE_ANSWERS)
    for gap in result["gaps"][:5]:
        assert _squash(scheme.item(gap["item"]).text.zh) in text
        assert _squash(scheme.item(gap["item"]).recommendation.zh)[:20] in text
    # Option labels of the answers and the appendix levels.
    assert "偶尔开展" in text
    assert "优势企业水平" in text


def test_english_report_text(text_en):
    text = " ".join(text_en.split())
    assert ENTERPRISE in _squash(text_en)
    assert "Demonstration enterprise level" in text
    for section in ("IP creation", "IP use", "IP management and protection"):
        assert section in text
    scheme = builtin_scheme("ip-enterprise")
    result = stored_result(scheme, IP_ENTERPRISE_ANSWERS)
    for gap in result["gaps"][:5]:
        assert _squash(scheme.item(gap["item"]).text.en) in _squash(text_en)
    assert "Summary" in text
    assert "Gap list and recommendations" in text
    assert "Appendix: scoring rules of this scheme version" in text
    assert re.search(r"Page 2 of \d+", text)
    assert "偶尔开展" not in text


def test_total_and_level_match_the_engine(text_en):
    scheme = builtin_scheme("ip-enterprise")
    result = stored_result(scheme, IP_ENTERPRISE_ANSWERS)
    text = " ".join(text_en.split())
    assert f"{result['total']:.2f} / {result['max']:.2f}" in text
    assert result["level"] == "demonstration" and "Demonstration enterprise level" in text


def test_metadata_language_and_tags(ip_pdf_zh, ip_pdf_en):
    zh, en = PdfReader(io.BytesIO(ip_pdf_zh)), PdfReader(io.BytesIO(ip_pdf_en))
    assert zh.metadata.author == "IP Portal"
    assert ENTERPRISE in zh.metadata.title
    assert "知识产权优势/示范企业评价" in zh.metadata.title
    assert "IP advantage / demonstration enterprise evaluation" in en.metadata.title
    assert zh.trailer["/Root"]["/Lang"] == "zh-Hans"
    assert en.trailer["/Root"]["/Lang"] == "en"
    # Tagged PDF: a structure tree and the MarkInfo flag.
    root = en.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"])
    # PDF/UA-1 identification and the title shown instead of the file name.
    assert 'pdfuaid:part="1"' in en.xmp_metadata.rdf_root.toxml()
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])


def _fonts(data: bytes) -> set[str]:
    reader = PdfReader(io.BytesIO(data))
    names = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def test_fonts_are_embedded_cjk_sc_subsets(ip_pdf_zh, ip_pdf_en):
    for data in (ip_pdf_zh, ip_pdf_en):
        fonts = _fonts(data)
        assert fonts
        for name in fonts:
            # ABCDEF+ marks a subset; the family must be the simplified-Chinese Noto face.
            assert re.fullmatch(r"/[A-Z]{6}\+Noto-?(Sans|Serif)-?CJK-?SC.*", name, re.I), name
        assert any("Sans" in f for f in fonts) and any("Serif" in f for f in fonts)
        reader = PdfReader(io.BytesIO(data))
        for page in reader.pages[:1]:
            for font in page["/Resources"]["/Font"].values():
                descendant = font.get_object()["/DescendantFonts"][0].get_object()
                descriptor = descendant["/FontDescriptor"].get_object()
                assert any(k in descriptor for k in ("/FontFile2", "/FontFile3")), "not embedded"


def test_page_footer_uses_the_translated_pattern():
    assert page_counter_css("第 %(page)s 页 / 共 %(pages)s 页") == (
        '"第 " counter(page) " 页 / 共 " counter(pages) " 页"'
    )
    assert page_counter_css("Page %(page)s of %(pages)s") == (
        '"Page " counter(page) " of " counter(pages)'
    )
    assert page_counter_css('a"b %(page)s') == '"a\\000022 b " counter(page)'


def _qr_box(data: bytes) -> tuple[str, list[float], float]:
    reader = PdfReader(io.BytesIO(data))
    page = reader.pages[0]
    for annot in page.get("/Annots") or []:
        annot = annot.get_object()
        uri = annot.get("/A", {}).get("/URI")
        if uri:
            x0, y0, x1, y1 = (float(v) for v in annot["/Rect"])
            box = [min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)]
            return str(uri), box, float(page.mediabox.height)
    raise AssertionError("no link annotation on the cover")


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler-utils (pdftoppm)")
def test_qr_code_on_the_cover_carries_the_verification_url(ip_pdf_zh):
    """Rasterise the cover, read the QR modules inside the link's box, compare with segno."""
    from PIL import Image

    uri, (x0, _y0, x1, y1), page_height = _qr_box(ip_pdf_zh)
    assert uri == VERIFY_URL
    expected = segno.make(VERIFY_URL, error="m", micro=False)
    matrix = [list(row) for row in expected.matrix]
    size = len(matrix)
    dpi = 300
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "r.pdf"
        pdf.write_bytes(ip_pdf_zh)
        subprocess.run(
            [
                "pdftoppm",
                "-f",
                "1",
                "-l",
                "1",
                "-r",
                str(dpi),
                "-gray",
                "-png",
                pdf,
                Path(tmp) / "p",
            ],
            check=True,
        )
        image = Image.open(next(Path(tmp).glob("p*.png"))).convert("L")
    scale = dpi / 72
    left, top = x0 * scale, (page_height - y1) * scale
    module = (x1 - x0) * scale / size
    assert module > 4  # at least 4 pixels per module at 300 dpi
    seen = [
        [
            1
            if image.getpixel((int(left + (c + 0.5) * module), int(top + (r + 0.5) * module))) < 128
            else 0
            for c in range(size)
        ]
        for r in range(size)
    ]
    assert seen == matrix
    # A different URL gives a different matrix: the comparison can fail.
    assert [list(r) for r in segno.make(VERIFY_URL + "x", error="m", micro=False).matrix] != seen


def test_qr_svg_is_accessible_and_escaped():
    svg = qr_svg("https://example.org/verify/X/?a=1&b=<2>", label='QR "x" & y')
    assert 'role="img"' in svg
    assert 'aria-label="QR &quot;x&quot; &amp; y"' in svg
    assert "<2>" not in svg


def test_renderer_fetches_nothing():
    fetcher = safe_url_fetcher()
    with pytest.raises(ValueError, match="disallowed protocol"):
        fetcher.fetch("file:///etc/passwd")
    with pytest.raises(ValueError, match="disallowed protocol"):
        fetcher.fetch("http://127.0.0.1/x.png")
    assert fetcher.fetch("data:text/plain,hello")


def test_render_pdf_is_reusable_for_other_documents(tmp_path, settings):
    """Another app (certificates) renders its own template through the same function."""
    template_dir = tmp_path / "tpl"
    (template_dir / "cert").mkdir(parents=True)
    (template_dir / "cert" / "c.html").write_text(
        '{% extends "reports/pdf/base.html" %}{% block body %}<h1>{{ who }}</h1>'
        '<img src="file:///etc/hostname" alt="">{% endblock %}',
        encoding="utf-8",
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [template_dir, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    data = render_pdf(
        "cert/c.html", {"who": "证书持有人"}, lang="zh", title="证书", author="审核机构"
    )
    reader = PdfReader(io.BytesIO(data))
    assert reader.metadata.title == "证书"
    assert reader.metadata.author == "审核机构"
    assert "证书持有人" in pdf_text(data)


def test_harfbuzz_subset_is_installed_here():
    """WeasyPrint loaded HarfBuzz-Subset (else it falls back to fontTools, ~40x slower)."""
    from weasyprint.text.ffi import harfbuzz_subset

    from portal.core.checks import harfbuzz_subset_available

    assert harfbuzz_subset_available()
    assert harfbuzz_subset is not None


def test_chinese_page_footer_in_the_pdf(monkeypatch):
    """The translated footer pattern becomes "第 N 页 / 共 M 页" on every page."""
    from assessments.reports import pdf

    def fake_gettext(message):
        return (
            "第 %(page)s 页 / 共 %(pages)s 页" if message.startswith("Page %(page)s") else message
        )

    monkeypatch.setattr(pdf, "_", fake_gettext)
    data = render_pdf(
        "reports/pdf/base.html", {}, lang="zh-hans", title="页脚测试", author="IP Portal"
    )
    assert "第1页/共1页" in re.sub(r"\s+", "", pdf_text(data))


def test_the_report_never_shows_the_internal_scheme_code(text_zh, text_en):
    assert "ip-enterprise" not in text_zh
    assert "ip-enterprise" not in text_en
    assert re.search(r"enterprise evaluation \(version \d+\)", " ".join(text_en.split()))


def test_the_running_header_keeps_the_firms_name_on_one_line(ip_pdf_en):
    # A4 text width holds the English title and the name only on two lines; the name must
    # move to the second line whole rather than be split between them.
    lines = [line.strip() for line in pdf_text(ip_pdf_en).splitlines()]
    header_lines = [line for line in lines if "self-assessment report" in line]
    assert header_lines
    for line in lines:
        if ENTERPRISE[:3] in line:
            assert ENTERPRISE in line.replace(" ", "")
