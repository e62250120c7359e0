"""Small synthetic schemes for engine tests (exercise features the shipped data do not use)."""

from __future__ import annotations

import copy
from typing import Any

T = {"zh": "文本", "en": "Text"}


def minimal() -> dict[str, Any]:
    """A tiny valid points scheme: one ratio item and one choice item."""
    return copy.deepcopy(
        {
            "format": "ip-portal-scheme/1",
            "code": "demo",
            "version": 1,
            "title": T,
            "scoring": "points",
            "level_basis": "total",
            "inputs": [
                {"code": "a", "type": "number", "min": "0", "label": T},
                {"code": "b", "type": "number", "min": "0", "label": T},
            ],
            "sections": [
                {
                    "code": "s",
                    "weight": "10",
                    "title": T,
                    "items": [
                        {
                            "code": "R",
                            "type": "number",
                            "max": "5",
                            "expression": "a / b",
                            "bands": [
                                {"bound": "0.5", "points": "5"},
                                {"bound": ">0", "points": "1"},
                            ],
                            "text": T,
                        },
                        {
                            "code": "Q",
                            "type": "choice",
                            "max": "5",
                            "options": [
                                {"code": "y", "label": T, "points": "5"},
                                {"code": "n", "label": T, "points": "0"},
                            ],
                            "text": T,
                        },
                    ],
                }
            ],
            "levels": [
                {"code": "hi", "label": T, "min": "8"},
                {"code": "lo", "label": T},
            ],
            "veto_level": {"code": "no", "label": T},
        }
    )


def featured() -> dict[str, Any]:
    """A points scheme with conditions, multi, boolean, date, direct number and conformity items."""
    conformity = [
        {"code": "full", "label": T, "value": "1"},
        {"code": "half", "label": T, "value": "0.5"},
        {"code": "na", "label": T, "na": True},
    ]
    return copy.deepcopy(
        {
            "format": "ip-portal-scheme/1",
            "code": "featured",
            "version": 2,
            "title": T,
            "description": T,
            "scoring": "points",
            "level_basis": "percent",
            "max_score": "20",
            "inputs": [
                {"code": "exports", "type": "boolean", "label": T},
                {
                    "code": "markets",
                    "type": "number",
                    "integer": True,
                    "min": "1",
                    "max": "200",
                    "label": T,
                    "condition": {"key": "exports", "op": "eq", "value": True},
                },
                {
                    "code": "size",
                    "type": "choice",
                    "options": [{"code": "small", "label": T}, {"code": "large", "label": T}],
                    "label": T,
                },
            ],
            "sections": [
                {
                    "code": "main",
                    "weight": "14",
                    "title": T,
                    "items": [
                        {
                            "code": "channels",
                            "type": "multi",
                            "max": "3",
                            "options": [
                                {"code": "web", "label": T, "points": "2"},
                                {"code": "shop", "label": T, "points": "2"},
                                {"code": "fair", "label": T, "points": "1"},
                            ],
                            "text": T,
                        },
                        {
                            "code": "audited",
                            "type": "boolean",
                            "points": "2",
                            "max": "2",
                            "text": T,
                        },
                        {
                            "code": "since",
                            "type": "date",
                            "max": "3",
                            "bands": [
                                {"bound": "10", "points": "3"},
                                {"bound": "3", "points": "1"},
                            ],
                            "text": T,
                        },
                        {
                            "code": "staff",
                            "type": "number",
                            "integer": True,
                            "min": "0",
                            "max": "2",
                            "bands": [
                                {"bound": "5", "points": "2"},
                                {"bound": ">0", "points": "1"},
                            ],
                            "text": T,
                        },
                        {
                            "code": "doc",
                            "type": "conformity",
                            "max": "4",
                            "na_allowed": True,
                            "options": conformity,
                            "text": T,
                            "condition": {"key": "size", "op": "in", "value": ["large"]},
                        },
                    ],
                },
                {
                    "code": "abroad",
                    "weight": "6",
                    "title": T,
                    "condition": {"all": [{"key": "exports", "op": "eq", "value": True}]},
                    "items": [
                        {
                            "code": "reach",
                            "type": "number",
                            "max": "6",
                            "expression": "markets",
                            "bands": [
                                {"bound": "20", "points": "6"},
                                {"bound": "5", "points": "3"},
                            ],
                            "text": T,
                        }
                    ],
                },
            ],
            "levels": [
                {"code": "good", "label": T, "min": "80", "min_section_percent": "50"},
                {"code": "fair", "label": T, "min": "40"},
                {"code": "poor", "label": T},
            ],
            "veto_level": {"code": "vetoed", "label": T},
        }
    )
