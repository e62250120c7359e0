"""Server-side SVG charts of a stored result (no JavaScript, no external fonts).

Both functions take the engine result dict as stored in ``Submission.result`` (numbers may be
floats, strings or Decimals) and the engine :class:`~assessments.engine.model.Scheme` of the
submission's version (for the section titles), and return an SVG fragment that can be put
inline into an HTML page or a WeasyPrint PDF. Labels and figures are those of
:mod:`assessments.presentation` (points with two decimals, percentages with one):

* :func:`section_bars_svg` — one horizontal bar per section (percent of the section maximum),
  labelled with the section title, the score and the maximum;
* :func:`radar_svg` — a polygon over one 0–100 axis per applicable section; with fewer than
  three applicable sections a radar says nothing, so it degrades to the bar chart.

The output is deterministic (same input, same string), escaped, and accessible: the ``<svg>``
has ``role="img"`` and a ``<title>``/``<desc>`` pair, referenced by ``aria-labelledby``,
stating every figure shown.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from html import escape
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from assessments.presentation import labels, numbers
from portal.core.i18n import django_language, text_lang

FONT_STACK = "'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', sans-serif"
BAR_COLOUR = "#1f5fa8"
TRACK_COLOUR = "#e6e9ee"
TEXT_COLOUR = "#1a1a1a"
MUTED_COLOUR = "#5b6470"
GRID_COLOUR = "#c4c9d1"
RADAR_FILL = "#1f5fa8"
MIN_RADAR_AXES = 3

__all__ = ["MIN_RADAR_AXES", "ChartSection", "chart_sections", "radar_svg", "section_bars_svg"]


@dataclass(frozen=True)
class ChartSection:
    """One section's figures as shown by the charts."""

    code: str
    title: str
    score: Decimal
    max: Decimal
    percent: Decimal | None  # None when the section is not applicable

    @property
    def applicable(self) -> bool:
        return self.percent is not None


def chart_sections(result: Mapping[str, Any], scheme: Any, lang: str) -> list[ChartSection]:
    """The result's sections, in result order, labelled in ``lang`` (clause numbers included)."""
    lang = text_lang(lang or "")
    out = []
    for raw in result.get("sections", ()):
        code = str(raw.get("code", ""))
        percent = numbers.to_decimal(raw.get("percent"))
        applicable = raw.get("applicable", percent is not None)
        out.append(
            ChartSection(
                code=code,
                title=labels.section_label(scheme, code, lang) if scheme is not None else code,
                score=numbers.to_decimal(raw.get("score")) or Decimal(0),
                max=numbers.to_decimal(raw.get("max")) or Decimal(0),
                percent=percent if applicable else None,
            )
        )
    return out


def _coord(value: float) -> str:
    """A coordinate with two decimals at most (stable across platforms)."""
    text = format(Decimal(repr(round(value, 4))).quantize(Decimal("0.01"), ROUND_HALF_UP), "f")
    text = text.rstrip("0").rstrip(".") if "." in text else text
    return "0" if text in ("-0", "") else text


def _clamp_percent(value: Decimal | None) -> Decimal:
    if value is None:
        return Decimal(0)
    return max(Decimal(0), min(Decimal(100), value))


def _chart_id(kind: str, body: str) -> str:
    return f"chart-{kind}-{hashlib.sha256(body.encode('utf-8')).hexdigest()[:10]}"


def _figure_line(section: ChartSection) -> str:
    if section.percent is None:
        return _("%(title)s: not applicable") % {"title": section.title}
    return _("%(title)s: %(score)s of %(max)s points (%(percent)s)") % {
        "title": section.title,
        "score": numbers.points(section.score),
        "max": numbers.points(section.max),
        "percent": numbers.percent(section.percent),
    }


def _wrap_svg(kind: str, width: int, height: int, title: str, desc: str, body: str) -> str:
    ident = _chart_id(kind, f"{title}\n{desc}\n{body}")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-{kind}" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'preserveAspectRatio="xMinYMin meet" aria-labelledby="{ident}-title {ident}-desc" '
        f'font-family="{escape(FONT_STACK)}">'
        f'<title id="{ident}-title">{escape(title)}</title>'
        f'<desc id="{ident}-desc">{escape(desc)}</desc>'
        f"{body}</svg>"
    )


