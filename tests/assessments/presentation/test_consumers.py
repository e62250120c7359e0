"""One submission read by every consumer shows the same figures and words.

The results page, the PDF report, the review workspace, the certificate PDF and the export row
are rendered for one submission; each must show what :mod:`assessments.presentation` says:
total, bonus, total plus bonus, level label, section scores and percentages, answer texts and
the evidence file name.
"""

from __future__ import annotations

import html
import io
import re
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from assessments import presentation
from assessments.models import Evidence
from assessments.presentation import exports
from assessments.reports import services as reports
from assessments.review import certificates
from assessments.review import services as review
from portal.core.i18n import django_language
from tests import factories
from tests.assessments.review.conftest import make_programme

pytestmark = pytest.mark.django_db

EVIDENCE_NAME = "研发费用专项审计报告.pdf"


def squash(text: str) -> str:
    """Text without any whitespace (PDF extraction breaks lines and spaces where it likes)."""
    return re.sub(r"\s+", "", text)


def page_text(response) -> str:
    assert response.status_code == 200
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return squash(html.unescape(body))


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return squash("".join(page.extract_text() or "" for page in reader.pages))


@pytest.fixture
def reviewer(db):
    return factories.reviewer(["420000"], username="rev-hubei")


@pytest.fixture
def case(enterprise, owner, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.SITE_URL = "https://portal.example.org"
    answers = dict(factories.IP_ENTERPRISE_ANSWERS, M2="none")  # a choice answered "none"
    submission = factories.make_submission(enterprise, answers=answers, user=owner)
    evidence = Evidence(
        assessment=submission.assessment,
        item_code="rd_expense_3y",
        original_name=EVIDENCE_NAME,
        content_type="application/pdf",
        size=2048,
        sha256="ab" * 32,
    )
    evidence.file.save("audit.pdf", ContentFile(b"%PDF-1.7"), save=True)
    programme = make_programme()
    with translation.override("en"):
        application = review.apply(owner, programme, submission)
    return submission, application, evidence


def expected(submission, evidence, lang: str) -> tuple[presentation.ResultView, list[str]]:
    scheme = submission.scheme_version.engine_scheme
    view = presentation.result_view(
        scheme, submission.result, submission.answers, submission.assessed_on, lang, [evidence]
    )
    summary = view.summary
    figures = [summary.total, summary.bonus, summary.deciding_line, summary.level_label]
    for section in view.sections:
        figures += [section.label, section.score, section.percent]
    return view, [squash(f) for f in figures]


def answer_texts(view: presentation.ResultView) -> list[str]:
    """Answers every consumer shows: the figures reported and the chosen options."""
    texts = [row.text for row in view.inputs]
    texts += [i.answer for block in view.items for i in block.items if i.code in ("C1", "M2")]
    return [squash(t) for t in texts]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_consumer_shows_the_same_figures_and_words(
    client, case, owner, reviewer, lang
) -> None:
    submission, application, evidence = case
    view, figures = expected(submission, evidence, lang)
    answers = answer_texts(view)
    with translation.override(django_language(lang)):
        results_url = reverse("wizard:results", args=[submission.pk])
        review_url = reverse("review:detail", args=[application.pk])

    # The figures are what the layer promises: grouped, percentages, two-decimal points.
    assert squash(view.summary.deciding_line).endswith("71.00+2.00=73.00")  # 72 less M2
    assert "50,000" in " ".join(answers)  # revenue grouped by thousands
    assert squash("4.0\u00a0%") in [squash(i.answer) for b in view.items for i in b.items]

    client.force_login(owner)
    results = page_text(client.get(results_url))
    pdf = pdf_text(reports.render_submission_report(submission, lang)[0])
    client.force_login(reviewer)
    workspace = page_text(client.get(review_url))

    for name, text in (("results page", results), ("PDF", pdf), ("review", workspace)):
        for figure in figures:
            assert figure in text, (name, figure)
        for answer in answers:
            assert answer in text, (name, answer)
        assert squash(EVIDENCE_NAME) in text, name

    # Ratios read as percentages on the page and in the PDF, never as the stored fraction.
    scheme = submission.scheme_version.engine_scheme
    ratios = {i.code: i.value for i in presentation.as_result(submission.result).items}
    for code in ("M5", "M6"):  # 2,000 / 50,000 and 60 / 2,000
        assert presentation.value_kind(scheme, code) == "ratio"
        shown = squash(presentation.answer_text(scheme, code, ratios[code], lang))
        raw = format(ratios[code].normalize(), "f")
        assert shown in ("4.0%", "3.0%")
        for text in (results, pdf):
            assert shown in text and raw not in text

    with translation.override("en"):
        certificate = certificates.issue_certificate(application, reviewer)
    assert squash(view.summary.level_label) in pdf_text(certificates.pdf_bytes(certificate, lang))

    headers = exports.result_headers(scheme, lang)
    row = dict(
        zip(
            headers,
            exports.result_row(scheme, submission.result, submission.answers, lang),
            strict=True,
        )
    )

    def number(text: str) -> Decimal:
        return Decimal(text.replace(",", "").replace("%", "").strip())

    assert row[headers[0]] == number(view.summary.total)
    assert row[headers[1]] == number(view.summary.bonus)
    assert row[headers[2]] == number(view.summary.deciding)
    assert row[headers[4]] == view.summary.level_label
    for section in view.sections:
        label = section.label
        assert number(section.score) in row.values()
        assert any(h.startswith(label) and row[h] == number(section.percent) for h in headers)
    texts = {v for v in row.values() if isinstance(v, str)}
    assert {squash(t) for t in texts} >= {
        squash(i.answer) for b in view.items for i in b.items if i.code in ("C1", "M2")
    }
