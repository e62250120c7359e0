"""The one place that turns a stored result into what people read.

Presentation
------------
The engine returns codes and numbers; this package adds the words and formats the figures, in
Chinese or English (``lang`` is a text language, "zh" or "en": see
``portal.core.i18n.text_lang``), from the scheme's bilingual data. Every reader of a result
uses it, so a figure reads the same on the results page, in the PDF report, in the review
workspace, on a certificate and in an export:

* :mod:`.numbers` — points with two decimals (``72.00``), figures grouped by thousands with
  their unit (``1,200 万元``), percentages with one decimal (``41.7 %``), ratios as
  percentages (0.03 → ``3.0 %``), never raw decimals.
* :mod:`.labels` — level labels, section and item labels with clause numbers for GB/T schemes
  (``4.1 …``, ``8 运行``; never internal codes such as ``4.1-context``), recommendations.
* :mod:`.answers` — answer text (``未作答`` / ``Not answered`` for an empty answer everywhere,
  是/否, options joined with "、" or "; "), and :func:`.answers.value_kind`, the one place
  that decides from the scheme data whether a figure is a ratio, a percentage or a figure.
* :mod:`.levels` — how the level is decided: each level's thresholds, section minimums and
  prerequisites with the firm's own figure against each, and the figure that decides
  (total, total plus bonus, or percentage).
* :mod:`.rows` — section, item (answers, points, evidence), gap and what-if rows ("next level",
  one term everywhere), veto items, prerequisites, bonus items. Evidence records are passed in
  by the caller (``assessments.models.Evidence`` or anything with the same attributes).
* :mod:`.rules` — the scheme's scoring rules in words (the report's appendix).
* :mod:`.warnings` — plausibility warnings: the scheme's message, the answers involved and the
  firm's explanation (the wizard's review step, the report's appendix, the review workspace).
* :mod:`.summary` — :func:`result_view`, all of the above for one result, and
  :func:`score_summary`, its headline figures.
* :mod:`.exports` — spreadsheet cells. For exports: :func:`level_label` gives the level
  column; :func:`.answers.answer_cell` an answer cell (a plain number for figures, ratios as
  numbers of per cent, the answer text otherwise) and :func:`.exports.answer_header` its header
  (with the unit or "(%)"); :func:`.exports.cell` any other value (numbers stay numbers,
  booleans 是/否 or Yes/No, the rest text); :func:`.exports.points_cell` and
  :func:`.exports.percent_cell` scores and percentages; :func:`.exports.result_row` with
  :func:`.exports.result_headers` one submission's full row.

Templates format stored figures with the ``presentation_tags`` filters (``points``,
``percent``, ``level_label``), which call this package.

Nothing here writes, and nothing here reads the database: callers pass the scheme, the stored
result, the frozen answers and, where shown, the evidence records.
"""

from __future__ import annotations

from typing import Any

from assessments import engine

from .answers import answer_cell, answer_text, not_answered, value_kind
from .labels import (
    item_label,
    item_reference,
    level_label,
    level_label_of,
    recommendation,
    section_label,
)
from .levels import level_rules, level_thresholds
from .summary import ResultView, ScoreSummary, as_result, result_view, score_summary
from .warnings import WarningRow, warning_rows

__all__ = [
    "ResultView",
    "ScoreSummary",
    "WarningRow",
    "answer_cell",
    "answer_text",
    "as_result",
    "contract_dict",
    "item_label",
    "item_reference",
    "level_label",
    "level_label_of",
    "level_rules",
    "level_thresholds",
    "not_answered",
    "recommendation",
    "result_view",
    "score_summary",
    "section_label",
    "value_kind",
    "warning_rows",
]


def contract_dict(scheme: engine.Scheme, result: engine.Result, lang: str) -> dict[str, Any]:
    """The result in the published contract's shape, with the words in ``lang``.

    This is what ``manage.py score`` prints: the engine's codes and numbers plus
    ``level_label`` after ``level`` and a ``recommendation`` on every gap.
    """
    data = engine.result_to_dict(result)
    out: dict[str, Any] = {}
    for key, value in data.items():
        out[key] = value
        if key == "level":
            out["level_label"] = level_label(scheme, result.level, lang)
    out["gaps"] = [
        {**gap, "recommendation": recommendation(scheme, gap["item"], lang)} for gap in data["gaps"]
    ]
    return out
