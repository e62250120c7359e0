"""With a real queue the page shows progress and polls; the worker then runs the task. A job
whose worker died is failed after a timeout and can be run again."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from assessments.transfer import jobs
from assessments.transfer.models import TransferJob
from portal.accounts.models import Enterprise
from tests.assessments.transfer.helpers import good_row, xlsx_bytes
from tests.factories import reviewer

pytestmark = pytest.mark.django_db

QUEUED = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def upload(client, rows):
    return client.post(
        reverse("transfer:import-enterprises"),
        {"file": SimpleUploadedFile("r.xlsx", xlsx_bytes(rows))},
    )


def test_queued_import_shows_progress_then_the_worker_finishes_it(client, admin_user, settings):
    settings.TASKS = QUEUED
    client.force_login(admin_user)
    response = upload(client, [good_row(i) for i in range(50)])
    job = TransferJob.objects.get()
    assert job.status == TransferJob.Status.QUEUED and job.step == TransferJob.Step.VALIDATE
    page = client.get(response["Location"]).content.decode()
    status_url = reverse("transfer:job-status", args=[job.pk])
    assert f'data-status-url="{status_url}"' in page and "<progress" in page
    assert "transfer/job.js" in page

    # A worker has claimed the job and checked 25 of its 50 rows.
    TransferJob.objects.filter(pk=job.pk).update(
        status=TransferJob.Status.VALIDATING, total_rows=50
    )
    jobs.report_progress(job.pk, 25, in_transaction=True)
    status = client.get(status_url).json()
    assert status == {
        "status": "validating",
        "status_label": status["status_label"],
        "running": True,
        "processed": 25,
        "total": 50,
        "percent": 50,
    }

    # The task for a job that is no longer queued runs nothing (delivered twice, say).
    jobs.validate_import_job(str(job.pk))
    job.refresh_from_db()
    assert job.status == TransferJob.Status.VALIDATING

    TransferJob.objects.filter(pk=job.pk).update(status=TransferJob.Status.QUEUED)
    jobs.validate_import_job(str(job.pk))  # what db_worker does
    job.refresh_from_db()
    assert job.status == TransferJob.Status.PREVIEW and job.valid_rows == 50
    client.post(reverse("transfer:job-confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == TransferJob.Status.QUEUED and job.step == TransferJob.Step.IMPORT
    assert not Enterprise.objects.exists()
    jobs.import_enterprises_job(str(job.pk))
    job.refresh_from_db()
    assert job.status == TransferJob.Status.DONE and Enterprise.objects.count() == 50
    jobs.import_enterprises_job(str(job.pk))  # a second delivery imports nothing twice
    assert Enterprise.objects.count() == 50


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


def test_a_crashing_job_fails_visibly_and_can_be_retried(client, admin_user, settings, monkeypatch):
    settings.TASKS = QUEUED
    job = jobs.start_export(
        user=admin_user, kind=TransferJob.Kind.EXPORT_ENTERPRISES, fmt="csv", lang="zh"
    )

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    with monkeypatch.context() as patched:
        patched.setattr("assessments.transfer.enterprises.export_enterprises", boom)
        jobs.run_guarded(jobs.export_job, str(job.pk))
    job.refresh_from_db()
    assert job.status == TransferJob.Status.FAILED and "unexpectedly" in job.message
    assert job.can_retry

    client.force_login(admin_user)
    page = client.get(reverse("transfer:job", args=[job.pk])).content.decode()
    assert reverse("transfer:job-retry", args=[job.pk]) in page
    client.post(reverse("transfer:job-retry", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == TransferJob.Status.QUEUED and not job.message
    jobs.export_job(str(job.pk))
    job.refresh_from_db()
    assert job.status == TransferJob.Status.DONE and job.result


def age(job: TransferJob, seconds: int) -> None:
    """As if the job's row was last written ``seconds`` ago."""
    TransferJob.objects.filter(pk=job.pk).update(
        updated_at=timezone.now() - dt.timedelta(seconds=seconds)
    )


