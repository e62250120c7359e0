"""Carrying GB/T 29490-2013 answers into a 2023 self-check."""

from __future__ import annotations

from assessments.engine import (
    ItemMap,
    Scheme,
    builtin_item_map_files,
    load_item_map,
    load_item_map_file,
    map_answers,
    score,
    validate_answers,
)

from .conftest import ON, gbt_answers


def shipped_map() -> ItemMap:
    (path,) = builtin_item_map_files()
    return load_item_map_file(path)


def test_map_refers_to_real_items(gbt13: Scheme, gbt23: Scheme) -> None:
    item_map = shipped_map()
    assert item_map.source == ("gbt29490-2013", 1)
    assert item_map.target == ("gbt29490-2023", 1)
    keys13 = {f.key for f in gbt13.answer_fields}
    keys23 = {f.key for f in gbt23.answer_fields}
    for source, targets in item_map.mapping:
        assert source in keys13
        assert set(targets) <= keys23


def test_all_full_carries_over(gbt13: Scheme, gbt23: Scheme) -> None:
    answers, carried = map_answers(shipped_map(), gbt_answers(gbt13), gbt23)
    assert set(answers.values()) == {"full", True}
    assert carried == list(answers)
    assert "8-acquisition-search" in carried
    # Requirements new in 2023 are not pre-filled: the firm must answer them.
    missing = {e.key for e in validate_answers(gbt23, answers)}
    assert {"4.5-compliance-obligations", "5.1.3-culture"} <= set(carried) | missing
    assert "5.1.3-culture" in missing
    filled = {**answers, **dict.fromkeys(missing, "full")}
    assert score(gbt23, filled, ON).level == "ready"


def test_weakest_answer_wins_and_na_is_used_last(gbt13: Scheme) -> None:
    answers = gbt_answers(
        gbt13,
        **{"6.1.3-contracts": "largely", "6.1.4-hiring": "partly", "7.3.1-exploitation": "na",
           "7.3.2-financing": "full", "8.4-production": "na"},
    )  # fmt: skip
    mapped, _ = map_answers(shipped_map(), answers)
    assert mapped["7.1-staff-lifecycle"] == "partly"
    assert mapped["8-use"] == "full"
    assert mapped["8-production"] == "na"
    assert mapped["P1"] is True


def test_target_scheme_drops_invalid_answers(gbt23: Scheme) -> None:
    item_map = load_item_map(
        {"from": {"code": "x", "version": 1}, "to": {"code": "gbt29490-2023", "version": 1},
         "scale": ["not", "partly", "largely", "full"],
         "map": {"a": ["5.2-policy"], "b": ["8-rd"], "c": ["7.3-awareness"]}}
    )  # fmt: skip
    mapped, carried = map_answers(item_map, {"a": "na", "b": "na", "c": "bogus"}, gbt23)
    assert mapped == {"8-rd": "na"}
    assert carried == ["8-rd"]
    unchecked, _ = map_answers(item_map, {"a": "na"})
    assert unchecked == {"5.2-policy": "na"}


def test_raw_json_map_is_accepted() -> None:
    import json

    (path,) = builtin_item_map_files()
    raw = json.loads(path.read_text(encoding="utf-8"))
    mapped, carried = map_answers(raw, {"8.2-rd": "largely", "P4": False})
    assert mapped == {"8-rd": "largely", "P4": False}
    assert carried == ["8-rd", "P4"]
