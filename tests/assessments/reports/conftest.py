"""Shared fixtures for report tests: PDFs are rendered once per module where possible."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from pypdf import PdfReader

from assessments import engine
from assessments.engine import builtin_scheme
from tests.factories import IP_ENTERPRISE_ANSWERS

ON = dt.date(2026, 6, 30)
ENTERPRISE = "孝感示范科技有限公司"
CREDIT_CODE = "91420900MA4F0B8X3L"
CODE = "ABCDEFGH23456789"
VERIFY_URL = f"https://portal.example.org/verify/{CODE}/"


def stored_result(scheme, answers, on=ON) -> dict:
    """The engine result as stored in Submission.result (a JSON round trip)."""
    return json.loads(engine.dumps(engine.result_to_dict(engine.score(scheme, answers, on))))


def render_sample(code: str, answers: dict, lang: str) -> bytes:
    from assessments.reports.content import Enterprise, report_context, report_title
    from assessments.reports.pdf import render_pdf

    scheme = builtin_scheme(code)
    context = report_context(
        scheme=scheme,
        result=stored_result(scheme, answers),
        answers=answers,
        enterprise=Enterprise(ENTERPRISE, CREDIT_CODE),
        assessed_on=ON,
        lang=lang,
        verify_code=CODE,
        verify_url=VERIFY_URL,
    )
    return render_pdf(
        "reports/pdf/report.html", context, lang=lang, title=report_title(scheme, ENTERPRISE, lang)
    )


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


@pytest.fixture(scope="session")
def ip_pdf_zh() -> bytes:
    return render_sample("ip-enterprise", IP_ENTERPRISE_ANSWERS, "zh-hans")


@pytest.fixture(scope="session")
def ip_pdf_en() -> bytes:
    return render_sample("ip-enterprise", IP_ENTERPRISE_ANSWERS, "en")


@pytest.fixture
def fake_render(monkeypatch):
    """Replace the (slow) PDF rendering by distinct fake bytes, for access and state tests."""
    from assessments.reports import services

    calls = []

    def render(submission, lang):
        calls.append((submission.pk, lang))
        return f"%PDF-1.7 fake report {submission.verify_code} {lang}\n".encode(), 3

    monkeypatch.setattr(services, "render_submission_report", render)
    return calls


@pytest.fixture
def on_commit_at_once(monkeypatch):
    """Run ``transaction.on_commit`` callbacks at once, as in the portal's views.

    The views run in autocommit mode, where a service's ``on_commit`` callback (queuing the
    rendering) runs at once; each test runs inside a transaction that would hold it back until
    the test ends. ``test_services.py`` checks that the rendering waits for the commit.
    """
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = "https://portal.example.org"


@pytest.fixture(autouse=True)
def _default_language():
    """Requests leave their language active in the test thread; start each test in Chinese."""
    from django.utils import translation

    translation.activate("zh-hans")
    yield
    translation.activate("zh-hans")


@pytest.fixture(autouse=True)
def _english_urls_and_texts():
    """These tests assert English texts: reverse() gives /en/ URLs and templates render English.

    Chinese output is covered by the PDF tests, which render both languages explicitly.
    """
    from django.utils import translation

    with translation.override("en"):
        yield
