"""Scheme versions in the database: immutability, drafts, publishing, admin, commands."""

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from assessments.models import SchemeItem, SchemeVersion
from assessments.schemes import services
from assessments.schemes.selectors import get_version, published_versions
from tests.factories import IP_ENTERPRISE_ANSWERS, scheme_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def ip_v1():
    return scheme_version("ip-enterprise")


def test_builtin_schemes_load_published_and_idempotent():
    first = services.load_builtin_schemes()
    second = services.load_builtin_schemes()
    assert {v.scheme.code for v, _ in first} == {"ip-enterprise", "gbt29490-2023", "gbt29490-2013"}
    assert all(outcome == "unchanged" for _, outcome in second)
    assert published_versions().count() == 3


def test_projection_rows_match_the_definition(ip_v1):
    codes = list(ip_v1.items.values_list("code", flat=True))
    assert codes[:3] == ["C1", "C2", "C3"]
    assert len(codes) == 19
    c2 = SchemeItem.objects.get(version=ip_v1, code="C2")
    assert c2.max_points == 5
    assert c2.bands[0] == {"bound": "50", "points": "5"}
    assert list(ip_v1.sections.values_list("code", "weight")) == [
        ("creation", 35),
        ("use", 25),
        ("management", 40),
    ]


def test_published_version_is_immutable(ip_v1):
    ip_v1.definition = {**ip_v1.definition, "title": {"zh": "改", "en": "changed"}}
    with pytest.raises(ValidationError):
        ip_v1.save()
    with pytest.raises(ValidationError):
        services.update_draft(ip_v1, ip_v1.definition)


def test_editing_creates_next_draft_and_only_moderator_publishes(ip_v1, editor, moderator):
    draft = services.new_draft_from(ip_v1, user=editor, change_note="tune C2 bands")
    assert (draft.version, draft.status, draft.based_on) == (2, "draft", ip_v1)
    definition = json.loads(json.dumps(draft.definition))
    c2 = next(i for s in definition["sections"] for i in s["items"] if i["code"] == "C2")
    c2["bands"][0]["bound"] = "40"
    services.update_draft(draft, definition, user=editor)
    assert SchemeItem.objects.get(version=draft, code="C2").bands[0]["bound"] == "40"
    with pytest.raises(PermissionDenied):
        services.publish(draft, user=editor)
    services.publish(draft, user=moderator)
    draft.refresh_from_db()
    assert draft.status == "published" and draft.published_by == moderator
    assert get_version("ip-enterprise").version == 2
    # version 1 keeps its own bands
    assert SchemeItem.objects.get(version=ip_v1, code="C2").bands[0]["bound"] == "50"


def test_invalid_definition_is_refused(ip_v1):
    draft = services.new_draft_from(ip_v1)
    broken = {**draft.definition, "levels": []}
    with pytest.raises(ValidationError):
        services.update_draft(draft, broken)


def test_result_records_scheme_and_version(ip_v1):
    from assessments import engine

    result = engine.score(ip_v1.engine_scheme, IP_ENTERPRISE_ANSWERS, dt.date(2026, 1, 1))
    assert (result.scheme, result.version) == ("ip-enterprise", 1)


def test_admin_lists_versions_and_published_is_read_only(client, ip_v1, editor):
    client.force_login(editor)
    listing = client.get("/admin/schemes/")
    assert listing.status_code == 200
    assert (
        f"{ip_v1.title_zh} v{ip_v1.version}" in listing.content.decode()
    )  # the admin is in Chinese
    inspect = client.get(f"/admin/schemes/inspect/{ip_v1.pk}/")
    assert inspect.status_code == 200
    assert "C2" in inspect.content.decode()
    edit = client.get(f"/admin/schemes/edit/{ip_v1.pk}/")
    assert edit.status_code == 302
    # Wagtail turns a permission error into a redirect to the admin home with a message.
    draft = services.new_draft_from(ip_v1)
    response = client.post(f"/admin/schemes/publish/{draft.pk}/")
    assert response.status_code == 302 and response["Location"] == "/admin/"
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_admin_new_draft_then_moderator_publishes(client, ip_v1, editor, moderator):
    client.force_login(editor)
    response = client.post(f"/admin/schemes/new-draft/{ip_v1.pk}/", {"change_note": "x"})
    draft = SchemeVersion.objects.get(scheme=ip_v1.scheme, version=2)
    assert response["Location"].endswith(f"/admin/schemes/inspect/{draft.pk}/")
    client.force_login(moderator)
    client.post(f"/admin/schemes/publish/{draft.pk}/")
    draft.refresh_from_db()
    assert draft.status == "published"


