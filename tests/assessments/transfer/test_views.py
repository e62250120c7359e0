import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.transfer.models import TransferJob
from portal.accounts.choices import Roles
from portal.accounts.models import Enterprise, Invitation, Region
from tests.assessments.transfer.helpers import good_row, xlsx_bytes
from tests.factories import EnterpriseFactory, UserFactory, reviewer

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


@pytest.mark.parametrize("who", ["owner", "plain_reviewer", "editor", "anonymous_admin_group"])
def test_other_roles_get_404(client, owner, editor, who):
    users = {
        "owner": owner,
        "plain_reviewer": reviewer(regions=["420000"], username="plain"),
        "editor": editor,
        "anonymous_admin_group": UserFactory(username="mod", groups=[Roles.MODERATOR]),
    }
    client.force_login(users[who])
    for name in ("transfer:index", "transfer:import-enterprises", "transfer:export-applications"):
        assert client.get(reverse(name)).status_code == 404
    assert client.post(reverse("transfer:export-enterprises"), {"format": "csv"}).status_code == 404


def test_admins_and_lead_reviewers_see_the_pages(client, admin_user, lead):
    admin_group_user = UserFactory(username="bureau-admin", groups=[Roles.ADMIN])
    for user in (admin_user, lead, admin_group_user):
        client.force_login(user)
        response = client.get(reverse("transfer:index"))
        assert response.status_code == 200
        assert reverse("transfer:import-enterprises") in response.content.decode()
        assert client.get(reverse("transfer:import-enterprises")).status_code == 200


def test_anonymous_users_are_sent_to_login(client):
    response = client.get(reverse("transfer:index"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_upload_preview_confirm_import(client, lead, django_capture_on_commit_callbacks):
    client.force_login(lead)
    rows = [good_row(i) for i in range(5)]
    with django_capture_on_commit_callbacks(execute=True):  # the check is queued on commit
        response = upload(client, xlsx_bytes(rows))
    job = TransferJob.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/jobs/{job.pk}/")
    assert job.status == TransferJob.Status.PREVIEW and job.valid_rows == 5
    page = client.get(response["Location"]).content.decode()
    assert "导入企业0有限公司" in page and not Enterprise.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("transfer:job-confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == TransferJob.Status.DONE and job.created_rows == 5
    assert Enterprise.objects.count() == 5 and Invitation.objects.count() == 5
    page = client.get(reverse("transfer:job", args=[job.pk])).content.decode()
    # The page offers the invitation links of the new owners.
    link = f'href="{reverse("transfer:job-download", args=[job.pk])}">Download the invitation links'
    assert link in page
    download = client.get(reverse("transfer:job-download", args=[job.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).decode("utf-8-sig").count("\n") == 6


def test_mixed_file_needs_the_valid_only_choice(
    client, admin_user, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    rows = [good_row(i) for i in range(4)]
    rows[2][2] = "000000"
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, xlsx_bytes(rows))
    job = TransferJob.objects.get()
    assert (job.valid_rows, job.invalid_rows) == (3, 1)
    assert job.errors[0]["row"] == 4 and job.errors[0]["column"] == "地区代码"
    page = client.get(reverse("transfer:job", args=[job.pk])).content.decode()
    assert "Unknown region code 000000" in page

    client.post(reverse("transfer:job-confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == TransferJob.Status.PREVIEW and not Enterprise.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("transfer:job-confirm", args=[job.pk]), {"valid_only": "on"})
    job.refresh_from_db()
    assert job.status == TransferJob.Status.DONE and Enterprise.objects.count() == 3


def test_big_and_renamed_files_are_refused_with_a_message(client, admin_user):
    client.force_login(admin_user)
    response = upload(client, b"%PDF-1.4 not a sheet", name="registry.xlsx")
    assert response.status_code == 200
    assert "renamed" in response.content.decode()
    big = b"a,b\n" + b"1,2\n" * (5 * 1024 * 1024)  # 20 MB
    response = upload(client, big, name="big.csv")  # refused before the body is read
    assert response.status_code == 413
    assert "20.0\xa0MB" in response.content.decode()
    assert not TransferJob.objects.exists()


def test_chinese_message_for_a_refused_type(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("transfer:import-enterprises"),
        {"file": SimpleUploadedFile("x.txt", b"a,b\n1,2\n")},
    )
    assert ".xlsx" in response.content.decode()


def test_export_job_and_download(client, lead, django_capture_on_commit_callbacks):
    EnterpriseFactory(name="湖北企业")
    EnterpriseFactory(name="北京企业", region=Region.objects.get(code="110101"))
    client.force_login(lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("transfer:export-enterprises"), {"format": "xlsx", "lang": "en"}
        )
    job = TransferJob.objects.get()
    assert job.status == TransferJob.Status.DONE and job.total_rows == 1
    status = client.get(reverse("transfer:job-status", args=[job.pk])).json()
    assert status["status"] == "done" and status["percent"] == 100
    page = client.get(response["Location"]).content.decode()
    assert reverse("transfer:job-download", args=[job.pk]) in page
    download = client.get(reverse("transfer:job-download", args=[job.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    assert [c.value for c in sheet[2]][1] == "湖北企业"


def test_jobs_of_other_users_are_404(client, admin_user, lead):
    client.force_login(lead)
    client.post(reverse("transfer:export-enterprises"), {"format": "csv", "lang": "zh"})
    job = TransferJob.objects.get()
    client.force_login(admin_user)
    for name in ("transfer:job", "transfer:job-status", "transfer:job-download"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404


def test_pages_render_in_chinese(client, admin_user):
    from django.utils import translation

    client.force_login(admin_user)
    with translation.override("zh-hans"):
        for name in ("transfer:index", "transfer:import-enterprises", "transfer:schemes"):
            url = reverse(name)
            assert not url.startswith("/en/")
            response = client.get(url)
            assert response.status_code == 200
            assert 'lang="zh-Hans"' in response.content.decode()
        client.post(reverse("transfer:export-enterprises"), {"format": "xlsx", "lang": "zh"})
        job = TransferJob.objects.get()
        assert client.get(reverse("transfer:job", args=[job.pk])).status_code == 200
