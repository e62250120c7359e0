"""Public verification: minimal record, statuses, byte-for-byte check, JSON, 404, rate limit."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from wagtail import hooks

from assessments.reports import verification
from assessments.reports.models import ReportFile, Revocation
from assessments.reports.services import request_report
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_commit_at_once")]


@pytest.fixture
def submission(enterprise, owner):
    return factories.make_submission(enterprise, user=owner, on=dt.date(2026, 5, 4))


@pytest.fixture
def issued(submission, fake_render):
    """The submission with its Chinese PDF issued (fake bytes: hashing is what matters)."""
    report = request_report(submission, "zh-hans")
    with report.file.open("rb") as fh:
        return submission, fh.read()


def _url(code: str, lang_prefix: str = "/en") -> str:
    """The verification URL; "" gives the Chinese (default) page."""
    with translation.override("zh-hans"):
        return lang_prefix + reverse("verify:detail", kwargs={"code": code})


def test_record_shows_only_what_a_third_party_needs(client, issued):
    submission, body = issued
    response = client.get(_url(submission.verify_code, ""))
    assert response.status_code == 200
    html = response.content.decode()
    assert submission.enterprise.name in html
    assert "知识产权优势/示范企业评价" in html
    assert "示范企业水平" in html
    assert "2026-05-04" in html
    assert hashlib.sha256(body).hexdigest() in html
    assert "verify-banner-report" in html
    assert "自评报告（企业自行填报，未经审查）" in html
    # Not shown: credit code, scores, answers, contact details.
    assert submission.enterprise.credit_code not in html
    assert submission.enterprise.contact_phone not in html
    assert response["X-Robots-Tag"] == "noindex"


def test_english_page(client, issued):
    submission, _ = issued
    html = client.get(_url(submission.verify_code, "/en")).content.decode()
    assert "Demonstration enterprise level" in html
    assert "IP advantage / demonstration enterprise evaluation" in html
    assert "Self-assessment result report" in html


def test_json_format(client, issued):
    submission, body = issued
    digest = hashlib.sha256(body).hexdigest()
    data = client.get(_url(submission.verify_code, "") + "?format=json").json()
    assert data == {
        "kind": "report",
        "code": submission.verify_code,
        "status": "valid",
        "status_label": data["status_label"],
        "status_since": "2026-05-04",
        "reason": None,
        "self_declared": True,
        "enterprise_name": submission.enterprise.name,
        "title": data["title"],
        "number": None,
        "issuer": None,
        "recognition": None,
        "scheme": "知识产权优势/示范企业评价 · v2",
        "level_label": "示范企业水平",
        "issued_on": "2026-05-04",
        "date": "2026-05-04",
        "valid_until": None,
        "files": [{"label": "自评结果报告 PDF（中文）", "language": "zh-hans", "sha256": digest}],
        "sha256": [digest],
    }


def test_lower_case_code_is_accepted(client, issued):
    submission, _ = issued
    assert client.get(_url(submission.verify_code.lower())).status_code == 200


def test_genuine_and_tampered_uploads(client, issued):
    submission, body = issued
    url = _url(submission.verify_code)
    ok = client.post(url, {"file": SimpleUploadedFile("r.pdf", body, "application/pdf")})
    assert ok.status_code == 200
    assert "byte-identical" in ok.content.decode()
    tampered = body[:-2] + b"X\n"
    bad = client.post(url, {"file": SimpleUploadedFile("r.pdf", tampered, "application/pdf")})
    html = bad.content.decode()
    assert "Not genuine" in html
    assert hashlib.sha256(tampered).hexdigest() in html


def test_upload_size_is_limited(client, issued, settings):
    submission, body = issued
    settings.REPORTS_VERIFY_MAX_BYTES = 10
    response = client.post(
        _url(submission.verify_code),
        {"file": SimpleUploadedFile("r.pdf", body, "application/pdf")},
    )
    assert response.status_code == 400
    assert "too large" in response.content.decode()


def test_superseded_by_a_newer_submission_of_the_same_scheme(client, enterprise, owner, issued):
    submission, _ = issued
    factories.make_submission(enterprise, "gbt29490-2023", user=owner)  # other scheme
    assert client.get(_url(submission.verify_code) + "?format=json").json()["status"] == "valid"
    newer = factories.make_submission(enterprise, user=owner)
    assert (
        client.get(_url(submission.verify_code) + "?format=json").json()["status"] == "superseded"
    )
    assert client.get(_url(newer.verify_code) + "?format=json").json()["status"] == "valid"


def test_revoked(client, issued, admin_user):
    submission, body = issued
    Revocation.objects.create(submission=submission, reason="false figures", revoked_by=admin_user)
    data = client.get(_url(submission.verify_code) + "?format=json").json()
    assert data["status"] == "revoked"
    assert data["reason"] == "false figures"
    assert data["status_since"] == dt.date.today().isoformat()
    html = client.get(_url(submission.verify_code, "")).content.decode()
    assert "false figures" in html and "verify-banner-report" in html
    checked = client.post(
        _url(submission.verify_code, ""),
        {"file": SimpleUploadedFile("r.pdf", body, "application/pdf")},
    ).content.decode()
    assert "文件真实，但该自评报告已于" in checked


def test_no_pdf_issued_yet(client, submission):
    html = client.get(_url(submission.verify_code)).content.decode()
    assert "No PDF has been issued for this code yet." in html
    assert not ReportFile.objects.exists()


def test_unknown_code_answers_in_words_and_json(client, db):
    for code in ("ZZZZZZZZZZZZZZZZ", "bad code!", "x"):
        response = client.get(_url(code, ""))
        assert response.status_code == 404
        assert "该验证码不存在，文件可能不是本平台出具的" in response.content.decode()
    response = client.get(_url("ZZZZZZZZZZZZZZZZ") + "?format=json")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["status"] == "unknown"
    by_accept = client.get(_url("ZZZZZZZZZZZZZZZZ"), HTTP_ACCEPT="application/json")
    assert by_accept.status_code == 404 and by_accept.json()["code"] == "ZZZZZZZZZZZZZZZZ"


def test_guessing_is_rate_limited_per_address(client, issued, settings):
    submission, _ = issued
    settings.REPORTS_VERIFY_MISS_RATE = (3, 600)
    for n in range(3):
        assert client.get(_url(f"ZZZZZZZZZZZZZZZ{n}")).status_code == 404
    assert client.get(_url("ZZZZZZZZZZZZZZZ9")).status_code == 404  # the 4th miss is counted
    blocked = client.get(_url(submission.verify_code))
    assert blocked.status_code == 429
    assert blocked["Retry-After"]
    # Another address is not affected.
    assert client.get(_url(submission.verify_code), REMOTE_ADDR="10.9.8.7").status_code == 200


def test_all_lookups_are_rate_limited(client, issued, settings):
    submission, _ = issued
    settings.REPORTS_VERIFY_RATE = (2, 600)
    assert client.get(_url(submission.verify_code)).status_code == 200
    assert client.get(_url(submission.verify_code)).status_code == 200
    assert client.get(_url(submission.verify_code)).status_code == 429


def test_other_resolvers_share_the_page(client, db):
    """Another app's documents appear on the same page through a resolver registered with the
    verification hook."""

    def certificates(code):
        if code != "CERT0000000000001":
            return None
        return verification.VerificationRecord(
            kind="certificate",
            code=code,
            enterprise_name="证书企业有限公司",
            title="知识产权示范企业证书",
            scheme="ip-enterprise v1",
            level_label="示范企业",
            date=dt.date(2026, 1, 2),
            status="valid",
            valid_until=dt.date(2029, 1, 1),
            files=(verification.IssuedFile("证书 PDF", "zh-hans", "ab" * 32),),
        )

    assert client.get(_url("CERT0000000000001")).status_code == 404
    with hooks.register_temporarily(verification.RESOLVER_HOOK, certificates):
        html = client.get(_url("CERT0000000000001")).content.decode()
        json = client.get(_url("CERT0000000000001") + "?format=json").json()
    assert "证书企业有限公司" in html and "2029-01-01" in html and "ab" * 32 in html
    assert json["kind"] == "certificate"


def test_home_form_redirects_to_the_code(client, db):
    response = client.get(reverse("verify:home"), {"code": " abcd efgh "})
    assert response.status_code == 302
    assert response["Location"] == _url("ABCDEFGH")
    page = client.get(reverse("verify:home"))
    assert page.status_code == 200 and 'name="code"' in page.content.decode()


def test_verification_queries_are_bounded(client, issued, django_assert_max_num_queries):
    submission, _ = issued
    with django_assert_max_num_queries(6):
        assert client.get(_url(submission.verify_code)).status_code == 200


def test_oversized_body_is_refused_before_reading(client, issued, settings):
    submission, _ = issued
    settings.REPORTS_VERIFY_MAX_BYTES = 1024
    big = b"%PDF" + b"0" * (200 * 1024)
    response = client.post(
        _url(submission.verify_code), {"file": SimpleUploadedFile("big.pdf", big)}
    )
    assert response.status_code == 400
    assert "too large" in response.content.decode()
