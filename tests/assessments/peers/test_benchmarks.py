"""Peer benchmarks: cohorts of at least ten firms, widened or hidden, in one query."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Submission
from assessments.peers import selectors
from assessments.peers.models import TOTAL, SectionScore
from assessments.results_extras import peer_view
from portal.accounts.choices import EnterpriseSize, Industry
from portal.accounts.models import Region
from tests import factories

pytestmark = pytest.mark.django_db


def firm(region="420900", industry=Industry.C, size=EnterpriseSize.SMALL, total=None, **kw):
    """A firm with one submission; ``total`` overrides the stored total percentage."""
    enterprise = factories.EnterpriseFactory(
        region=Region.objects.get(code=region), industry=industry, size=size
    )
    submission = factories.make_submission(enterprise, **kw)
    if total is not None:
        SectionScore.objects.filter(submission=submission, section=TOTAL).update(
            percent=Decimal(total)
        )
    return submission


@pytest.fixture
def own():
    return firm(total="50")


def peers(n, **kw):
    return [firm(**kw) for _ in range(n)]


def test_scores_are_recorded_with_the_submission(own):
    rows = dict(SectionScore.objects.filter(submission=own).values_list("section", "percent"))
    sections = [s["code"] for s in own.result["sections"]]
    assert set(rows) == {TOTAL, *sections}
    first = own.result["sections"][0]
    assert rows[first["code"]] == Decimal(str(first["percent"]))


def test_a_cohort_of_nine_is_not_shown(own):
    peers(8)  # nine firms with the same industry, size and city, none anywhere else
    found = selectors.benchmark(own)
    assert not found.shown and found.step is None
    assert found.firms == 9
    view = peer_view(own, "zh")
    assert not view.shown and view.hidden and not view.sections


def test_a_cohort_of_ten_is_shown(own):
    for total in ("10", "20", "30", "40", "60", "70", "80", "90", "50"):
        firm(total=total)
    found = selectors.benchmark(own)
    assert found.shown and found.step is selectors.LADDER[0] and not found.widened
    assert found.firms == 10
    # four below, two level (the firm and one peer): 100 × (4 + 1) / 10
    assert (found.total.below, found.total.level, found.total.value) == (4, 2, 50)
    # every peer answered the same as the firm, so each section is level for all ten
    assert found.sections and all(p.value == 50 and p.firms == 10 for p in found.sections.values())
    view = peer_view(own, "zh")
    assert view.shown and view.total.percentile == "50" and not view.widened


def test_nine_in_the_city_widens_to_the_province(own):
    peers(8)
    firm(region="420100")  # 武汉市, the same province
    found = selectors.benchmark(own)
    assert found.step.code == "province" and found.firms == 10
    view = peer_view(own, "zh")
    assert "湖北省" in view.cohort and view.widened


def test_widening_to_the_country_and_to_every_industry(own):
    peers(8)
    firm(region="440300")  # 深圳市, another province
    assert selectors.benchmark(own).step.code == "country"
    SectionScore.objects.all().delete()
    Submission.objects.exclude(pk=own.pk).delete()
    from assessments.peers.services import record_scores

    record_scores(own)
    peers(8)
    firm(industry=Industry.I)
    found = selectors.benchmark(own)
    assert found.step.code == "all-industries"
    assert "所有行业" in peer_view(own, "zh").cohort


def test_each_firm_counts_once_with_its_latest_submission(own):
    peers(7)
    repeat = firm(total="10")
    again = factories.make_submission(repeat.enterprise)
    Submission.objects.filter(pk=repeat.pk).update(
        submitted_at=timezone.now() - dt.timedelta(days=30)
    )
    SectionScore.objects.filter(submission=again, section=TOTAL).update(percent=Decimal("90"))
    found = selectors.benchmark(own)
    assert found.firms == 9 and not found.shown  # two submissions of one firm count once
    firm(total="20")
    found = selectors.benchmark(own)
    assert found.firms == 10
    # below the firm's 50: the new 20 only (the repeat firm counts with its latest, 90)
    assert found.total.below == 1


def test_a_section_with_too_few_firms_is_left_out(own):
    peers(9)
    section = own.result["sections"][0]["code"]
    other = SectionScore.objects.filter(section=section).exclude(submission=own)
    other.filter(pk=other.first().pk).update(percent=None)  # one peer: not applicable
    found = selectors.benchmark(own)
    assert found.total.firms == 10
    assert section not in found.sections and section in found.left_out


def test_one_query_whatever_the_cohort(own, django_assert_num_queries):
    peers(12)
    with django_assert_num_queries(1):
        found = selectors.benchmark(own)
    assert found.firms == 13


def test_percentile_rank():
    assert selectors.percentile_rank(0, 1, 10) == 5
    assert selectors.percentile_rank(9, 1, 10) == 95
    assert selectors.percentile_rank(0, 10, 10) == 50
    with pytest.raises(ValueError):
        selectors.percentile_rank(0, 0, 0)


def test_results_page_shows_the_benchmark(client, own):
    user = factories.company_user(own.enterprise)
    client.force_login(user)
    html = client.get(reverse("wizard:results", args=[own.pk])).content.decode()
    assert 'id="peer-hidden"' in html and 'id="peer-percentiles"' not in html
    peers(9)
    html = client.get(reverse("wizard:results", args=[own.pk])).content.decode()
    assert 'id="peer-percentiles"' in html
