"""``manage.py bench``: JSON lines, budgets enforced, a clear message without the demo content.

No test here compares a measured time with a budget: the clock is replaced where the budget
logic is under test, and the real figures are checked for their shape and their query counts
(which do not depend on how busy the machine is).
"""

from __future__ import annotations

import itertools
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from wagtail import hooks

from assessments.models import Assessment, Submission
from assessments.wizard import benchmark as wizard_benchmark
from portal.accounts.models import Enterprise, User
from portal.core import benchmarks
from portal.core import hooks as portal_hooks
from tests import factories
from tests.cms.conftest import cms_site as cms_site  # the fixture

pytestmark = pytest.mark.django_db


def run(*args: str) -> list[dict]:
    out = StringIO()
    call_command("bench", *args, stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def _fixed_clock(monkeypatch, seconds: float) -> None:
    ticks = itertools.count()
    monkeypatch.setattr(benchmarks, "clock", lambda: next(ticks) * seconds)


@pytest.fixture
def clock(monkeypatch):
    """The measurements' clock: every request takes exactly 100 ms."""
    _fixed_clock(monkeypatch, 0.1)


@pytest.fixture(autouse=True)
def fast_clock(monkeypatch):
    """Unless a test says otherwise, every request takes exactly 1 ms: a busy machine cannot
    push a page over its time budget here."""
    _fixed_clock(monkeypatch, 0.001)


def test_every_benchmark_is_registered_once_in_order():
    assert list(benchmarks.registered()) == ["report", "cms", "wizard", "scoring", "transfer"]


def test_wizard_figures_as_json_lines_and_nothing_left_behind():
    factories.scheme_version("ip-enterprise")
    before = (User.objects.count(), Enterprise.objects.count(), Assessment.objects.count())
    rows = run("--only", "wizard", "--quick")
    by_name = {r["name"]: r for r in rows}
    pages = ("wizard_step_get", "wizard_step_post", "results_page")
    assert set(by_name) == {f"web.{p}.{k}" for p in pages for k in ("median", "queries")}
    for page in pages:
        budget_ms, budget_queries = wizard_benchmark.BUDGETS[page]
        median, queries = by_name[f"web.{page}.median"], by_name[f"web.{page}.queries"]
        assert (median["unit"], median["budget"]) == ("ms", budget_ms)
        assert median["value"] == 1.0  # the fixed clock's
        assert (queries["unit"], queries["budget"]) == ("queries", budget_queries)
        assert 0 < queries["value"] <= budget_queries, page  # an N+1 query would fail here
    for row in rows:
        assert set(row) == {"name", "value", "unit", "budget"}
    # The bench enterprise, its owner, draft and submission were rolled back.
    assert (User.objects.count(), Enterprise.objects.count(), Assessment.objects.count()) == before
    assert not Submission.objects.exists()


def test_a_slow_page_fails_the_command(fast_clock, clock):
    """With every request taking 100 ms, only the step GET (budget 80 ms) misses its budget."""
    factories.scheme_version("ip-enterprise")
    with pytest.raises(CommandError) as failure:
        run("--only", "wizard", "--quick")
    assert str(failure.value) == "over budget: web.wizard_step_get.median (100.0 > 80 ms)"


def test_figures_at_their_budget_pass(fast_clock, clock, monkeypatch):
    factories.scheme_version("ip-enterprise")
    monkeypatch.setitem(wizard_benchmark.BUDGETS, "wizard_step_get", (100, 15))
    rows = run("--only", "wizard", "--quick")
    assert {r["value"] for r in rows if r["unit"] == "ms"} == {100.0}


def test_a_missed_query_budget_fails_the_command(monkeypatch):
    factories.scheme_version("ip-enterprise")
    monkeypatch.setitem(wizard_benchmark.BUDGETS, "wizard_step_get", (10_000, 1))
    with pytest.raises(CommandError, match=r"over budget: web\.wizard_step_get\.queries \(\d+ > 1"):
        run("--only", "wizard", "--quick")


def test_budgets_of_any_registered_benchmark_are_enforced():
    figures = [
        {"name": "fake.within", "value": 5, "unit": "ms", "budget": 5},
        {"name": "fake.info", "value": 10**6, "unit": "ms", "budget": None},
        {"name": "fake.over", "value": 7, "unit": "MB", "budget": 6},
    ]
    fake = benchmarks.Benchmark("fake", lambda quick: figures)
    with hooks.register_temporarily(portal_hooks.BENCHMARKS, fake):
        out = StringIO()
        with pytest.raises(CommandError) as failure:
            call_command("bench", "--only", "fake", stdout=out)
    assert [json.loads(line) for line in out.getvalue().splitlines()] == figures
    assert str(failure.value) == "over budget: fake.over (7 > 6 MB)"


def test_without_demo_content_the_command_says_so():
    with pytest.raises(CommandError, match="load_demo"):
        run("--only", "cms", "--quick")


def test_policy_and_search_figures_with_cms_content(cms_site):
    cms_site.add_policy("知识产权强市建设实施方案")
    rows = run("--only", "cms", "--quick")
    by_name = {r["name"]: r for r in rows}
    pages = [
        f"{page}{variant}"
        for page in ("policy_index", "policy_page", "search")
        for variant in ("", "_uncached")
    ]
    assert set(by_name) == {
        f"web.{page}.{kind}" for page in pages for kind in ("median", "queries")
    }
    for page in pages:
        queries = by_name[f"web.{page}.queries"]
        assert 0 < queries["value"] <= queries["budget"], page
    # From the cache a page reads only the content version; rendered afresh it reads more.
    for page in ("policy_index", "policy_page"):
        cached = by_name[f"web.{page}.queries"]["value"]
        assert cached < by_name[f"web.{page}_uncached.queries"]["value"], page
