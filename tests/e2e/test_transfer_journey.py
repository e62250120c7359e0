"""A lead reviewer imports a registry file with a queued worker: progress, preview, confirm."""

import pytest

from assessments.transfer import jobs
from assessments.transfer.models import TransferJob
from portal.accounts.models import Enterprise
from tests import factories
from tests.assessments.transfer.helpers import good_row, xlsx_bytes

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_import_with_progress_polling_and_valid_rows_only(
    page, live_server, login, settings, tmp_path
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    factories.reviewer(regions=["420000"], lead=True, username="lead-e2e")
    rows = [good_row(i) for i in range(6)]
    rows[3][2] = "999999"
    path = tmp_path / "registry.xlsx"
    path.write_bytes(xlsx_bytes(rows))

    login(page, "lead-e2e", factories.PASSWORD)
    page.goto(live_server.url + "/en/transfer/")
    page.click("text=Upload a registry file")
    page.set_input_files("#id_file", str(path))
    page.click("main button[type=submit]")
    page.wait_for_selector("progress")  # queued: the page polls the job
    job = TransferJob.objects.get()

    jobs.validate_import_job(str(job.pk))  # the worker checks the file; the page reloads itself
    page.wait_for_selector("text=Preview of the valid rows", timeout=15000)
    assert page.locator(".transfer-errors").inner_text().count("999999") == 1
    page.check("#id_valid_only")
    page.click('form[action$="/confirm/"] button[type=submit]')
    page.wait_for_selector("progress")

    jobs.import_enterprises_job(str(job.pk))
    page.wait_for_selector(
        "text=Invitation links for owners without an e-mail address", timeout=15000
    )
    assert Enterprise.objects.count() == 5
    assert page.locator("input[readonly]").count() == 5
