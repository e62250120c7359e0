"""A policy's 效力 follows its dates unless an editor chose otherwise."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cms.choices import Validity
from cms.models import NOT_YET_IN_FORCE, PolicyPage

ON = dt.date(2026, 6, 1)


@pytest.mark.parametrize(
    ("stored", "effective", "expiry", "expected"),
    [
        (Validity.VALID, None, None, Validity.VALID),
        (Validity.VALID, dt.date(2026, 6, 1), dt.date(2026, 6, 1), Validity.VALID),
        (Validity.VALID, dt.date(2026, 6, 2), None, NOT_YET_IN_FORCE),
        (Validity.VALID, None, dt.date(2026, 5, 31), Validity.EXPIRED),
        # An editor's explicit choice stands, whatever the dates.
        (Validity.EXPIRED, None, dt.date(2030, 1, 1), Validity.EXPIRED),
        (Validity.REPEALED, None, None, Validity.REPEALED),
        (Validity.DRAFT, dt.date(2020, 1, 1), None, Validity.DRAFT),
    ],
)
def test_validity_follows_the_dates(stored, effective, expiry, expected):
    page = PolicyPage(validity=stored, effective_date=effective, expiry_date=expiry)
    assert page.validity_on(ON) == expected


def test_in_force_in_sql_agrees_with_the_property(cms_site):
    today = timezone.localdate()
    pages = [
        cms_site.add_policy("现行", issue_date=dt.date(2020, 1, 1)),
        cms_site.add_policy("已到期", expiry_date=today - dt.timedelta(days=1)),
        cms_site.add_policy("未生效", effective_date=today + dt.timedelta(days=1)),
        cms_site.add_policy("征求意见", validity=Validity.DRAFT),
    ]
    in_force = set(PolicyPage.objects.in_force().values_list("pk", flat=True))
    assert in_force == {p.pk for p in pages if p.validity_on() == Validity.VALID}
    assert in_force == {pages[0].pk}


def test_latest_policies_prefer_documents_in_force_and_label_the_others(client, cms_site):
    today = timezone.localdate()
    old = cms_site.add_policy("较早的现行政策", issue_date=dt.date(2020, 1, 1))
    cms_site.add_policy("最新但已到期", issue_date=today, expiry_date=today - dt.timedelta(days=1))
    latest = list(PolicyPage.objects.latest_in(cms_site.zh.pk))
    assert latest[0] == old
    html = client.get("/").content.decode()
    assert html.index("较早的现行政策") < html.index("最新但已到期")
    assert '<span class="tag validity-expired">失效</span>' in html
    assert '<span class="tag validity-valid">有效</span>' in html


def test_the_validity_filter_and_search_results_follow_the_dates(client, cms_site):
    from cms.choices import NOT_YET_IN_FORCE as PENDING
    from cms.models import validity_q

    today = timezone.localdate()
    current = cms_site.add_policy("专利现行政策", issue_date=dt.date(2020, 1, 1))
    lapsed = cms_site.add_policy("专利到期政策", expiry_date=today - dt.timedelta(days=1))
    pending = cms_site.add_policy("专利未来政策", effective_date=today + dt.timedelta(days=1))
    marked = cms_site.add_policy("专利失效政策", validity=Validity.EXPIRED)
    for code in (Validity.VALID, Validity.EXPIRED, PENDING, Validity.DRAFT):
        in_sql = set(
            PolicyPage.objects.filter(validity_q(code, today)).values_list("pk", flat=True)
        )
        by_property = {
            p.pk for p in (current, lapsed, pending, marked) if p.validity_on(today) == code
        }
        assert in_sql == by_property, code

    listed = client.get("/policies/", {"validity": "expired"}).content.decode()
    assert "专利到期政策" in listed and "专利失效政策" in listed
    assert "专利现行政策" not in listed and "专利未来政策" not in listed

    response = client.get("/search/", {"q": "专利", "validity": "valid"})
    assert [hit.page.pk for hit in response.context["hits"]] == [current.pk]
    response = client.get("/search/", {"q": "到期政策"})
    hit = next(h for h in response.context["hits"] if h.page.pk == lapsed.pk)
    assert hit.validity == Validity.EXPIRED  # the stored choice says in force; the date does not
