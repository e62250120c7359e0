"""Scheme versions in the database: immutability, drafts, publishing, admin, commands."""

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from assessments.models import SchemeItem, SchemeVersion
from assessments.schemes import services
from assessments.schemes.selectors import (
    SchemeNotFound,
    SchemeRetired,
    get_version,
    published_versions,
    schemes_open_for_new_drafts,
    version_for_new_drafts,
)
from tests.factories import IP_ENTERPRISE_ANSWERS, scheme_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def ip_v1():
    return scheme_version("ip-enterprise", 1)


@pytest.fixture
def ip_v2():
    return scheme_version("ip-enterprise", 2)


def test_builtin_schemes_load_published_and_idempotent():
    first = services.load_builtin_schemes()
    second = services.load_builtin_schemes()
    assert sorted((v.scheme.code, v.version, outcome) for v, outcome in first) == [
        ("gbt29490-2013", 1, "created"),
        ("gbt29490-2023", 1, "created"),
        ("gbt29490-2023", 2, "created"),
        ("ip-enterprise", 1, "created"),
        ("ip-enterprise", 2, "created"),
    ]
    assert all(outcome == "unchanged" for _, outcome in second)
    assert all(v.status == "published" for v, _ in first)
    # The newest published version of each scheme is the one new drafts use.
    assert sorted((v.scheme.code, v.version) for v in published_versions()) == [
        ("gbt29490-2013", 1),
        ("gbt29490-2023", 2),
        ("ip-enterprise", 2),
    ]


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
    # Version 2 ships with the portal, so the bureau's edit becomes version 3.
    assert (draft.version, draft.status, draft.based_on) == (3, "draft", ip_v1)
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
    assert get_version("ip-enterprise").version == 3
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
    draft = SchemeVersion.objects.get(scheme=ip_v1.scheme, version=3)
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
    call_command("scheme", "export", "ip-enterprise", "--version", "1")
    exported = json.loads(capsys.readouterr().out)
    assert exported["code"] == "ip-enterprise" and exported["version"] == 1
    for key in ("sections", "levels", "bonus", "vetoes", "prerequisites"):
        assert key in exported
    item = exported["sections"][0]["items"][0]
    assert {"code", "type", "required"} <= set(item)
    path = tmp_path / "scheme.json"
    path.write_text(json.dumps(exported, ensure_ascii=False))
    call_command("scheme", "import", str(path))
    draft = SchemeVersion.objects.get(scheme__code="ip-enterprise", version=3)
    assert draft.status == "draft"
    assert {**draft.definition, "version": 1} == exported


def test_scheme_import_rejects_invalid_file(tmp_path, capsys, ip_v1):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"code": "ip-enterprise"}))
    with pytest.raises(SystemExit) as exc:
        call_command("scheme", "import", str(path))
    assert exc.value.code == 2
    assert "invalid scheme" in capsys.readouterr().err
    assert not SchemeVersion.objects.filter(version=3).exists()


# --- version 2 beside version 1; retirement --------------------------------------------------


def test_version_2_is_published_beside_version_1(ip_v1, ip_v2):
    assert (ip_v1.status, ip_v2.status) == ("published", "published")
    assert ip_v1.scheme_id == ip_v2.scheme_id
    assert ip_v1.engine_scheme.rules == ()
    assert [r.code for r in ip_v2.engine_scheme.rules] == ["R1", "R2", "R3"]
    assert get_version("ip-enterprise").pk == ip_v2.pk
    assert get_version("gbt29490-2023").version == 2
    # The projection shows the version's own points: a 2013 certificate is worth 8, then 4.
    m1 = {v.version: SchemeItem.objects.get(version=v, code="M1") for v in (ip_v1, ip_v2)}
    points = {v: {o["code"]: o["points"] for o in m1[v].options}["cert_2013"] for v in m1}
    assert points == {1: "8", 2: "4"}


def test_version_2_is_immutable_too(ip_v2):
    ip_v2.definition = {**ip_v2.definition, "rules": []}
    with pytest.raises(ValidationError):
        ip_v2.save()


def test_new_drafts_use_the_newest_published_version(ip_v2):
    assert version_for_new_drafts("ip-enterprise").pk == ip_v2.pk
    assert version_for_new_drafts("gbt29490-2023").version == 2
    with pytest.raises(SchemeNotFound):
        version_for_new_drafts("no-such-scheme")


