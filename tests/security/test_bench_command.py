"""``manage.py bench``: JSON lines, budgets enforced, a clear message without the demo content."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from assessments.models import Assessment, Submission
from portal.accounts.models import Enterprise, User
from portal.core import benchmarks
from tests import factories
from tests.cms.conftest import cms_site as cms_site  # the fixture

pytestmark = pytest.mark.django_db


def run(*args: str) -> list[dict]:
    out = StringIO()
    call_command("bench", *args, stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_wizard_figures_as_json_lines_and_nothing_left_behind():
    factories.scheme_version("ip-enterprise")
    before = (User.objects.count(), Enterprise.objects.count(), Assessment.objects.count())
    rows = run("--only", "wizard", "--quick")
    names = {r["name"] for r in rows}
    assert {
        "web.wizard_step_get.median",
        "web.wizard_step_post.queries",
        "web.results_page.median",
    } <= names
    for row in rows:
        assert set(row) == {"name", "value", "unit", "budget"}
        assert row["value"] <= row["budget"]
    # The bench enterprise, its owner, draft and submission were rolled back.
    assert (User.objects.count(), Enterprise.objects.count(), Assessment.objects.count()) == before
    assert not Submission.objects.exists()


def test_a_missed_budget_fails_the_command(monkeypatch):
    factories.scheme_version("ip-enterprise")
    monkeypatch.setitem(benchmarks.QUERY_BUDGETS, "wizard_step_get", 1)
    with pytest.raises(CommandError, match=r"over budget: web\.wizard_step_get\.queries"):
        run("--only", "wizard", "--quick")


def test_without_demo_content_the_command_says_so():
    with pytest.raises(CommandError, match="load_demo"):
        run("--only", "cms", "--quick")


def test_policy_and_search_figures_with_cms_content(cms_site):
    cms_site.add_policy("知识产权强市建设实施方案")
    rows = run("--only", "cms", "--quick")
    by_name = {r["name"]: r for r in rows}
    assert (
        by_name["web.policy_page.queries"]["value"] <= by_name["web.policy_page.queries"]["budget"]
    )
    assert "web.search.median" in by_name
