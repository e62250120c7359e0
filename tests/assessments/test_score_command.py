"""``manage.py score`` and ``scheme export`` for version 2: warnings, rules, N/A, P5."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from assessments.models import SchemeVersion
from tests.factories import IP_ENTERPRISE_ANSWERS, gbt_answers, scheme_version

pytestmark = pytest.mark.django_db

ON = "2026-06-30"
NO_PATENTS = {"valid_invention_patents": 0, "valid_utility_patents": 0, "valid_design_patents": 0}


@pytest.fixture
def schemes():
    scheme_version("ip-enterprise")  # loads every shipped version


def run(tmp_path: Path, capsys, answers, *args: str) -> tuple[int, str, str]:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers, ensure_ascii=False), encoding="utf-8")
    code = 0
    try:
        call_command("score", *args, "--on", ON, str(path))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_version_2_result_carries_warnings(tmp_path, capsys, schemes):
    answers = {**IP_ENTERPRISE_ANSWERS, **NO_PATENTS, "invention_grants_3y": 20}
    code, out, _ = run(tmp_path, capsys, answers, "--scheme", "ip-enterprise", "--version", "2")
    assert code == 0
    data = json.loads(out, parse_float=Decimal)
    assert (data["scheme"], data["version"]) == ("ip-enterprise", 2)
    assert data["warnings"] == [
        {"code": "W1", "items": ["invention_grants_3y", "invention_apps_3y"]},
        {"code": "W4", "items": ["patent_product_revenue_3y", *NO_PATENTS]},
    ]
    assert list(data)[-2:] == ["warnings", "not_computable"]
    assert '"warnings": [{"code": "W1", "items": ["invention_grants_3y"' in out


def test_without_version_the_newest_published_version_scores(tmp_path, capsys, schemes):
    answers = {**IP_ENTERPRISE_ANSWERS, "M1": "cert_2013"}
    _, out, _ = run(tmp_path, capsys, answers, "--scheme", "ip-enterprise")
    newest = json.loads(out, parse_float=Decimal)
    assert newest["version"] == 2
    assert {i["code"]: i["points"] for i in newest["items"]}["M1"] == Decimal("4.00")
    assert newest["warnings"] == []
    _, out, _ = run(tmp_path, capsys, answers, "--scheme", "ip-enterprise", "--version", "1")
    v1 = json.loads(out, parse_float=Decimal)
    assert v1["version"] == 1
    assert {i["code"]: i["points"] for i in v1["items"]}["M1"] == Decimal("8.00")
    assert v1["total"] - newest["total"] == 4
    assert v1["warnings"] == []


@pytest.mark.parametrize(
    ("change", "keys"),
    [
        ({"patent_apps_3y": 5, "invention_apps_3y": 20}, ["invention_apps_3y", "patent_apps_3y"]),
        ({"patent_product_revenue_3y": 250000}, ["patent_product_revenue_3y", "revenue_3y"]),
        ({"founded_on": "2026-07-01"}, ["founded_on"]),
    ],
)
def test_inconsistent_answers_exit_2_naming_the_keys(tmp_path, capsys, schemes, change, keys):
    answers = {**IP_ENTERPRISE_ANSWERS, **change}
    code, out, err = run(tmp_path, capsys, answers, "--scheme", "ip-enterprise", "--version", "2")
    assert (code, out) == (2, "")
    line = err.strip().splitlines()[-1]
    assert line.startswith(", ".join(keys) + ": R")
    for key in keys:
        assert key in line.split(": ", 1)[1]  # the message itself names every key
    if change.get("founded_on"):
        assert "must not be after the assessment date (2026-06-30)" in line
    # Version 1 has no consistency rules: the same answers still score there.
    code, out, _ = run(tmp_path, capsys, answers, "--scheme", "ip-enterprise", "--version", "1")
    assert code == 0 and json.loads(out)["version"] == 1


def test_gbt_version_2_needs_p5(tmp_path, capsys, schemes):
    answers = gbt_answers("gbt29490-2023")
    del answers["P5"]
    code, _, err = run(tmp_path, capsys, answers, "--scheme", "gbt29490-2023", "--version", "2")
    assert code == 2
    assert "P5: P5 is required" in err
    code, out, _ = run(
        tmp_path, capsys, {**answers, "P5": False}, "--scheme", "gbt29490-2023", "--version", "2"
    )
    data = json.loads(out)
    assert data["prerequisites"][-1] == {"code": "P5", "met": False}
    assert (data["percent"], data["level"]) == (100.0, "largely_ready")
    # Version 1 has no P5.
    code, out, _ = run(tmp_path, capsys, answers, "--scheme", "gbt29490-2023", "--version", "1")
    assert code == 0 and json.loads(out)["level"] == "ready"


@pytest.mark.parametrize("item", ["8-maintenance", "8-compliance-obligations", "4.1-context"])
def test_gbt_version_2_refuses_na_on_a_core_item(tmp_path, capsys, schemes, item):
    answers = {**gbt_answers("gbt29490-2023"), item: "na"}
    code, _, err = run(tmp_path, capsys, answers, "--scheme", "gbt29490-2023", "--version", "2")
    assert code == 2
    assert f"{item}: {item} cannot be answered not applicable" in err


def test_gbt_version_2_allows_na_on_optional_topics(tmp_path, capsys, schemes):
    optional = ["8-project-initiation", "8-rd", "8-procurement", "8-production", "8-sales"]
    answers = {**gbt_answers("gbt29490-2023"), **dict.fromkeys(optional, "na")}
    code, out, _ = run(tmp_path, capsys, answers, "--scheme", "gbt29490-2023", "--version", "2")
    assert code == 0
    data = json.loads(out)
    assert data["level"] == "ready"
    assert data["level_label"] == "可申请认证"


def test_scheme_export_version_2_shows_na_flags_rules_and_limits(tmp_path, capsys, schemes):
    call_command("scheme", "export", "gbt29490-2023", "--version", "2")
    exported = json.loads(capsys.readouterr().out)
    clause_8 = next(s for s in exported["sections"] if s["code"] == "8")
    assert {i["code"]: i["na_allowed"] for i in clause_8["items"]} == {
        "8-acquisition-search": False, "8-acquisition-portfolio": False,
        "8-maintenance": False, "8-use": False, "8-protection": False, "8-contracts": False,
        "8-confidentiality": False, "8-project-initiation": True, "8-rd": True,
        "8-procurement": True, "8-production": True, "8-sales": True,
        "8-compliance-obligations": False,
    }  # fmt: skip
    others = [i["na_allowed"] for s in exported["sections"] if s["code"] != "8" for i in s["items"]]
    assert others and not any(others)
    assert exported["levels"][0]["max_na_share"] == [{"section": "8", "share": "0.5"}]
    assert exported["prerequisites"][-1]["code"] == "P5"
    call_command("scheme", "export", "ip-enterprise", "--version", "2")
    ip = json.loads(capsys.readouterr().out)
    assert [r["code"] for r in ip["rules"]] == ["R1", "R2", "R3"]
    assert [w["code"] for w in ip["warnings"]] == ["W1", "W2", "W3", "W4"]
    # What export prints, import reads: the bureau's copy becomes draft version 3.
    path = tmp_path / "ip.json"
    path.write_text(json.dumps(ip, ensure_ascii=False), encoding="utf-8")
    call_command("scheme", "import", str(path))
    draft = SchemeVersion.objects.get(scheme__code="ip-enterprise", version=3)
    assert draft.status == "draft"
    assert draft.engine_scheme.rules == scheme_version("ip-enterprise", 2).engine_scheme.rules


def test_subprocess_on_a_fresh_database_scores_version_2(tmp_path):
    """The real command, exit status and streams, with a database that was never migrated."""
    answers = {**IP_ENTERPRISE_ANSWERS, "patent_apps_3y": 5, "invention_apps_3y": 20}
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["DATA_DIR"] = str(tmp_path / "data")
    command = [sys.executable, "manage.py", "score", "--scheme", "ip-enterprise", "--on", ON]
    base = settings.BASE_DIR
    bad = subprocess.run(
        [*command, "--version", "2", str(path)],
        cwd=base, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert bad.returncode == 2
    assert "invention_apps_3y, patent_apps_3y: R1:" in bad.stderr
    path.write_text(json.dumps(IP_ENTERPRISE_ANSWERS), encoding="utf-8")
    good = subprocess.run(
        [*command, "--version", "2", str(path)],
        cwd=base, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert good.returncode == 0, good.stderr
    data = json.loads(good.stdout)
    assert (data["version"], data["total"], data["level"], data["warnings"]) == (
        2, 72.0, "demonstration", [],
    )  # fmt: skip