def test_gbt_2013_is_closed_for_new_drafts_from_2026(ip_v1):
    before, from_ = dt.date(2025, 12, 31), dt.date(2026, 1, 1)
    assert version_for_new_drafts("gbt29490-2013", before).version == 1
    with pytest.raises(SchemeRetired) as info:
        version_for_new_drafts("gbt29490-2013", from_)
    assert info.value.retirement.retired_on == from_
    assert info.value.retirement.successor == "gbt29490-2023"
    assert [(v.code, v.version) for v in schemes_open_for_new_drafts(from_)] == [
        ("gbt29490-2023", 2),
        ("ip-enterprise", 2),
    ]
    assert "gbt29490-2013" in {v.code for v in schemes_open_for_new_drafts(before)}
    scheme = get_version("gbt29490-2013").scheme
    assert scheme.retired_on == from_
    assert scheme.retirement.reason.get("en").startswith("The certification transition")
    assert (scheme.is_retired(before), scheme.is_retired(from_)) == (False, True)
    assert ip_v1.scheme.retired_on is None and not ip_v1.scheme.is_retired(from_)


def test_a_2013_result_no_longer_promises_certification(ip_v1):
    from assessments import engine, presentation
    from tests.factories import gbt_answers

    version = scheme_version("gbt29490-2013", 1)
    scheme = version.engine_scheme
    result = engine.score(scheme, gbt_answers("gbt29490-2013"), dt.date(2025, 6, 30))
    assert result.level == "ready"  # the pinned version's own level code is unchanged
    assert presentation.level_label(scheme, "ready", "zh") == (
        "达到 2013 版要求（该版已停止认证，请按 2023 版自评）"
    )
    assert presentation.level_label(scheme, "ready", "en") == (
        "Met the 2013 edition (no longer certified; use the 2023 self-check)"
    )
    for code in ("ready", "largely_ready", "gaps"):
        assert "可申请认证" not in presentation.level_label(scheme, code, "zh")
    contract = presentation.contract_dict(scheme, result, "zh")
    assert contract["level_label"].startswith("达到 2013 版要求")
    # The 2023 self-check keeps its labels.
    gbt23 = scheme_version("gbt29490-2023").engine_scheme
    assert presentation.level_label(gbt23, "ready", "zh") == "可申请认证"


# --- the JSON editor: bounded parsing ----------------------------------------------------------


def _edit(client, draft, text: str):
    return client.post(f"/admin/schemes/edit/{draft.pk}/", {"definition": text, "change_note": "x"})


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ('{"a": ' * 40 + "1" + "}" * 40, "nested too deeply"),
        ('{"code": "ip-enterprise", "title": {"zh": "a\\u0000b"}}', "NUL character"),
        ('{"\\u0000": 1}', "NUL character"),
        ('{"code": "' + "x" * 1_000_001 + '"}', "too long"),
        ("{not json", "not valid JSON"),
    ],
)
def test_the_json_editor_refuses_bad_json_with_a_message(client, ip_v1, editor, text, message):
    from wagtail.users.models import UserProfile

    draft = services.new_draft_from(ip_v1)
    before = draft.definition
    profile = UserProfile.get_for_user(editor)
    profile.preferred_language = "en"  # the admin answers in the editor's language
    profile.save()
    client.force_login(editor)
    with pytest.MonkeyPatch.context() as patch:
        # The 1 MB case is larger than a form field may be: lift that limit for this request.
        from django.conf import settings

        patch.setattr(settings, "DATA_UPLOAD_MAX_MEMORY_SIZE", 4 * 1024 * 1024)
        response = _edit(client, draft, text)
    assert response.status_code == 200
    assert message in response.content.decode()
    draft.refresh_from_db()
    assert draft.definition == before


def test_brackets_inside_strings_do_not_count_as_nesting():
    from portal.core.jsontext import loads_bounded, nesting_depth

    assert nesting_depth('{"a": [1, {"b": "[[[[\\"]]"}]}') == 3
    assert loads_bounded('{"a": "' + "[" * 100 + '"}') == {"a": "[" * 100}
