"""Server-side SVG charts: figures, accessibility, escaping, determinism, radar fallback."""

from __future__ import annotations

import datetime as dt
import json
import math
import xml.etree.ElementTree as ET
from types import SimpleNamespace

import pytest

from assessments import engine
from assessments.charts import radar_svg, section_bars_svg
from assessments.engine import builtin_scheme
from tests.factories import IP_ENTERPRISE_ANSWERS

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def ip_scheme():
    return builtin_scheme("ip-enterprise")


@pytest.fixture(scope="module")
def ip_result(ip_scheme):
    result = engine.score(ip_scheme, IP_ENTERPRISE_ANSWERS, dt.date(2026, 6, 30))
    # As stored in Submission.result: JSON round trip (floats).
    return json.loads(engine.dumps(engine.result_to_dict(result)))


def _fake_scheme(*titles: str):
    return SimpleNamespace(
        sections=tuple(
            SimpleNamespace(code=f"s{n}", title=SimpleNamespace(get=lambda lang, t=t: t))
            for n, t in enumerate(titles)
        )
    )


def _fake_result(*percents):
    return {
        "sections": [
            {
                "code": f"s{n}",
                "score": (p or 0) / 10,
                "max": 10.0,
                "percent": p,
                "applicable": p is not None,
            }
            for n, p in enumerate(percents)
        ]
    }


def _parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)  # noqa: S314 (our own output)
    assert root.tag == f"{SVG}svg"
    return root


def test_bars_show_each_section_with_title_score_and_max(ip_result, ip_scheme):
    svg = section_bars_svg(ip_result, ip_scheme, "zh")
    root = _parse(svg)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    for title in ("知识产权创造", "知识产权运用", "知识产权管理与保护"):
        assert title in texts
    assert "24.00 / 35.00 · 68.6\xa0%" in texts
    assert "17.00 / 25.00 · 68.0\xa0%" in texts
    assert "31.00 / 40.00 · 77.5\xa0%" in texts
    # The bar widths are proportional to the percents (track 624 wide).
    bars = [r for r in root.iter(f"{SVG}rect") if r.get("fill") == "#1f5fa8"]
    widths = [float(r.get("width")) for r in bars]
    assert widths == pytest.approx([624 * 0.6857, 624 * 0.68, 624 * 0.775], abs=0.01)


def test_bars_use_english_titles(ip_result, ip_scheme):
    texts = [
        t.text for t in _parse(section_bars_svg(ip_result, ip_scheme, "en")).iter(f"{SVG}text")
    ]
    assert "IP creation" in texts
    assert "IP management and protection" in texts
    assert "知识产权创造" not in texts


def test_charts_are_accessible_images_with_the_figures(ip_result, ip_scheme):
    for svg in (
        section_bars_svg(ip_result, ip_scheme, "en"),
        radar_svg(ip_result, ip_scheme, "en"),
    ):
        root = _parse(svg)
        assert root.get("role") == "img"
        title = root.find(f"{SVG}title")
        desc = root.find(f"{SVG}desc")
        assert title is not None and title.text
        assert desc is not None
        assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
        assert "IP creation: 24.00 of 35.00 points (68.6\xa0%)" in desc.text
        assert "IP use: 17.00 of 25.00 points (68.0\xa0%)" in desc.text
        assert "IP management and protection: 31.00 of 40.00 points (77.5\xa0%)" in desc.text


def test_no_script_no_external_resources(ip_result, ip_scheme):
    for svg in (
        section_bars_svg(ip_result, ip_scheme, "zh"),
        radar_svg(ip_result, ip_scheme, "zh"),
    ):
        lowered = svg.lower()
        for forbidden in ("<script", "onload", "href", "@font-face", "url(", "@import"):
            assert forbidden not in lowered


def test_output_is_deterministic(ip_result, ip_scheme):
    assert section_bars_svg(ip_result, ip_scheme, "zh") == section_bars_svg(
        json.loads(json.dumps(ip_result)), ip_scheme, "zh"
    )
    assert radar_svg(ip_result, ip_scheme, "zh") == radar_svg(ip_result, ip_scheme, "zh")


def test_text_is_escaped():
    scheme = _fake_scheme("<script>alert(1)</script>", "A & B", '"quoted"')
    result = _fake_result(50.0, 60.0, 70.0)
    for svg in (section_bars_svg(result, scheme, "en"), radar_svg(result, scheme, "en")):
        assert "<script>" not in svg
        assert "&lt;script&gt;" in svg
        root = _parse(svg)  # well-formed despite the markup in the titles
        assert "A & B" in "".join(root.itertext())


def test_radar_vertices_lie_at_the_section_percents():
    result = _fake_result(100.0, 50.0, 0.0, 25.0)
    root = _parse(radar_svg(result, _fake_scheme("a", "b", "c", "d"), "en"))
    shape = next(p for p in root.iter(f"{SVG}polygon") if p.get("fill-opacity"))
    points = [tuple(map(float, p.split(","))) for p in shape.get("points").split()]
    cx, cy, radius = 320, 200, 130
    distances = [math.hypot(x - cx, y - cy) / radius * 100 for x, y in points]
    assert distances == pytest.approx([100, 50, 0, 25], abs=0.05)
    # The first axis points straight up.
    assert points[0] == pytest.approx((cx, cy - radius), abs=0.01)


def test_radar_degrades_to_bars_below_three_applicable_sections():
    scheme = _fake_scheme("a", "b", "c")
    result = _fake_result(40.0, None, 90.0)
    svg = radar_svg(result, scheme, "en")
    assert svg == section_bars_svg(result, scheme, "en")
    assert "chart-bars" in svg
    # The non-applicable section is said so, without a bar.
    root = _parse(svg)
    assert "not applicable" in [t.text for t in root.iter(f"{SVG}text")]
    assert "b: not applicable" in root.find(f"{SVG}desc").text
    assert len([r for r in root.iter(f"{SVG}rect") if r.get("fill") == "#1f5fa8"]) == 2


def test_radar_has_one_axis_per_applicable_section(ip_result, ip_scheme):
    root = _parse(radar_svg(ip_result, ip_scheme, "zh"))
    assert "chart-radar" in root.get("class")
    assert len(list(root.iter(f"{SVG}line"))) == 3
    labels = "".join(root.itertext())
    assert "知识产权运用" in labels and "68.0\xa0%" in labels


def test_percent_is_clamped_and_missing_sections_are_harmless():
    svg = section_bars_svg(_fake_result(130.0, -5.0), _fake_scheme("a", "b"), "en")
    widths = [
        float(r.get("width")) for r in _parse(svg).iter(f"{SVG}rect") if r.get("fill") == "#1f5fa8"
    ]
    assert widths == [624.0]
    empty = section_bars_svg({"sections": []}, None, "zh")
    assert _parse(empty).get("role") == "img"
