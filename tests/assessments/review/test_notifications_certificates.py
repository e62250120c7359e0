"""E-mail notifications, certificates (issue, PDF, suspend/revoke, expiry) and verification."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone, translation

from assessments.review import certificates, services
from assessments.review.errors import PermissionRefused, TransitionError
from assessments.review.models import Application, Certificate
from assessments.review.transitions import perform

from .conftest import advance, assigned


def to_public_notice(application, reviewer, lead):
    assigned(application, reviewer)
    advance(application, reviewer, "start_formal_check", "pass_formal_check", "recommend")
    advance(application, lead, "start_public_notice")
    Application.objects.filter(pk=application.pk).update(
        notice_ends_on=timezone.localdate() - dt.timedelta(days=1)
    )
    application.refresh_from_db()
    return application


def recognised(application, reviewer, lead, capture):
    to_public_notice(application, reviewer, lead)
    with capture(execute=True):
        perform(application, "recognise", lead, reason="no objections")
    return Certificate.objects.get(application=application)


def test_every_state_change_mails_the_firm_members(
    enterprise, owner, member, programme, submission, reviewer, django_capture_on_commit_callbacks
):
    with translation.override("zh-hans"), django_capture_on_commit_callbacks(execute=True):
        application = services.apply(owner, programme, submission)
    assert len(mail.outbox) == 2  # owner and member, one message each
    assert {m.to[0] for m in mail.outbox} == {owner.email, member.email}
    assert "已提交" in mail.outbox[0].subject
    mail.outbox.clear()
    assigned(application, reviewer)
    advance(application, reviewer, "start_formal_check")
    with django_capture_on_commit_callbacks(execute=True):
        services.request_changes(
            application, reviewer, ["M1"], {}, "证书已过期，请更新", application.version
        )
    assert len(mail.outbox) == 2
    body = mail.outbox[0].body
    assert "证书已过期，请更新" in body
    assert "M1" in body
    assert f"/applications/{application.pk}/" in body
    assert mail.outbox[0].alternatives == []  # plain text only


def test_mail_in_the_applicants_language(
    enterprise, owner, programme, submission, django_capture_on_commit_callbacks
):
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        services.apply(owner, programme, submission)
    assert mail.outbox[0].subject.startswith("Your application to")
    assert "Submitted" in mail.outbox[0].subject
    assert "/en/applications/" in mail.outbox[0].body


def test_rolled_back_transition_sends_nothing(
    application, reviewer, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PermissionRefused):
        perform(application, "start_formal_check", reviewer)
    assert mail.outbox == []


def test_assignment_mails_the_assignee(
    application, reviewer, lead, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.assign(application, reviewer, lead, application.version)
    assert [m.to for m in mail.outbox] == [[reviewer.email]]
    assert application.enterprise.name in mail.outbox[0].subject
    assert f"/review/{application.pk}/" in mail.outbox[0].body


def test_recognition_issues_a_certificate_with_pdf(
    application, reviewer, lead, django_capture_on_commit_callbacks
):
    certificate = recognised(application, reviewer, lead, django_capture_on_commit_callbacks)
    today = timezone.localdate()
    assert certificate.valid_from == today
    assert certificate.valid_until == today.replace(year=today.year + 3) - dt.timedelta(days=1)
    # One number scheme: prefix, year of issue, recognition code (SF: 示范), serial.
    assert certificate.number == f"HB-{today.year}-SF-{certificate.pk:05d}"
    assert certificate.level == "demonstration"
    assert certificate.level_label_zh == "示范企业水平"
    assert certificate.current_status() == "valid"
    assert certificate.pdf
    data = certificate.pdf.read()
    assert data.startswith(b"%PDF")
    assert certificate.pdf_sha256 == hashlib.sha256(data).hexdigest()
    assert application.events.filter(action="certificate_issued").exists()


def test_verification_page_and_json(
    client, application, reviewer, lead, django_capture_on_commit_callbacks
):
    certificate = recognised(application, reviewer, lead, django_capture_on_commit_callbacks)
    url = f"/verify/{certificate.verify_code}/"
    data = client.get(url, {"format": "json"}).json()
    assert data["status"] == "valid"
    assert data["kind"] == "certificate"
    assert data["enterprise_name"] == application.enterprise.name
    assert data["valid_until"] == certificate.valid_until.isoformat()
    assert data["sha256"] == [certificate.pdf_sha256]
    page = client.get(url)
    assert page.status_code == 200
    assert certificate.number in page.content.decode()

    certificates.change_status(certificate, "suspend", lead, "surveillance pending")
    assert client.get(url, {"format": "json"}).json()["status"] == "suspended"
    certificates.change_status(certificate, "reinstate", lead, "surveillance passed")
    assert client.get(url, {"format": "json"}).json()["status"] == "valid"
    certificates.change_status(certificate, "revoke", lead, "fraudulent evidence")
    assert client.get(url, {"format": "json"}).json()["status"] == "revoked"
    actions = list(
        application.events.filter(action__startswith="certificate_").values_list("action", "reason")
    )
    assert actions[1:] == [
        ("certificate_suspend", "surveillance pending"),
        ("certificate_reinstate", "surveillance passed"),
        ("certificate_revoke", "fraudulent evidence"),
    ]
    with pytest.raises(TransitionError):
        certificates.change_status(certificate, "reinstate", lead, "oops")


def test_certificate_status_changes_need_scope_reason_and_no_conflict(
    application, reviewer, lead, outsider, django_capture_on_commit_callbacks
):
    certificate = recognised(application, reviewer, lead, django_capture_on_commit_callbacks)
    with pytest.raises(PermissionRefused):
        certificates.change_status(certificate, "revoke", outsider, "not mine")
    with pytest.raises(TransitionError, match="reason"):
        certificates.change_status(certificate, "revoke", lead, " ")
    services.declare_conflict(application, reviewer, "former adviser")
    with pytest.raises(PermissionRefused, match="conflict"):
        certificates.change_status(certificate, "suspend", reviewer, "x")
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.VALID


def test_only_a_lead_reviewer_changes_a_certificates_status(
    application, reviewer, lead, django_capture_on_commit_callbacks
):
    certificate = recognised(application, reviewer, lead, django_capture_on_commit_callbacks)
    with pytest.raises(PermissionRefused, match="lead reviewer"):
        certificates.change_status(certificate, "suspend", reviewer, "surveillance pending")
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.VALID
    certificates.change_status(certificate, "suspend", lead, "surveillance pending")
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.SUSPENDED


def test_expiry_is_automatic_and_stored_by_the_command(
    client, application, reviewer, lead, django_capture_on_commit_callbacks
):
    certificate = recognised(application, reviewer, lead, django_capture_on_commit_callbacks)
    Certificate.objects.filter(pk=certificate.pk).update(
        valid_until=timezone.localdate() - dt.timedelta(days=1)
    )
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.VALID  # stored
    assert certificate.current_status() == "expired"  # computed
    url = f"/verify/{certificate.verify_code}/"
    assert client.get(url, {"format": "json"}).json()["status"] == "expired"
    call_command("expire_certificates", stdout=open("/dev/null", "w"))  # noqa: SIM115
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.EXPIRED
    with pytest.raises(TransitionError):
        certificates.change_status(certificate, "suspend", lead, "too late")


def test_certificate_status_change_mails_the_firm(
    application, reviewer, lead, django_capture_on_commit_callbacks
):
    Application.objects.filter(pk=application.pk).update(language="zh-hans")
    application.refresh_from_db()
    certificate = recognised(application, reviewer, lead, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        certificates.change_status(certificate, "revoke", lead, "伪造证明材料")
    assert len(mail.outbox) == 1
    assert "伪造证明材料" in mail.outbox[0].body
    assert "证书已撤销" in mail.outbox[0].body  # rendered in the application's language
