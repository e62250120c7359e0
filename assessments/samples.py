"""Sample answer sets, one obvious place for demo content, benchmarks and tests (pure Python)."""

from __future__ import annotations

from typing import Any

from assessments.engine.model import Scheme

#: A plausible mid-sized manufacturer: 72.00 points + 2.00 bonus → demonstration level.
IP_ENTERPRISE_SAMPLE: dict[str, Any] = {
    "revenue_3y": 50000,
    "rd_expense_3y": 2000,
    "patent_product_revenue_3y": 20000,
    "ip_budget_3y": 60,
    "valid_invention_patents": 12,
    "valid_utility_patents": 20,
    "valid_design_patents": 2,
    "patent_apps_3y": 30,
    "invention_apps_3y": 18,
    "invention_grants_3y": 9,
    "foreign_apps_total": 2,
    "trademarks": 5,
    "copyrights": 3,
    "other_ip": 0,
    "ip_transactions_3y": 150,
    "core_staff_trained_pct": 70,
    "founded_on": "2016-05-01",
    "C1": "occasional",
    "M1": "cert_2023",
    "M2": "documented",
    "M3": "paid",
    "M4": "one_fulltime",
    "M8": "major_projects",
    "M9": "agreements",
    "M10": "procedure",
    "B1": True,
    "B2": False,
    "B3": False,
    "V1": False,
    "V2": False,
    "V3": False,
    "V4": False,
    "V5": False,
    "V6": False,
}


def ip_enterprise_sample(**changes: Any) -> dict[str, Any]:
    """A copy of the sample with some answers changed."""
    return {**IP_ENTERPRISE_SAMPLE, **changes}


def conformity_answers(
    scheme: Scheme, answer: str | None = "full", *, prerequisites: bool = True
) -> dict[str, Any]:
    """Every conformity item answered the same way (``answer=None`` cycles through the ratings,
    never "not applicable"), with the prerequisites met or not."""
    answers: dict[str, Any] = {}
    for index, item in enumerate(scheme.items):
        if answer is None:
            codes = [o.code for o in item.options if not o.na]
            answers[item.code] = codes[index % len(codes)]
        else:
            answers[item.code] = answer
    for prerequisite in scheme.prerequisites:
        answers[prerequisite.key] = prerequisites
    return answers