def test_company_user_cannot_open_scheme_admin(client, owner):
    client.force_login(owner)
    response = client.get("/admin/schemes/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


# --- commands --------------------------------------------------------------------------------


def test_score_command_prints_contract_json(tmp_path, capsys, ip_v1):
    path = tmp_path / "a.json"
    path.write_text(json.dumps(IP_ENTERPRISE_ANSWERS))
    call_command("score", "--scheme", "ip-enterprise", "--on", "2026-11-21", str(path))
    out = json.loads(capsys.readouterr().out)
    assert list(out)[:5] == ["scheme", "version", "total", "max", "percent"]
    assert (out["total"], out["bonus"], out["level"]) == (72.0, 2.0, "demonstration")


def test_score_command_handles_a_list(tmp_path, capsys, ip_v1):
    vetoed = {**IP_ENTERPRISE_ANSWERS, "V3": True}
    path = tmp_path / "list.json"
    path.write_text(json.dumps([IP_ENTERPRISE_ANSWERS, vetoed]))
    call_command("score", "--scheme", "ip-enterprise", "--version", "1", str(path))
    out = json.loads(capsys.readouterr().out)
    assert [r["level"] for r in out] == ["demonstration", "not_eligible"]


@pytest.mark.parametrize(
    ("change", "key"),
    [
        ({"C1": "sometimes"}, "C1"),
        ({"valid_invention_patents": -1}, "valid_invention_patents"),
        ({"trademarks": "many"}, "trademarks"),
        ({"V1": "no"}, "V1"),
    ],
)
def test_score_command_exit_2_names_the_bad_key(tmp_path, change, key, ip_v1):
    answers = {**IP_ENTERPRISE_ANSWERS, **change}
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(answers))
    with pytest.raises(SystemExit) as exc:
        call_command("score", "--scheme", "ip-enterprise", str(path))
    assert exc.value.code == 2


def test_score_command_missing_key_exit_2(tmp_path, capsys, ip_v1):
    answers = dict(IP_ENTERPRISE_ANSWERS)
    del answers["revenue_3y"]
    path = tmp_path / "missing.json"
    path.write_text(json.dumps(answers))
    with pytest.raises(SystemExit) as exc:
        call_command("score", "--scheme", "ip-enterprise", str(path))
    assert exc.value.code == 2
    assert "revenue_3y" in capsys.readouterr().err


def test_scheme_export_import_round_trip(tmp_path, capsys, ip_v1):
    call_command("scheme", "export", "ip-enterprise")
    exported = json.loads(capsys.readouterr().out)
    assert exported["code"] == "ip-enterprise" and exported["version"] == 1
    for key in ("sections", "levels", "bonus", "vetoes", "prerequisites"):
        assert key in exported
    item = exported["sections"][0]["items"][0]
    assert {"code", "type", "required"} <= set(item)
    path = tmp_path / "scheme.json"
    path.write_text(json.dumps(exported, ensure_ascii=False))
    call_command("scheme", "import", str(path))
    draft = SchemeVersion.objects.get(scheme__code="ip-enterprise", version=2)
    assert draft.status == "draft"
    assert {**draft.definition, "version": 1} == exported


def test_scheme_import_rejects_invalid_file(tmp_path, capsys, ip_v1):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"code": "ip-enterprise"}))
    with pytest.raises(SystemExit) as exc:
        call_command("scheme", "import", str(path))
    assert exc.value.code == 2
    assert "invalid scheme" in capsys.readouterr().err
    assert not SchemeVersion.objects.filter(version=2).exists()