def section_bars_svg(result: Mapping[str, Any], scheme: Any, lang: str) -> str:
    """Horizontal bars: each section's percent, labelled with its title and score/max."""
    with translation.override(django_language(lang)):
        sections = chart_sections(result, scheme, lang)
        width, left, right = 640, 8, 8
        track = width - left - right
        row = 44
        top = 8
        height = top + row * max(1, len(sections)) + 18
        parts: list[str] = []
        # Grid lines at 0, 25, 50, 75 and 100 % with labels under the last row.
        base = top + row * max(1, len(sections))
        for tick in (0, 25, 50, 75, 100):
            x = _coord(left + track * tick / 100)
            parts.append(
                f'<line x1="{x}" y1="{top}" x2="{x}" y2="{base}" stroke="{GRID_COLOUR}" '
                f'stroke-width="0.6" stroke-dasharray="2 3"/>'
            )
            anchor = "start" if tick == 0 else ("end" if tick == 100 else "middle")
            parts.append(
                f'<text x="{x}" y="{base + 13}" font-size="10" fill="{MUTED_COLOUR}" '
                f'text-anchor="{anchor}">{tick}{numbers.NBSP}%</text>'
            )
        for index, section in enumerate(sections):
            y = top + index * row
            parts.append(
                f'<text x="{left}" y="{y + 14}" font-size="12" fill="{TEXT_COLOUR}">'
                f"{escape(section.title)}</text>"
            )
            if section.percent is None:
                figure = _("not applicable")
            else:
                figure = _("%(score)s / %(max)s · %(percent)s") % {
                    "score": numbers.points(section.score),
                    "max": numbers.points(section.max),
                    "percent": numbers.percent(section.percent),
                }
            parts.append(
                f'<text x="{width - right}" y="{y + 14}" font-size="12" fill="{TEXT_COLOUR}" '
                f'text-anchor="end">{escape(figure)}</text>'
            )
            parts.append(
                f'<rect x="{left}" y="{y + 20}" width="{track}" height="14" rx="2" '
                f'fill="{TRACK_COLOUR}"/>'
            )
            bar = _coord(track * float(_clamp_percent(section.percent)) / 100)
            if section.percent is not None and bar != "0":
                parts.append(
                    f'<rect x="{left}" y="{y + 20}" width="{bar}" height="14" rx="2" '
                    f'fill="{BAR_COLOUR}"/>'
                )
        title = _("Score by section")
        if sections:
            desc = "; ".join(_figure_line(s) for s in sections) + "."
        else:
            desc = _("No sections to show.")
        return _wrap_svg("bars", width, height, title, desc, "".join(parts))


def _label_lines(text: str, lang: str, limit: int = 16) -> list[str]:
    """Break an English label into lines of about ``limit`` characters (Chinese stays whole)."""
    if text_lang(lang) != "en" or len(text) <= limit:
        return [text]
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if current and len(candidate) > limit:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines


def radar_svg(result: Mapping[str, Any], scheme: Any, lang: str) -> str:
    """A radar chart: one 0–100 axis per applicable section and the polygon of the percents.

    With fewer than three applicable sections the bar chart is returned instead.
    """
    with translation.override(django_language(lang)):
        sections = [s for s in chart_sections(result, scheme, lang) if s.applicable]
        if len(sections) < MIN_RADAR_AXES:
            return section_bars_svg(result, scheme, lang)
        width, height = 640, 400
        cx, cy, radius = 320.0, 200.0, 130.0
        count = len(sections)

        def point(index: int, fraction: float) -> tuple[float, float]:
            angle = -math.pi / 2 + 2 * math.pi * index / count
            return cx + radius * fraction * math.cos(angle), cy + radius * fraction * math.sin(
                angle
            )

        parts: list[str] = []
        for ring in (25, 50, 75, 100):
            points = " ".join(
                f"{_coord(x)},{_coord(y)}" for x, y in (point(i, ring / 100) for i in range(count))
            )
            parts.append(
                f'<polygon points="{points}" fill="none" stroke="{GRID_COLOUR}" '
                f'stroke-width="{1 if ring == 100 else 0.6}"/>'
            )
            x, y = point(0, ring / 100)
            parts.append(
                f'<text x="{_coord(x + 4)}" y="{_coord(y + 10)}" font-size="9" '
                f'fill="{MUTED_COLOUR}">{ring}</text>'
            )
        for index, section in enumerate(sections):
            x, y = point(index, 1)
            parts.append(
                f'<line x1="{_coord(cx)}" y1="{_coord(cy)}" x2="{_coord(x)}" y2="{_coord(y)}" '
                f'stroke="{GRID_COLOUR}" stroke-width="0.6"/>'
            )
            lx, ly = point(index, 1.12)
            dx = lx - cx
            anchor = "middle" if abs(dx) < 1 else ("start" if dx > 0 else "end")
            lines = _label_lines(section.title, lang)
            lines.append(numbers.percent(section.percent))
            # Labels above the centre grow upwards, labels below it grow downwards.
            first = ly - 14 * (len(lines) - 1) if ly < cy - 1 else ly + 4
            if abs(ly - cy) <= 1:
                first = ly - 7 * (len(lines) - 1) + 4
            tspans = "".join(
                f'<tspan x="{_coord(lx)}" y="{_coord(first + 14 * n)}"'
                + (f' fill="{MUTED_COLOUR}"' if n == len(lines) - 1 else "")
                + f">{escape(line)}</tspan>"
                for n, line in enumerate(lines)
            )
            parts.append(
                f'<text font-size="12" fill="{TEXT_COLOUR}" text-anchor="{anchor}">{tspans}</text>'
            )
        shape = [point(i, float(_clamp_percent(s.percent)) / 100) for i, s in enumerate(sections)]
        points = " ".join(f"{_coord(x)},{_coord(y)}" for x, y in shape)
        parts.append(
            f'<polygon points="{points}" fill="{RADAR_FILL}" fill-opacity="0.22" stroke="{BAR_COLOUR}" '
            f'stroke-width="2" stroke-linejoin="round"/>'
        )
        for x, y in shape:
            parts.append(f'<circle cx="{_coord(x)}" cy="{_coord(y)}" r="3" fill="{BAR_COLOUR}"/>')
        title = _("Section profile (percent of each section's maximum)")
        desc = "; ".join(_figure_line(s) for s in sections) + "."
        return _wrap_svg("radar", width, height, title, desc, "".join(parts))
