"""Answer texts, value kinds, bounds, what-if targets and labels, in both languages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest

from assessments import engine, presentation
from assessments.engine import builtin_scheme
from assessments.engine.model import Band
from assessments.presentation import answers, labels, numbers
from assessments.samples import IP_ENTERPRISE_SAMPLE

NB = "\u00a0"
ON = dt.date(2026, 6, 30)


@pytest.fixture(scope="module")
def ip():
    return builtin_scheme("ip-enterprise", 1)


@pytest.fixture(scope="module")
def gbt():
    return builtin_scheme("gbt29490-2023", 1)


def test_value_kinds_come_from_the_scheme_data(ip) -> None:
    # Ratios: derived items dividing figures of one unit.
    for code in ("C5", "C6", "U1", "M5", "M6"):
        assert answers.value_kind(ip, code) == "ratio", code
    # A percentage entered as 0–100 (unit "%").
    assert answers.value_kind(ip, "core_staff_trained_pct") == "percent"
    assert answers.value_kind(ip, "M7") == "percent"
    # Figures: amounts, counts, sums of counts.
    for code in ("revenue_3y", "valid_invention_patents", "C2", "C4", "U2"):
        assert answers.value_kind(ip, code) == "figure", code
    assert numbers.unit_text(answers.value_unit(ip, "C4"), "zh") == "件"  # shared by its figures
    assert numbers.unit_text(answers.value_unit(ip, "U2"), "zh") == "万元"


@pytest.mark.parametrize(
    ("key", "value", "zh", "en"),
    [
        ("revenue_3y", 50000, f"50,000{NB}万元", f"50,000{NB}× 10,000 RMB"),
        ("valid_invention_patents", 12, f"12{NB}件", "12"),
        ("core_staff_trained_pct", 70, f"70.0{NB}%", f"70.0{NB}%"),
        ("M5", Decimal("0.03"), f"3.0{NB}%", f"3.0{NB}%"),
        ("U1", "0.4167", f"41.7{NB}%", f"41.7{NB}%"),
        ("C1", "occasional", "偶尔开展", "Occasionally"),
        ("B1", True, "是", "Yes"),
        ("V1", False, "否", "No"),
        ("C1", None, "未作答", "Not answered"),
        ("revenue_3y", "", "未作答", "Not answered"),
        ("founded_on", "2016-05-01", "2016-05-01", "2016-05-01"),
        ("C1", "unknown-code", "unknown-code", "unknown-code"),
    ],
)
def test_answer_text(ip, key, value, zh, en) -> None:
    assert answers.answer_text(ip, key, value, "zh") == zh
    assert answers.answer_text(ip, key, value, "en") == en


def test_empty_answers_read_one_way(ip, gbt) -> None:
    for empty in (None, "", []):
        assert answers.answer_text(ip, "C1", empty, "zh") == "未作答"
        assert answers.answer_text(gbt, "4.1-context", empty, "en") == "Not answered"


def test_several_choices_are_joined_per_language() -> None:
    spec = engine.model.Item(
        "X",
        "multi",
        engine.model.LocalText("多选", "Multi"),
        "s",
        options=(
            engine.model.Option("a", engine.model.LocalText("甲", "A")),
            engine.model.Option("b", engine.model.LocalText("乙", "B")),
        ),
    )
    scheme = SimpleNamespace(inputs=(), items=(spec,), bonus=None, vetoes=())  # no multi item ships
    assert answers.answer_text(scheme, "X", ["a", "b"], "zh") == "甲、乙"
    assert answers.answer_text(scheme, "X", ["a", "b"], "en") == "A; B"
    assert answers.join(["甲"], "zh") == "甲"


def test_answer_cells_for_exports(ip) -> None:
    assert answers.answer_cell(ip, "revenue_3y", 50000, "zh") == Decimal(50000)
    assert answers.answer_cell(ip, "M5", Decimal("0.0345"), "en") == Decimal("3.5")
    assert answers.answer_cell(ip, "C1", "occasional", "en") == "Occasionally"
    assert answers.answer_cell(ip, "B1", True, "zh") == "是"
    assert answers.answer_cell(ip, "C1", None, "zh") is None


def test_band_bounds_read_like_their_figures(ip) -> None:
    assert answers.bound_text(ip, "U1", Band(Decimal("0.60"), False, Decimal(18)), "zh") == (
        f"≥ 60.0{NB}%"
    )
    assert answers.bound_text(ip, "U1", Band(Decimal(0), True, Decimal(3)), "en") == f"> 0.0{NB}%"
    assert answers.bound_text(ip, "C2", Band(Decimal(50), False, Decimal(5)), "zh") == f"≥ 50{NB}件"
    assert answers.bound_text(ip, "U2", Band(Decimal(1000), False, Decimal(7)), "zh") == (
        f"≥ 1,000{NB}万元"
    )


def test_what_if_targets(ip, gbt) -> None:
    assert answers.target_text(ip, "U1", ">=0.60", "zh") == f"不少于 60.0{NB}%"
    assert answers.target_text(ip, "U1", ">0", "en") == f"more than 0.0{NB}%"
    assert answers.target_text(ip, "C2", ">=20", "en") == "at least 20"
    assert answers.target_text(ip, "B1", "true", "zh") == "是"
    assert answers.target_text(ip, "C1", "systematic", "en") == "Systematically"
    assert answers.target_text(gbt, "4.1-context", "full", "zh") == "符合"
    assert answers.target_text(ip, "C1", None, "zh") == ""


def test_derived_items_show_their_computed_figure(ip) -> None:
    result = engine.score(ip, IP_ENTERPRISE_SAMPLE, ON)
    items = {i.code: i for i in result.items}
    assert answers.item_answer_text(ip, ip.item("M5"), IP_ENTERPRISE_SAMPLE, items["M5"], "zh") == (
        f"4.0{NB}%"
    )
    stuck = {"value": None, "computable": False}
    assert answers.item_answer_text(ip, ip.item("M5"), {}, stuck, "en") == "cannot be computed"
    assert answers.item_answer_text(ip, ip.item("M5"), {}, None, "zh") == "不适用"


def test_level_labels(ip, gbt) -> None:
    assert presentation.level_label(ip, "demonstration", "zh") == "示范企业水平"
    assert presentation.level_label(ip, "demonstration", "en") == "Demonstration enterprise level"
    assert presentation.level_label(ip, "not_eligible", "zh") == ip.veto_level.label.zh
    assert presentation.level_label(ip, "", "zh") == ""
    assert presentation.level_label(ip, "nonsense", "en") == "nonsense"
    assert presentation.level_label(gbt, "ready", "en") == "Ready for certification"


def test_level_label_of_stored_records(ip) -> None:
    certificate = SimpleNamespace(level_label_zh="示范企业水平", level_label_en="")
    assert labels.level_label_of(certificate, "en") == "示范企业水平"  # falls back to Chinese
    version = SimpleNamespace(engine_scheme=ip)
    submission = SimpleNamespace(scheme_version=version, level="advantage")
    assert labels.level_label_of(submission, "en") == "Advantage enterprise level"
    application = SimpleNamespace(programme=SimpleNamespace(scheme_version=version), level="below")
    assert labels.level_label_of(application, "zh") == ip.level("below").label.zh


def test_clause_labels_never_show_internal_codes(gbt, ip) -> None:
    assert labels.item_reference("4.1-context") == "4.1"
    assert labels.item_reference("8-rd") == "8"
    assert labels.item_reference("C1") == "C1"
    assert labels.item_label(gbt, "4.1-context", "zh").startswith("4.1 是否识别")
    assert "4.1-context" not in labels.item_label(gbt, "4.1-context", "en")
    assert labels.section_label(gbt, "8", "zh") == "8 运行"
    assert labels.section_label(gbt, "8", "en") == "8 Operation"
    assert labels.section_label(ip, "creation", "zh") == "知识产权创造"  # not a clause: no code
    assert labels.item_label(ip, "C1", "en") == "C1 Does IP information steer R&D?"
