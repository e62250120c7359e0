"""What the import hands out: the check report, the blank template, counts that say how much
is shown; and what it refuses at the door (oversized workbooks)."""

import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.transfer import jobs
from assessments.transfer.enterprises import import_enterprises
from assessments.transfer.files import read_table
from assessments.transfer.models import TransferJob
from tests.assessments.transfer.helpers import good_row, rewrite_sheet, xlsx_bytes
from tests.factories import reviewer

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def lead(db):
    return reviewer(regions=["420000"], lead=True, username="lead")


def upload(client, data: bytes, name="registry.xlsx"):
    return client.post(
        reverse("transfer:import-enterprises"),
        {"file": SimpleUploadedFile(name, data, content_type=XLSX)},
    )


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_check_report_marks_each_bad_cell_with_its_message(
    client, lead, django_capture_on_commit_callbacks
):
    rows = [good_row(i) for i in range(4)]
    rows[1][2] = "999999"  # unknown region
    rows[2][4] = "巨型"  # unknown size
    rows[2][7] = "12"  # bad phone
    client.force_login(lead)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, xlsx_bytes(rows))
    job = TransferJob.objects.get()
    assert job.status == TransferJob.Status.PREVIEW and job.invalid_rows == 2
    page = client.get(reverse("transfer:job", args=[job.pk])).content.decode()
    report_url = reverse("transfer:job-report", args=[job.pk])
    assert report_url in page
    response = client.get(report_url)
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    sheet = openpyxl.load_workbook(io.BytesIO(body(response))).active
    assert [c.value for c in sheet[1]][:3] == ["Row", "Problems", "统一社会信用代码"]
    assert sheet.max_row == 5 and sheet.freeze_panes == "A2"
    by_row = {r[0].value: r for r in sheet.iter_rows(min_row=2)}
    region = by_row[3][2 + 2]  # the file's third column, after Row and Problems
    assert region.value == "999999"
    assert "Unknown region code 999999" in region.comment.text
    assert region.fill.fgColor.rgb.endswith("FFC7CE")
    assert "Unknown region code" in by_row[3][1].value
    size, phone = by_row[4][2 + 4], by_row[4][2 + 7]
    assert "Unknown size" in size.comment.text and phone.comment is not None
    good = by_row[2]
    assert good[1].value is None and all(c.comment is None for c in good)
    # Another user gets 404 for the report.
    client.force_login(reviewer(regions=["420000"], lead=True, username="other-lead"))
    assert client.get(report_url).status_code == 404


def test_preview_and_errors_say_how_many_are_shown(
    client, lead, django_capture_on_commit_callbacks
):
    rows = [good_row(i) for i in range(25)]
    rows[0][2] = "999999"
    client.force_login(lead)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, xlsx_bytes(rows))
    job = TransferJob.objects.get()
    page = client.get(reverse("transfer:job", args=[job.pk])).content.decode()
    assert "Showing the first 20 rows of 24." in page


def test_preview_count_in_chinese_has_thousands_separators(client, lead, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    client.force_login(lead)
    upload(client, xlsx_bytes([good_row(1)]))
    job = TransferJob.objects.get()
    jobs.validate_import_job(str(job.pk))
    TransferJob.objects.filter(pk=job.pk).update(total_rows=5000, valid_rows=5000)
    page = client.get(f"/transfer/jobs/{job.pk}/").content.decode()
    assert "显示前 1 行，共 5,000 行" in page


def test_invitation_links_say_how_many_of_all_are_listed(
    client, lead, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(jobs, "LINKS_SHOWN", 3)
    monkeypatch.setattr(jobs.invitation_links, "__defaults__", (3,))
    client.force_login(lead)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, xlsx_bytes([good_row(i) for i in range(5)]))
    job = TransferJob.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("transfer:job-confirm", args=[job.pk]))
    page = client.get(reverse("transfer:job", args=[job.pk])).content.decode()
    assert page.count("readonly") == 3
    assert "Showing the first 3 links of 5; the CSV file has them all." in page


def test_blank_template_has_headers_lists_and_an_example_that_imports(client, lead):
    client.force_login(lead)
    response = client.get(reverse("transfer:enterprise-template"))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    workbook = openpyxl.load_workbook(io.BytesIO(body(response)))
    sheet = workbook.worksheets[0]
    headers = [c.value for c in sheet[1]]
    assert headers[0] == "统一社会信用代码 *" and "负责人邮箱" in headers
    assert "省份" not in headers  # written by the export for reading, not imported
    assert sheet.max_row == 1  # blank: nothing to delete before filling it in
    lists = workbook["lists"]
    assert lists.sheet_state == "hidden"
    rules = {str(v.sqref).split(":")[0]: v for v in sheet.data_validations.dataValidation}
    columns = {h.rstrip(" *"): i for i, h in enumerate(headers)}

    def choices(header):
        letter = openpyxl.utils.get_column_letter(columns[header] + 1)
        rule = rules[f"{letter}2"]
        assert rule.type == "list"
        ref = rule.formula1.split("!")[1].replace("$", "")
        return [c.value for row in lists[ref] for c in row]

    regions = choices("地区代码")
    assert "420900 湖北省孝感市" in regions
    assert not any(r.startswith("110") for r in regions)  # only the lead's scope
    assert not any(r.startswith("420000") for r in regions)  # a province is not offered
    assert "C 制造业" in choices("行业")
    assert choices("企业规模") == ["大型", "中型", "小型", "微型"]

    # A row filled from the lists imports as it is.
    example = workbook.worksheets[1]
    assert [c.value for c in example[1]] == headers
    row = good_row(1)
    row[2], row[3], row[4] = "420900 湖北省孝感市", "C 制造业", "小型"
    sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    report = import_enterprises(read_table(io.BytesIO(out.getvalue()), "xlsx"), user=lead)
    assert report.errors == [] and report.valid_rows == 1
    created = report.created[0].enterprise
    assert created.region_id == "420900" and created.industry == "C"


def test_blank_template_in_english(client, admin_user):
    client.force_login(admin_user)
    response = client.get(reverse("transfer:enterprise-template") + "?lang=en")
    workbook = openpyxl.load_workbook(io.BytesIO(body(response)))
    assert workbook.worksheets[0]["A1"].value == "Credit code *"
    regions = [c.value for c in workbook["lists"]["A"]]
    assert "110101 Beijing Dongcheng District" in regions or any(
        r.startswith("110101 ") for r in regions
    )


def test_oversized_workbook_is_refused_at_upload_with_a_clear_message(client, lead):
    def rows(write):
        write(b'<row><c s="0"/></row>' * 10_000)

    data = rewrite_sheet(
        xlsx_bytes([good_row(1)]),
        lambda xml: re.sub(r'<dimension ref="[^"]+"', '<dimension ref="A1:K1048576"', xml),
        stream=rows,
    )
    client.force_login(lead)
    response = upload(client, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "holds 11,534,336 cells" in page and "at most 1,000,000" in page
    assert not TransferJob.objects.exists()
