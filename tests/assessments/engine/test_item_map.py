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

from .conftest import ON, gbt_answers, ip_answers

MAP_V1 = "gbt29490-2013-to-2023.map.json"
MAP_V2 = "gbt29490-2013-to-2023.v2.map.json"


def map_file(name: str = MAP_V1):
    (path,) = [p for p in builtin_item_map_files() if p.name == name]
    return path


def shipped_map(name: str = MAP_V1) -> ItemMap:
    return load_item_map_file(map_file(name))


def test_shipped_maps() -> None:
    maps = [load_item_map_file(p) for p in builtin_item_map_files()]
    assert sorted((m.source, m.target) for m in maps) == [
        (("gbt29490-2013", 1), ("gbt29490-2023", 1)),
        (("gbt29490-2013", 1), ("gbt29490-2023", 2)),
        (("gbt29490-2023", 1), ("gbt29490-2023", 2)),
        (("ip-enterprise", 1), ("ip-enterprise", 2)),
    ]


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

    raw = json.loads(map_file().read_text(encoding="utf-8"))
    mapped, carried = map_answers(raw, {"8.2-rd": "largely", "P4": False})
    assert mapped == {"8-rd": "largely", "P4": False}
    assert carried == ["8-rd", "P4"]


# --------------------------------------------------------------------------- version 2


def test_map_v2_refers_to_real_items_and_adds_two_links(gbt13: Scheme, gbt23v2: Scheme) -> None:
    item_map = shipped_map(MAP_V2)
    assert item_map.source == ("gbt29490-2013", 1)
    assert item_map.target == ("gbt29490-2023", 2)
    keys13 = {f.key for f in gbt13.answer_fields}
    keys23 = {f.key for f in gbt23v2.answer_fields}
    for source, targets in item_map.mapping:
        assert source in keys13
        assert set(targets) <= keys23
    old = dict(shipped_map().mapping)
    new = dict(item_map.mapping)
    added = {(k, t) for k, ts in new.items() for t in ts} - {
        (k, t) for k, ts in old.items() for t in ts
    }
    assert added == {
        ("7.4.1-risk", "6.1-risks-opportunities"),
        ("7.4.3-foreign-trade", "8-sales"),
    }
    assert set(old) <= set(new)


def test_map_v2_weakest_answer_still_wins(gbt13: Scheme, gbt23v2: Scheme) -> None:
    answers = gbt_answers(
        gbt13,
        **{"7.4.1-risk": "partly", "7.4.2-disputes": "largely", "8.5-sales": "full",
           "7.4.3-foreign-trade": "not"},
    )  # fmt: skip
    mapped, carried = map_answers(shipped_map(MAP_V2), answers, gbt23v2)
    assert mapped["6.1-risks-opportunities"] == "partly"
    assert mapped["8-protection"] == "partly"  # 7.4.1 partly beats 7.4.2 largely
    assert mapped["8-sales"] == "not"  # 7.4.3 not beats 8.5 full
    assert carried == list(mapped)
    # P5 is new in version 2: never carried, so the firm must answer it.
    assert "P5" not in mapped
    assert "P5" in {e.key for e in validate_answers(gbt23v2, mapped)}


def test_map_v2_drops_na_where_version_2_refuses_it(gbt13: Scheme, gbt23v2: Scheme) -> None:
    answers = gbt_answers(gbt13, **{"7.4.1-risk": "na", "7.2-maintenance": "na", "8.2-rd": "na"})
    mapped, _ = map_answers(shipped_map(MAP_V2), answers, gbt23v2)
    assert "6.1-risks-opportunities" not in mapped  # only 7.4.1 lands there, and N/A is refused
    assert "8-maintenance" not in mapped
    assert mapped["8-protection"] == "full"  # 7.4.2 full is on the scale and wins over na
    assert mapped["8-rd"] == "na"  # R&D may still be not applicable


def test_version_maps_carry_every_key_and_confirm_only_changed_meanings(
    ip: Scheme, ip2: Scheme, gbt23: Scheme, gbt23v2: Scheme
) -> None:
    maps = {(m.source, m.target): m for m in map(load_item_map_file, builtin_item_map_files())}
    ip_map = maps[(("ip-enterprise", 1), ("ip-enterprise", 2))]
    answers = ip_answers(M1="cert_2013", B1=True, unknown="x")
    mapped, confirm = map_answers(ip_map, answers, ip2)
    assert mapped == {k: v for k, v in answers.items() if k != "unknown"}
    assert confirm == ["M1"]
    assert map_answers(ip_map, ip_answers(M1="cert_2023"), ip2)[1] == []
    gbt_map = maps[(("gbt29490-2023", 1), ("gbt29490-2023", 2))]
    answers = gbt_answers(gbt23, **{"8-maintenance": "na", "8-rd": "na"})
    mapped, confirm = map_answers(gbt_map, answers, gbt23v2)
    assert confirm == []
    assert "8-maintenance" not in mapped
    assert mapped["8-rd"] == "na"
    assert {e.key for e in validate_answers(gbt23v2, mapped)} == {"8-maintenance", "P5"}
