"""Certificates and result reports carry the portal's PAdES signature; an upload of a genuine but
revoked certificate never reads "genuine"; the firm then gets only the stamped PDF."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from assessments.reports import signing
from assessments.reports.services import render_submission_report
from assessments.review import certificates

from .test_notifications_certificates import recognised


def _validate(data: bytes):
    """pyHanko's own validator, trusting the portal's certificate."""
    embedded = PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures[-1]
    context = ValidationContext(
        trust_roots=[signing.signing_key().certificate], allow_fetching=False
    )
    return validate_pdf_signature(embedded, context)


def _change_one_byte(data: bytes) -> bytes:
    """The same file with one byte of its first content stream changed (same length)."""
    index = data.index(b"stream", 0) + 20
    changed = bytearray(data)
    changed[index] ^= 0x01
    return bytes(changed)


@pytest.fixture
def certificate(application, reviewer, lead, django_capture_on_commit_callbacks):
    return recognised(application, reviewer, lead, django_capture_on_commit_callbacks)


def test_a_rendered_certificate_is_signed_and_a_one_byte_change_fails(certificate):
    data = certificate.pdf.read()
    status = _validate(data)
    assert status.intact and status.valid and status.trusted
    assert status.bottom_line
    assert "IP Portal" in status.signing_cert.subject.human_friendly
    assert signing.check_signature(data).valid

    changed = _change_one_byte(data)
    assert not _validate(changed).intact
    assert not signing.check_signature(changed).valid
    assert signing.check_signature(changed).signed


def test_result_reports_are_signed_too(submission):
    data, pages = render_submission_report(submission, "zh-hans")
    assert pages >= 1
    status = _validate(data)
    assert status.intact and status.valid and status.trusted
    assert not signing.check_signature(_change_one_byte(data)).valid


def test_uploading_a_revoked_certificate_says_revoked_never_genuine(client, certificate, lead):
    original = certificate.pdf.read()
    certificates.change_status(certificate, "revoke", lead, "fraudulent evidence")
    url = f"/verify/{certificate.verify_code}/"
    html = client.post(
        url, {"file": SimpleUploadedFile("c.pdf", original, "application/pdf")}
    ).content.decode()
    assert "文件真实，但证书已于" in html and "撤销" in html
    assert "真实：该文件" not in html  # the plain "genuine" verdict
    assert "verify-check-genuine_but_withdrawn" in html
    assert "数字签名有效" in html
    data = client.get(url, {"format": "json"}).json()
    assert data["status"] == "revoked"
    assert data["reason"] == "fraudulent evidence"
    assert data["status_since"]


def test_after_revocation_the_firm_downloads_only_the_stamped_pdf(client, certificate, lead, owner):
    certificates.change_status(certificate, "revoke", lead, "fraudulent evidence")
    certificate.refresh_from_db()
    pdf, name = certificates.download_file(certificate)
    assert name.endswith("-revoked.pdf")
    stamped = pdf.read()
    assert stamped != certificate.pdf.read()
    assert signing.check_signature(stamped).valid
    # The stamped file is one of the genuine files, labelled, and checks as revoked.
    page = client.post(
        f"/verify/{certificate.verify_code}/",
        {"file": SimpleUploadedFile("s.pdf", stamped, "application/pdf")},
    ).content.decode()
    assert "文件真实，但证书已于" in page
