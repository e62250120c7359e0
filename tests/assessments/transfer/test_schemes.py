import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError

from assessments.transfer.files import read_table
from assessments.transfer.schemes import create_draft, export_scheme_items, read_scheme_sheet
from tests.factories import scheme_version

pytestmark = pytest.mark.django_db


def exported(version, lang="zh"):
    out = io.BytesIO()
    export_scheme_items(version, out, lang=lang)
    return openpyxl.load_workbook(io.BytesIO(out.getvalue()))


def reread(workbook):
    out = io.BytesIO()
    workbook.save(out)
    return read_table(io.BytesIO(out.getvalue()), "xlsx")


def find_row(sheet, line, item, option=None):
    for row in sheet.iter_rows(min_row=2):
        if (
            row[0].value == line
            and row[2].value == item
            and (option is None or row[4].value == option)
        ):
            return row
    raise AssertionError((line, item, option))


@pytest.mark.parametrize("code", ["ip-enterprise", "gbt29490-2023"])
def test_unchanged_export_changes_nothing(code):
    version = scheme_version(code)
    result = read_scheme_sheet(reread(exported(version, lang="en")), version)
    assert result.errors == [] and result.diffs == []
    with pytest.raises(ValidationError):
        create_draft(result, base=version, user=None, change_note="")


def test_edit_bands_points_and_texts_then_import_as_next_draft(admin_user):
    version = scheme_version("ip-enterprise")
    workbook = exported(version)
    sheet = workbook.active
    find_row(sheet, "item", "C1")[10].value = "Is IP information used to steer R&D?"
    find_row(sheet, "option", "C1", "occasional")[6].value = 2
    c2_bands = [
        r for r in sheet.iter_rows(min_row=2) if r[0].value == "band" and r[2].value == "C2"
    ]
    c2_bands[0][5].value = 40  # top band from 50 to 40
    sheet.delete_rows(c2_bands[-1][0].row)  # drop the lowest band (1 patent → 1 point)
    result = read_scheme_sheet(reread(workbook), version)
    assert result.errors == []
    changes = {d.item: d.changes for d in result.diffs}
    assert (
        "text (en)",
        "Does IP information steer R&D?",
        "Is IP information used to steer R&D?",
    ) in changes["C1"]
    assert ("occasional points", "3", "2") in changes["C1"]
    ((what, before, after),) = changes["C2"]
    assert what == "bands" and before.startswith("≥50→5") and after.startswith("≥40→5")
    assert "≥1→1" not in after

    draft = create_draft(result, base=version, user=admin_user, change_note="Tune C2")
    assert draft.status == "draft" and draft.version == version.version + 1
    assert draft.based_on == version and draft.change_note == "Tune C2"
    c2 = next(i for s in draft.definition["sections"] for i in s["items"] if i["code"] == "C2")
    assert c2["bands"][0] == {"bound": "40", "points": "5"} and len(c2["bands"]) == 4
    version.refresh_from_db()
    assert version.status == "published"  # the published version is untouched


def test_unknown_codes_formulas_and_invalid_numbers_are_row_errors():
    version = scheme_version("ip-enterprise")
    workbook = exported(version)
    sheet = workbook.active
    sheet.append(["item", "creation", "NEW1"])
    find_row(sheet, "option", "C1", "none")[6].value = "=1+1"
    find_row(sheet, "option", "C1", "systematic")[6].value = "lots"
    result = read_scheme_sheet(reread(workbook), version)
    messages = {(e.row, e.message.split(":")[0]) for e in result.errors}
    assert any("Unknown item NEW1" in m for _r, m in messages)
    assert any("formula" in m for _r, m in messages)
    assert any("Not a number" in m for _r, m in messages)


def test_raising_a_max_recomputes_weights_and_engine_validation_guards_the_rest(admin_user):
    version = scheme_version("ip-enterprise")
    workbook = exported(version)
    sheet = workbook.active
    find_row(sheet, "option", "C1", "systematic")[6].value = 6
    find_row(sheet, "item", "C1")[7].value = 6
    result = read_scheme_sheet(reread(workbook), version)
    whats = {c[0] for d in result.diffs for c in d.changes}
    assert {"max", "section weight", "max_score"} <= whats
    draft = create_draft(result, base=version, user=admin_user, change_note="")
    assert draft.definition["max_score"] == "101"

    # An option worth more than the item's max fails the engine's own checks.
    workbook = exported(version)
    find_row(workbook.active, "option", "C1", "systematic")[6].value = 9
    result = read_scheme_sheet(reread(workbook), version)
    with pytest.raises(ValidationError):
        create_draft(result, base=version, user=admin_user, change_note="")


def test_scheme_pages_preview_and_confirm(client, admin_user):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from assessments.models import SchemeVersion
    from assessments.transfer.models import TransferJob

    version = scheme_version("ip-enterprise")
    client.force_login(admin_user)
    assert client.get(reverse("transfer:schemes")).status_code == 200
    response = client.get(reverse("transfer:scheme-export", args=[version.pk]))
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    find_row(workbook.active, "option", "C1", "occasional")[6].value = 2
    out = io.BytesIO()
    workbook.save(out)
    response = client.post(
        reverse("transfer:schemes"),
        {"base": version.pk, "file": SimpleUploadedFile("items.xlsx", out.getvalue())},
    )
    job = TransferJob.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert job.errors == [], job.errors
    assert "occasional points" in page and "<del>3</del>" in page and "<ins>2</ins>" in page
    assert not SchemeVersion.objects.filter(scheme=version.scheme, status="draft").exists()
    client.post(reverse("transfer:job-confirm", args=[job.pk]), {"change_note": "C1 cheaper"})
    job.refresh_from_db()
    assert job.status == TransferJob.Status.DONE
    draft = SchemeVersion.objects.get(scheme=version.scheme, status="draft")
    assert draft.change_note == "C1 cheaper" and draft.created_by == admin_user
