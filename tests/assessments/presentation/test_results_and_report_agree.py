"""The results page and the PDF of one GB/T submission below the top level say the same things.

Both show the path to the next level in the same words ("下一等级", never "上一等级"), the same
clause numbers and titles (never the scheme's internal item codes such as ``4.1-context``), the
same points before and after, and every level's thresholds with the firm's own figure.
"""

from __future__ import annotations

import html
import io
import re

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from assessments import presentation
from assessments.reports import services as reports
from assessments.samples import conformity_answers
from portal.core.i18n import django_language
from tests import factories

pytestmark = pytest.mark.django_db


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def page_text(response) -> str:
    assert response.status_code == 200
    return squash(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return squash("".join(page.extract_text() or "" for page in reader.pages))


@pytest.fixture
def submission(enterprise, owner, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.SITE_URL = "https://portal.example.org"
    version = factories.scheme_version("gbt29490-2023")
    answers = conformity_answers(version.engine_scheme, None)  # ratings cycle: gaps remain
    return factories.make_submission(enterprise, code="gbt29490-2023", answers=answers, user=owner)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_results_page_and_pdf_show_the_path_and_rules_alike(client, owner, submission, lang):
    scheme = submission.scheme_version.engine_scheme
    view = presentation.result_view(
        scheme, submission.result, submission.answers, submission.assessed_on, lang, []
    )
    assert view.what_if.target, "the sample must stay below the top level"
    client.force_login(owner)
    with translation.override(django_language(lang)):
        web = page_text(client.get(reverse("wizard:results", args=[submission.pk])))
        next_level = squash(
            translation.gettext("Next level: %(level)s.") % {"level": view.what_if.target}
        )
    pdf = pdf_text(reports.render_submission_report(submission, lang)[0])

    expected = [next_level, squash(view.level_rules.figure_line)]
    for rule in view.level_rules.levels:
        expected += [squash(rule.label)] + [squash(c.text) for c in rule.conditions]
    for step in view.what_if.sets[0].steps:
        expected += [squash(step.label), squash(f"{step.current}→{step.target}")]
    for name, text in (("results page", web), ("PDF", pdf)):
        for figure in expected:
            assert figure in text, (name, figure)
        for item in scheme.items:
            assert item.code not in text, (name, item.code)
        if lang == "zh":
            assert "下一等级" in text and "上一等级" not in text, name
