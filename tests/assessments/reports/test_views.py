"""Report files: rendered once per language by a task, served only to those allowed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments.reports.models import ReportFile
from assessments.reports.services import request_report
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_commit_at_once")]


@pytest.fixture
def submission(enterprise, owner):
    return factories.make_submission(enterprise, user=owner)


def _download(client, submission, lang=None):
    url = reverse("reports:download", kwargs={"pk": submission.pk})
    return client.get(url + (f"?lang={lang}" if lang else ""))


def test_owner_downloads_the_pdf_rendered_once(client, owner, submission, fake_render):
    client.force_login(owner)
    response = _download(client, submission)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert f"report-{submission.verify_code}-zh-hans.pdf" in response["Content-Disposition"]
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF")
    report = ReportFile.objects.get(submission=submission, language="zh-hans")
    assert report.status == "ready"
    assert report.file.name.startswith(f"private/reports/{submission.enterprise_id}/")
    assert report.size == len(body) and report.pages == 3
    import hashlib

    assert report.sha256 == hashlib.sha256(body).hexdigest()
    assert report.rendered_at is not None
    # A second download serves the stored file: no second rendering.
    assert b"".join(_download(client, submission).streaming_content) == body
    assert fake_render == [(submission.pk, "zh-hans")]


def test_english_on_request_and_by_submitter_language(client, owner, enterprise, fake_render):
    client.force_login(owner)
    zh = factories.make_submission(enterprise, user=owner)
    assert _download(client, zh, "en").status_code == 200
    en = factories.make_submission(enterprise, user=owner, language="en")
    assert _download(client, en).status_code == 200
    assert fake_render == [(zh.pk, "en"), (en.pk, "en")]


def test_other_enterprise_gets_404(client, other_enterprise_owner, submission, fake_render):
    client.force_login(other_enterprise_owner)
    for name in ("reports:download", "reports:detail", "reports:status"):
        assert client.get(reverse(name, kwargs={"pk": submission.pk})).status_code == 404
    assert fake_render == []


def test_anonymous_is_sent_to_login(client, submission):
    response = _download(client, submission)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_reviewer_in_scope_may_download_out_of_scope_gets_404(client, submission, fake_render):
    # The enterprise is in 孝感 (420900), a city of 湖北 (420000).
    client.force_login(factories.reviewer(regions=["420000"], username="rev-hubei"))
    assert _download(client, submission).status_code == 200
    client.force_login(factories.reviewer(regions=["110000"], username="rev-beijing"))
    assert _download(client, submission).status_code == 404
    client.force_login(factories.UserFactory(username="plain-user"))
    assert _download(client, submission).status_code == 404


def test_superuser_may_download(client, admin_user, submission, fake_render):
    client.force_login(admin_user)
    assert _download(client, submission).status_code == 200


@pytest.fixture
def database_tasks(settings):
    """The production set-up: tasks are stored in the database and run by ``db_worker``."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _queued() -> list:
    from django_tasks_db.models import DBTaskResult

    return [r.args_kwargs["args"][0] for r in DBTaskResult.objects.filter(status="READY")]


def test_pending_report_shows_being_prepared(client, owner, submission, database_tasks):
    """With a worker backend the task is only queued: the page says so and refreshes."""
    client.force_login(owner)
    response = _download(client, submission)
    assert response.status_code == 302
    assert response["Location"].endswith(
        reverse("reports:detail", kwargs={"pk": submission.pk}) + "?lang=zh-hans&start=1"
    )
    report = ReportFile.objects.get(submission=submission)
    assert _queued() == [report.pk] and report.status == "pending"
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "being prepared" in html
    assert '<meta http-equiv="refresh"' in html
    assert "data-report-status-url" in html
    status = client.get(reverse("reports:status", kwargs={"pk": submission.pk})).json()
    assert status == {"reports": {"zh-hans": "pending"}, "pending": True}
    # Asking again does not queue a second rendering.
    _download(client, submission)
    assert _queued() == [report.pk]


def test_a_plain_link_waits_on_the_status_page_and_then_starts_the_download(
    client, owner, submission, database_tasks, fake_render
):
    """Without JavaScript: the status page refreshes itself until the PDF is ready, then sends
    the browser to the download."""
    client.force_login(owner)
    waiting = _download(client, submission)["Location"]
    html = client.get(waiting).content.decode()
    assert '<meta http-equiv="refresh" content="3">' in html
    assert 'id="report-download-started"' not in html
    report = ReportFile.objects.get(submission=submission)
    from assessments.reports.services import build_report_file

    build_report_file(report.pk)
    html = client.get(waiting).content.decode()
    download = reverse("reports:download", kwargs={"pk": submission.pk}) + "?lang=zh-hans"
    assert f'<meta http-equiv="refresh" content="1;url={download}">' in html
    assert 'id="report-download-started"' in html
    # without ?start=1 the page does not start a download
    plain = client.get(reverse("reports:detail", kwargs={"pk": submission.pk})).content.decode()
    assert "http-equiv" not in plain


