"""With a real queue the page shows progress and polls; the worker then runs the task."""

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.urls import reverse

from assessments.transfer import jobs
from assessments.transfer.models import TransferJob
from portal.accounts.models import Enterprise
from tests.assessments.transfer.helpers import good_row, xlsx_bytes
from tests.factories import reviewer

pytestmark = pytest.mark.django_db

QUEUED = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def test_queued_import_shows_progress_then_the_worker_finishes_it(client, admin_user, settings):
    settings.TASKS = QUEUED
    client.force_login(admin_user)
    rows = [good_row(i) for i in range(50)]
    response = client.post(
        reverse("transfer:import-enterprises"),
        {"file": SimpleUploadedFile("r.xlsx", xlsx_bytes(rows))},
    )
    job = TransferJob.objects.get()
    assert job.status == TransferJob.Status.QUEUED
    page = client.get(response["Location"]).content.decode()
    status_url = reverse("transfer:job-status", args=[job.pk])
    assert f'data-status-url="{status_url}"' in page and "<progress" in page
    assert "transfer/job.js" in page

    TransferJob.objects.filter(pk=job.pk).update(
        status=TransferJob.Status.VALIDATING, total_rows=50
    )
    cache.set(f"transfer:progress:{job.pk}", 25)
    status = client.get(status_url).json()
    assert status == {
        "status": "validating",
        "status_label": status["status_label"],
        "running": True,
        "processed": 25,
        "total": 50,
        "percent": 50,
    }

    jobs.validate_import_job(str(job.pk))  # what db_worker does
    job.refresh_from_db()
    assert job.status == TransferJob.Status.PREVIEW and job.valid_rows == 50
    client.post(reverse("transfer:job-confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == TransferJob.Status.IMPORTING and not Enterprise.objects.exists()
    jobs.import_enterprises_job(str(job.pk))
    job.refresh_from_db()
    assert job.status == TransferJob.Status.DONE and Enterprise.objects.count() == 50


def test_a_job_is_queued_only_once_its_transaction_commits(
    admin_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        job = jobs.start_export(
            user=admin_user, kind=TransferJob.Kind.EXPORT_ENTERPRISES, fmt="csv", lang="zh"
        )
        assert job.status == TransferJob.Status.QUEUED and not job.result
    assert len(callbacks) == 1
    callbacks[0]()  # the commit: the immediate backend runs the export
    job.refresh_from_db()
    assert job.status == TransferJob.Status.DONE and job.result


def test_a_crashing_job_fails_visibly(admin_user, settings, monkeypatch):
    settings.TASKS = QUEUED
    job = jobs.start_export(
        user=admin_user, kind=TransferJob.Kind.EXPORT_ENTERPRISES, fmt="csv", lang="zh"
    )

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("assessments.transfer.enterprises.export_enterprises", boom)
    jobs.run_guarded(jobs.export_job, str(job.pk))
    job.refresh_from_db()
    assert job.status == TransferJob.Status.FAILED and "unexpectedly" in job.message


def test_link_filter_shows_only_for_transfer_roles(admin_user, owner):
    template = Template("{% load transfer_tags %}{% if user|can_transfer %}yes{% endif %}")
    assert template.render(Context({"user": admin_user})) == "yes"
    assert template.render(Context({"user": reviewer(lead=True)})) == "yes"
    assert template.render(Context({"user": owner})) == ""
    assert template.render(Context({"user": reviewer(username="plain")})) == ""
