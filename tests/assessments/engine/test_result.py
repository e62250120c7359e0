"""The result JSON: key order, number format, determinism, round trip."""

from __future__ import annotations

import json
import random
from decimal import Decimal

from assessments.engine import (
    Scheme,
    dumps,
    result_from_dict,
    result_from_json,
    result_to_dict,
    result_to_json,
    score,
)

from .conftest import ON, gbt_answers, ip_answers

TOP_KEYS = [
    "scheme", "version", "total", "max", "percent", "bonus", "level", "vetoed",
    "vetoes", "prerequisites", "sections", "items", "gaps", "warnings", "not_computable",
]  # fmt: skip


def test_key_order_and_number_format(ip: Scheme) -> None:
    answers = ip_answers(revenue_3y=0, C1="occasional", B1=True)
    raw = result_to_json(score(ip, answers, ON))
    data = json.loads(raw, parse_float=Decimal)
    assert list(data) == TOP_KEYS
    assert list(data["sections"][0]) == ["code", "score", "max", "percent", "applicable"]
    assert list(data["items"][0]) == ["code", "points", "max", "value", "computable"]
    assert list(data["gaps"][0]) == ["item", "section", "lost"]  # words: presentation
    assert list(data["prerequisites"][0]) == ["code", "met"]
    text = raw.decode("utf-8")
    assert text.startswith(
        '{"scheme": "ip-enterprise", "version": 1, "total": 77.00, "max": 100.00,'
    )
    assert '"bonus": 2.00' in text
    assert '"level": "demonstration"' in text
    assert '"warnings": []' in text
    assert (
        '{"code": "C1", "points": 3.00, "max": 5.00, "value": "occasional", "computable": true}'
        in text
    )
    assert (
        '{"code": "U1", "points": 0.00, "max": 18.00, "value": null, "computable": false}' in text
    )
    assert (
        '{"code": "C5", "points": 5.00, "max": 5.00, "value": 0.6000, "computable": true}' in text
    )
    assert '"not_computable": ["U1", "M5"]' in text


def test_section_not_applicable_is_null_percent(gbt23: Scheme) -> None:
    codes = [i.code for i in gbt23.items if i.section == "8"]
    raw = result_to_json(score(gbt23, gbt_answers(gbt23, **dict.fromkeys(codes, "na")), ON))
    assert b'{"code": "8", "score": 0.00, "max": 0.00, "percent": null, "applicable": false}' in raw


def test_byte_identical_whatever_the_key_order(ip: Scheme) -> None:
    answers = ip_answers(C1="none", M4="part_time")
    keys = list(answers)
    random.Random(4).shuffle(keys)
    shuffled = {k: answers[k] for k in keys}
    assert result_to_json(score(ip, answers, ON)) == result_to_json(score(ip, shuffled, ON))


def test_round_trip(ip: Scheme, gbt23: Scheme) -> None:
    for result in (
        score(ip, ip_answers(revenue_3y=0, V2=True), ON),
        score(gbt23, gbt_answers(gbt23, "largely", **{"8-rd": "na"}), ON),
    ):
        assert result_from_json(result_to_json(result)) == result
        assert result_from_dict(result_to_dict(result)) == result
        # Stored with plain floats (e.g. by a JSON field) the numbers still come back equal.
        assert result_from_dict(json.loads(result_to_json(result))) == result


def test_indent_is_still_deterministic(ip: Scheme) -> None:
    result = score(ip, ip_answers(), ON)
    pretty = result_to_json(result, indent=2)
    assert json.loads(pretty) == json.loads(result_to_json(result))
    assert pretty.startswith(b'{\n  "scheme": "ip-enterprise",\n  "version": 1,\n  "total": 100.00')


def test_dumps_plain_values() -> None:
    assert dumps({"a": [Decimal("1.50"), None, True, "é"], "b": {}}) == (
        '{"a": [1.50, null, true, "é"], "b": {}}'
    )