def test_status_prepares_a_report_for_the_script(client, owner, submission, fake_render):
    """The page's script asks the status endpoint to prepare the PDF and polls it."""
    client.force_login(owner)
    url = reverse("reports:status", kwargs={"pk": submission.pk})
    assert client.get(url).json() == {"reports": {}, "pending": False}
    assert client.get(url + "?prepare=en").json()["reports"] == {"en": "ready"}
    assert fake_render == [(submission.pk, "en")]
    assert client.get(url + "?prepare=<script>").json()["reports"]["zh-hans"] == "ready"
    page = client.get(reverse("wizard:results", args=[submission.pk])).content.decode()
    assert "data-report-prepare-url" in page and "report-download.js" in page


def test_status_prepare_only_queues_with_a_worker(client, owner, submission, database_tasks):
    client.force_login(owner)
    url = reverse("reports:status", kwargs={"pk": submission.pk})
    assert client.get(url + "?prepare=zh-hans").json() == {
        "reports": {"zh-hans": "pending"},
        "pending": True,
    }
    client.get(url + "?prepare=zh-hans")
    assert len(_queued()) == 1


def test_db_worker_renders_the_queued_report(
    owner, submission, fake_render, database_tasks, monkeypatch
):
    from django.core.management import call_command
    from django_tasks_db.management.commands import db_worker

    # The worker closes connections it thinks are stale; inside the test's transaction that
    # would close PostgreSQL's test connection (SQLite's in-memory one is never closed).
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    report = request_report(submission, "en")
    assert report.status == "pending" and fake_render == []
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    report.refresh_from_db()
    assert report.status == "ready" and report.sha256
    assert fake_render == [(submission.pk, "en")]


def test_failed_rendering_is_recorded_and_retried(client, owner, submission, monkeypatch):
    from assessments.reports import services

    def broken(submission, lang):
        raise RuntimeError("font missing")

    monkeypatch.setattr(services, "render_submission_report", broken)
    client.force_login(owner)
    response = _download(client, submission)
    assert response.status_code == 302
    report = ReportFile.objects.get(submission=submission)
    assert report.status == "failed" and "font missing" in report.error
    page = client.get(reverse("reports:detail", kwargs={"pk": submission.pk})).content.decode()
    assert "could not be prepared" in page
    monkeypatch.setattr(
        services, "render_submission_report", lambda submission, lang: (b"%PDF-ok", 1)
    )
    assert _download(client, submission).status_code == 200


def test_panel_lists_languages_and_ready_files(client, owner, submission, fake_render):
    from django.template.loader import render_to_string

    request_report(submission, "zh-hans")
    html = render_to_string("reports/includes/report_panel.html", {"submission": submission})
    report = ReportFile.objects.get(submission=submission)
    assert report.sha256 in html
    assert "Download PDF" in html
    assert "Prepare and download the PDF" in html  # English not rendered yet
    assert "?lang=en" in html
    assert submission.verify_code in html
    assert "data-report-status-url" not in html


def test_detail_page_queries_are_bounded(
    client, owner, submission, fake_render, django_assert_max_num_queries
):
    request_report(submission, "zh-hans")
    request_report(submission, "en")
    client.force_login(owner)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("reports:detail", kwargs={"pk": submission.pk}))
    assert response.status_code == 200


def test_real_rendering_through_the_view(client, owner, enterprise):
    """One real rendering end to end: the stored PDF names the enterprise and verifies."""
    from .conftest import pdf_text

    submission = factories.make_submission(enterprise, user=owner, language="en")
    client.force_login(owner)
    body = b"".join(_download(client, submission).streaming_content)
    text = " ".join(pdf_text(body).split())
    assert enterprise.name in text.replace(" ", "")
    assert "Demonstration enterprise level" in text
    # The link (and QR code) use the host that served the request, not SITE_URL.
    assert f"http://testserver/en/verify/{submission.verify_code}/" in text
    client.logout()
    url = reverse("verify:detail", kwargs={"code": submission.verify_code})
    from django.core.files.uploadedfile import SimpleUploadedFile

    ok = client.post(url, {"file": SimpleUploadedFile("r.pdf", body, "application/pdf")})
    assert "byte-identical" in ok.content.decode()
    middle = len(body) // 2
    tampered = body[:middle] + bytes([body[middle] ^ 0x01]) + body[middle + 1 :]
    bad = client.post(url, {"file": SimpleUploadedFile("r.pdf", tampered, "application/pdf")})
    assert "Not genuine" in bad.content.decode()


def test_a_report_pending_for_too_long_is_queued_again(owner, submission, database_tasks):
    import datetime as dt

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    report = request_report(submission, "zh-hans")
    assert request_report(submission, "zh-hans").pk == report.pk
    assert DBTaskResult.objects.count() == 1
    ReportFile.objects.filter(pk=report.pk).update(
        requested_at=timezone.now() - dt.timedelta(hours=1)
    )
    request_report(submission, "zh-hans")
    assert DBTaskResult.objects.count() == 2
    report.refresh_from_db()
    assert report.status == "pending"
    assert report.requested_at > timezone.now() - dt.timedelta(minutes=1)