def test_an_import_left_running_by_a_dead_worker_fails_after_the_timeout_and_is_retried(
    client, admin_user, settings
):
    settings.TASKS = QUEUED
    settings.TRANSFER_JOB_TIMEOUT = 600
    client.force_login(admin_user)
    upload(client, [good_row(i) for i in range(20)])
    job = TransferJob.objects.get()
    jobs.validate_import_job(str(job.pk))
    client.post(reverse("transfer:job-confirm", args=[job.pk]))
    # The worker claims the import, reports progress from inside its transaction, then dies.
    assert jobs.claim(job.pk, TransferJob.Step.IMPORT) is not None
    jobs.report_progress(job.pk, 10, in_transaction=True)
    age(job, 3600)
    status_url = reverse("transfer:job-status", args=[job.pk])
    # Its last sign of life (the progress report) is recent: still running.
    assert client.get(status_url).json()["status"] == "importing"

    cache_key = jobs._progress_key(job.pk)
    jobs._progress_cache().set(cache_key, (10, timezone.now().timestamp() - 700))
    status = client.get(status_url).json()
    assert status["status"] == "failed" and not status["running"]
    job.refresh_from_db()
    assert "10 minutes" in job.message and job.can_retry
    assert not Enterprise.objects.exists()

    # Retried: queued again for the same step, and the next worker imports it.
    client.post(reverse("transfer:job-retry", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == TransferJob.Status.QUEUED and job.step == TransferJob.Step.IMPORT
    jobs.import_enterprises_job(str(job.pk))
    job.refresh_from_db()
    assert job.status == TransferJob.Status.DONE and Enterprise.objects.count() == 20


def test_a_job_no_worker_picks_up_fails_with_a_message_and_a_recent_one_waits(
    client, admin_user, settings
):
    settings.TASKS = QUEUED
    settings.TRANSFER_JOB_TIMEOUT = 600
    client.force_login(admin_user)
    upload(client, [good_row(1)])
    job = TransferJob.objects.get()
    age(job, 599)
    client.get(reverse("transfer:index"))
    job.refresh_from_db()
    assert job.status == TransferJob.Status.QUEUED
    age(job, 601)
    page = client.get(reverse("transfer:index")).content.decode()
    job.refresh_from_db()
    assert job.status == TransferJob.Status.FAILED and "db_worker" in job.message
    assert job.get_status_display() in page
    # A job that finished is never touched, however old.
    done = jobs.start_export(
        user=admin_user, kind=TransferJob.Kind.EXPORT_ENTERPRISES, fmt="csv", lang="zh"
    )
    jobs.export_job(str(done.pk))
    age(done, 10**6)
    client.get(reverse("transfer:job", args=[done.pk]))
    done.refresh_from_db()
    assert done.status == TransferJob.Status.DONE


def test_jobs_that_cannot_be_retried_say_so(client, admin_user, settings):
    settings.TASKS = QUEUED
    client.force_login(admin_user)
    upload(client, [good_row(1)])
    job = TransferJob.objects.get()
    jobs.validate_import_job(str(job.pk))
    response = client.post(reverse("transfer:job-retry", args=[job.pk]), follow=True)
    assert "cannot be tried again" in response.content.decode()
    job.refresh_from_db()
    assert job.status == TransferJob.Status.PREVIEW


def test_link_filter_shows_only_for_transfer_roles(admin_user, owner):
    template = Template("{% load transfer_tags %}{% if user|can_transfer %}yes{% endif %}")
    assert template.render(Context({"user": admin_user})) == "yes"
    assert template.render(Context({"user": reviewer(lead=True)})) == "yes"
    assert template.render(Context({"user": owner})) == ""
    assert template.render(Context({"user": reviewer(username="plain")})) == ""
