"""The results page explains the result; load_demo adds a draft and two submissions."""

from __future__ import annotations

import io

import pytest
from django.core.management.color import no_style
from django.urls import reverse

from assessments import demo
from assessments.models import Assessment, Submission
from tests import factories

pytestmark = pytest.mark.django_db


def test_results_explain_level_gaps_what_if_and_comparison(client, owner):
    enterprise = owner.membership.enterprise
    earlier = factories.make_submission(
        enterprise, code="gbt29490-2023", answers=factories.gbt_answers(answer="largely")
    )
    answers = factories.gbt_answers(answer="full", prerequisites=False)
    answers["8-rd"] = "partly"
    latest = factories.make_submission(enterprise, code="gbt29490-2023", answers=answers)
    client.force_login(owner)
    page = client.get(reverse("wizard:results", args=[latest.pk]), HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="result-level"' in html
    assert 'id="level-rules"' in html  # how the level is decided, with the firm's figures
    assert "<svg" in html  # section bars and radar from assessments.charts
    assert 'id="conditions-title"' in html  # prerequisites not met are listed
    assert 'id="gaps-title"' in html
    assert 'id="whatif-title"' in html
    assert reverse("wizard:results", args=[earlier.pk]) in html  # comparison links back
    assert 'id="total-delta"' in html
    first = client.get(reverse("wizard:results", args=[earlier.pk])).content.decode()
    assert 'id="total-delta"' not in first


def test_vetoed_result_names_the_veto(client, owner):
    answers = dict(factories.IP_ENTERPRISE_ANSWERS, V2=True)
    submission = factories.make_submission(owner.membership.enterprise, answers=answers)
    client.force_login(owner)
    html = client.get(reverse("wizard:results", args=[submission.pk])).content.decode()
    assert submission.vetoed
    scheme = submission.scheme_version.engine_scheme
    veto = next(v for v in scheme.vetoes if v.code == "V2")
    assert veto.label.zh in html


def test_report_panel_is_included_only_when_the_template_exists(client, owner, settings, tmp_path):
    submission = factories.make_submission(owner.membership.enterprise)
    client.force_login(owner)
    url = reverse("wizard:results", args=[submission.pk])
    panel_dir = tmp_path / "reports" / "includes"
    panel_dir.mkdir(parents=True)
    (panel_dir / "report_panel.html").write_text(
        '<div id="test-report-panel">{{ submission.verify_code }}</div>'
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    html = client.get(url).content.decode()
    assert f'<div id="test-report-panel">{submission.verify_code}</div>' in html


def test_dashboard_panel_lists_drafts_submissions_and_schemes(client, owner, draft):
    submission = factories.make_submission(owner.membership.enterprise, code="gbt29490-2023")
    client.force_login(owner)
    html = client.get(reverse("dashboard:home")).content.decode()
    assert reverse("wizard:resume", args=[draft.pk]) in html
    assert reverse("wizard:results", args=[submission.pk]) in html
    assert reverse("wizard:start", args=["gbt29490-2023"]) in html
    assert reverse("wizard:start", args=["gbt29490-2013"]) not in html  # retired edition


def test_load_demo_adds_a_draft_and_two_submissions_idempotently():
    from portal.accounts import demo as accounts_demo

    out = io.StringIO()
    accounts_demo.load(out, no_style())
    demo.load(out, no_style())
    demo.load(out, no_style())
    subs = Submission.objects.filter(enterprise__memberships__user__username="demo-company")
    assert subs.count() == 2
    assert len({s.level for s in subs}) == 2
    draft = Assessment.objects.get(status="open", scheme__code="ip-enterprise")
    assert draft.current_step == "section-use"
    assert draft.answers["C1"] == "occasional"
