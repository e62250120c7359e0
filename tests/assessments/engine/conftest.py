"""Shared fixtures and answer builders for the engine tests (pure Python, no database)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from assessments.engine import Result, Scheme, builtin_scheme
from assessments.engine.result import ItemResult, SectionResult

ON = dt.date(2026, 6, 30)

# A hand-checked answer set worth exactly 100 points (35 + 25 + 40) and no bonus.
IP_FULL: dict[str, Any] = {
    "revenue_3y": 10000,
    "rd_expense_3y": 500,  # 0.05 of revenue -> M5 3
    "patent_product_revenue_3y": 6000,  # 0.60 -> U1 18
    "ip_budget_3y": 25,  # 0.05 of R&D -> M6 5
    "valid_invention_patents": 50,  # C2 5
    "valid_utility_patents": 10,
    "valid_design_patents": 0,
    "patent_apps_3y": 60,  # C3 5
    "invention_apps_3y": 36,  # 36/60 = 0.60 -> C5 5
    "invention_grants_3y": 26,  # 26/36 = 0.72 -> C6 7
    "foreign_apps_total": 10,  # C7 3
    "trademarks": 20,  # C4 5
    "copyrights": 0,
    "other_ip": 0,
    "ip_transactions_3y": 1000,  # U2 7
    "core_staff_trained_pct": 80,  # M7 4
    "founded_on": "2010-01-01",
    "C1": "systematic",
    "M1": "cert_2023",
    "M2": "implemented",
    "M3": "paid",
    "M4": "dedicated",
    "M8": "all_products",
    "M9": "system",
    "M10": "used",
    "V1": False,
    "V2": False,
    "V3": False,
    "V4": False,
    "V5": False,
    "V6": False,
}


def ip_answers(**changes: Any) -> dict[str, Any]:
    """IP_FULL with some keys changed (a value of None removes the key)."""
    answers = dict(IP_FULL)
    for key, value in changes.items():
        if value is None:
            answers.pop(key, None)
        else:
            answers[key] = value
    return answers


def gbt_answers(scheme: Scheme, default: str = "full", **changes: Any) -> dict[str, Any]:
    """Every GB/T item answered ``default`` and every prerequisite met, then ``changes``."""
    answers: dict[str, Any] = {item.code: default for item in scheme.items}
    answers.update({p.key: True for p in scheme.prerequisites})
    answers.update(changes)
    return answers


def item_result(result: Result, code: str) -> ItemResult:
    """The ItemResult of ``code``."""
    return next(i for i in result.items if i.code == code)


def section_result(result: Result, code: str) -> SectionResult:
    """The SectionResult of ``code``."""
    return next(s for s in result.sections if s.code == code)


@pytest.fixture(scope="session")
def ip() -> Scheme:
    """The shipped ip-enterprise scheme, version 1."""
    return builtin_scheme("ip-enterprise", 1)


@pytest.fixture(scope="session")
def ip2() -> Scheme:
    """The shipped ip-enterprise scheme, version 2."""
    return builtin_scheme("ip-enterprise", 2)


@pytest.fixture(scope="session")
def gbt23() -> Scheme:
    """The shipped GB/T 29490-2023 self-check, version 1."""
    return builtin_scheme("gbt29490-2023", 1)


@pytest.fixture(scope="session")
def gbt23v2() -> Scheme:
    """The shipped GB/T 29490-2023 self-check, version 2."""
    return builtin_scheme("gbt29490-2023", 2)


@pytest.fixture(scope="session")
def gbt13() -> Scheme:
    """The shipped GB/T 29490-2013 self-check."""
    return builtin_scheme("gbt29490-2013")
