"""The published result contract: the engine's codes and numbers plus the words, per language."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from assessments import engine, presentation
from assessments.engine import builtin_scheme
from tests.assessments.engine.conftest import IP_FULL

ON = dt.date(2026, 6, 30)

CONTRACT_KEYS = [
    "scheme", "version", "total", "max", "percent", "bonus", "level", "level_label", "vetoed",
    "vetoes", "prerequisites", "sections", "items", "gaps", "warnings", "not_computable",
]  # fmt: skip


def _contract(answers, lang):
    scheme = builtin_scheme("ip-enterprise", 1)
    return presentation.contract_dict(scheme, engine.score(scheme, answers, ON), lang)


def test_contract_keys_and_words_in_chinese() -> None:
    data = _contract({**IP_FULL, "C1": "none"}, "zh")
    assert list(data) == CONTRACT_KEYS
    assert data["level_label"] == "示范企业水平"
    assert list(data["gaps"][0]) == ["item", "section", "lost", "recommendation"]
    assert data["gaps"][0]["item"] == "C1"
    assert data["gaps"][0]["recommendation"].startswith("建立立项前专利检索")
    text = engine.dumps(data)
    assert '"level_label": "示范企业水平"' in text  # not escaped to \\u


def test_contract_words_in_english() -> None:
    data = _contract({**IP_FULL, "C1": "none"}, "en")
    assert data["level_label"] == "Demonstration enterprise level"
    assert data["gaps"][0]["recommendation"].startswith("Make patent searches")
    assert _contract({**IP_FULL, "V1": True}, "en")["level_label"] == (
        "Not eligible for recommendation"
    )


def test_numbers_are_the_engines() -> None:
    scheme = builtin_scheme("gbt29490-2023", 1)
    answers = {i.code: "largely" for i in scheme.items} | {f"P{n}": True for n in range(1, 5)}
    result = engine.score(scheme, answers, ON)
    data = json.loads(
        engine.dumps(presentation.contract_dict(scheme, result, "en")), parse_float=Decimal
    )
    assert data["percent"] == Decimal("60.00")
    assert data["level"] == "largely_ready"
    assert data["level_label"] == "Largely ready, corrections needed"
    assert presentation.contract_dict(scheme, result, "zh")["level_label"] == "基本具备，需整改"
