"""Level rules with the firm's figures, result rows, scheme rules and export cells."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest

from assessments import engine, presentation
from assessments.engine import builtin_scheme
from assessments.presentation import exports, levels, rows, rules
from assessments.samples import IP_ENTERPRISE_SAMPLE, conformity_answers

NB = "\u00a0"
ON = dt.date(2026, 6, 30)


@pytest.fixture(scope="module")
def ip():
    return builtin_scheme("ip-enterprise", 1)


@pytest.fixture(scope="module")
def gbt():
    return builtin_scheme("gbt29490-2023", 1)


@pytest.fixture(scope="module")
def ip_result(ip):
    return engine.score(ip, IP_ENTERPRISE_SAMPLE, ON)


@pytest.fixture(scope="module")
def gbt_case(gbt):
    answers = conformity_answers(gbt, "largely") | {"8-rd": "partly", "P2": False}
    return answers, engine.score(gbt, answers, ON)


def test_total_plus_bonus_decides_and_each_threshold_shows_the_firms_figure(ip, ip_result):
    zh = levels.level_rules(ip, ip_result, "zh")
    assert zh.basis == "等级按总分加加分确定。"
    assert zh.figure == "74.00"
    assert zh.figure_line == "总分加加分：72.00 + 2.00 = 74.00"
    top, middle, fallback = zh.levels
    assert top.reached and top.label == "示范企业水平"
    assert [(c.text, c.met) for c in top.conditions] == [
        ("总分加加分不低于 70.00（本企业：74.00）", True)
    ]
    assert not middle.reached and fallback.fallback
    assert (
        zh.veto is not None
        and zh.veto.conditions[0].text == "任一否决项适用（本企业：无否决项适用）"
    )
    en = levels.level_rules(ip, ip_result, "en")
    assert en.levels[0].conditions[0].text == (
        "total score plus bonus at least 70.00 (yours: 74.00)"
    )
    assert en.levels[-1].conditions[0].text == "otherwise"


def test_percent_basis_section_minimum_and_prerequisites(gbt, gbt_case):
    result = gbt_case[1]
    en = levels.level_rules(gbt, result, "en")
    assert en.basis == "The level is decided by the percentage of the maximum score."
    ready = en.levels[0]
    texts = [c.text for c in ready.conditions]
    assert texts[0].startswith(f"percentage score at least 85.0{NB}% (yours: ")
    assert "your lowest: 8 Operation" in texts[1]  # the clause number, not a code
    assert texts[2] == "every prerequisite met (not met: At least one full internal audit done)"
    assert [c.met for c in ready.conditions] == [False, False, False]
    zh = levels.level_rules(gbt, result, "zh")
    assert zh.levels[0].conditions[1].text.startswith(f"每个适用部分均不低于该部分满分的 60.0{NB}%")
    assert zh.veto is None  # the scheme has no veto items
    reached = [lv.code for lv in zh.levels if lv.reached]
    assert reached == [result.level]


def test_vetoed_result(ip):
    result = engine.score(ip, {**IP_ENTERPRISE_SAMPLE, "V2": True}, ON)
    rule = levels.level_rules(ip, result, "en").veto
    assert rule is not None and rule.reached
    assert rule.conditions[0].met
    assert ip.vetoes[1].label.en in rule.conditions[0].text


def test_section_gap_and_item_rows(ip, ip_result, gbt, gbt_case):
    sections = rows.section_rows(ip, ip_result, "zh")
    first = sections[0]
    assert (first.label, first.score, first.percent) == (
        "知识产权创造",
        "24.00",
        f"68.6{NB}%",
    )
    gaps = rows.gap_rows(gbt, gbt_case[1], "en")
    assert gaps[0].label.startswith("8 ") and "-" not in gaps[0].reference
    assert gaps[0].section == "8 Operation"
    assert gaps[0].recommendation
    blocks = rows.item_rows(ip, ip_result, IP_ENTERPRISE_SAMPLE, "en")
    m5 = next(i for b in blocks for i in b.items if i.code == "M5")
    assert (m5.answer, m5.points, m5.max) == (f"4.0{NB}%", "2.00", "3.00")
    assert [a.key for a in m5.answers] == ["rd_expense_3y", "revenue_3y"]
    assert m5.answers[0].text == f"2,000{NB}× 10,000 RMB"


def test_evidence_is_listed_with_the_items_it_supports(ip, ip_result):
    record = SimpleNamespace(
        pk=7,
        item_code="rd_expense_3y",
        original_name="审计报告.pdf",
        size=2048,
        sha256="ab" * 32,
        uploaded_at=dt.datetime(2026, 6, 1, 9, 30),
    )
    by_key = rows.evidence_by_key([record])
    blocks = rows.item_rows(ip, ip_result, IP_ENTERPRISE_SAMPLE, "zh", by_key)
    items = {i.code: i for b in blocks for i in b.items}
    assert [e.name for e in items["M5"].evidence] == ["审计报告.pdf"]  # M5 reads rd_expense_3y
    assert [e.name for e in items["M6"].evidence] == ["审计报告.pdf"]
    assert items["C1"].evidence == ()
    row = items["M5"].evidence[0]
    assert (row.pk, row.size, row.uploaded_on) == (7, "2.0\xa0KB", dt.date(2026, 6, 1))


def test_what_if_rows_use_the_next_level_wording(gbt, gbt_case):
    answers, result = gbt_case
    what = engine.what_if(gbt, answers, ON, result)
    view = rows.what_if_view(gbt, what, "zh")
    assert view.target == presentation.level_label(gbt, what.target_level, "zh")
    step = view.sets[0].steps[0]
    assert step.label.split(" ")[0].replace(".", "").isdigit()  # a clause number first
    assert step.answer in ("符合", "基本符合", "部分符合")
    assert "." in step.current and len(step.current.split(".")[1]) == 2
    top = rows.what_if_view(
        builtin_scheme("ip-enterprise", 1),
        engine.what_if(builtin_scheme("ip-enterprise", 1), IP_ENTERPRISE_SAMPLE, ON),
        "en",
    )
    assert top.reason_code == "top_level" and top.reason == "The highest level is already reached."


def test_scheme_rules_in_words(ip, gbt):
    zh = rules.scheme_rules(ip, "zh")
    u1 = next(i for s in zh.sections for i in s.items if i.code == "U1")
    assert u1.rules[0] == f"≥ 60.0{NB}%：18.00"  # a ratio's bound as a percentage
    assert u1.max == "18.00"
    assert zh.bonus is not None and zh.bonus.cap == "5.00"
    en = rules.scheme_rules(gbt, "en")
    assert en.common_rules[0] == "Fully meets: ×1"
    assert en.sections[0].label == "4 Context of the organisation"
    assert en.weighted


def test_score_summary(ip, ip_result, gbt, gbt_case):
    zh = presentation.score_summary(ip, ip_result, "zh")
    assert (zh.total, zh.bonus, zh.deciding, zh.level_label) == (
        "72.00",
        "2.00",
        "74.00",
        "示范企业水平",
    )
    assert zh.total_line == f"72.00 / 100.00（72.0{NB}%）"
    en = presentation.score_summary(gbt, gbt_case[1], "en")
    assert not en.has_bonus
    assert en.deciding == en.percent
    assert en.total_line.endswith(f"({en.percent})")


def test_result_view_accepts_the_stored_json(ip, ip_result):
    stored = engine.result_to_dict(ip_result)
    view = presentation.result_view(ip, stored, IP_ENTERPRISE_SAMPLE, ON, "en")
    assert view.summary.level_label == "Demonstration enterprise level"
    assert [b.answer for b in view.bonus] == ["Yes", "No", "No"]
    assert view.evidence_count == 0


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_export_row(ip, ip_result, lang):
    headers = exports.result_headers(ip, lang)
    row = exports.result_row(ip, ip_result, IP_ENTERPRISE_SAMPLE, lang)
    assert len(headers) == len(row)
    cells = dict(zip(headers, row, strict=True))
    assert row[:5] == [
        Decimal("72.00"),
        Decimal("2.00"),
        Decimal("74.00"),
        Decimal("72.0"),
        presentation.level_label(ip, "demonstration", lang),
    ]
    ratio = next(h for h in headers if h.startswith(ip.item("M5").text.get(lang)))
    assert ratio.endswith("(%)") and cells[ratio] == Decimal("4.0")
    revenue = next(h for h in headers if h.startswith(ip.inputs[0].label.get(lang)))
    assert cells[revenue] == Decimal(50000)
    c1 = ip.item("C1").text.get(lang)
    assert cells[c1] == ip.item("C1").options[1].label.get(lang)


def test_export_cell():
    assert exports.cell(Decimal("1.5"), "zh") == Decimal("1.5")
    assert exports.cell(3, "zh") == 3
    assert exports.cell(True, "zh") == "是"
    assert exports.cell(False, "en") == "No"
    assert exports.cell("12", "en") == "12"  # text stays text
    assert exports.cell(None, "en") is None
    assert exports.points_cell("7.5") == Decimal("7.50")
    assert exports.percent_cell("68.57") == Decimal("68.6")
