"""The bureau dashboard's figures: which certificates a policy target counts, which targets count
at all, quota use, time in each state (in SQL) and query counts that do not grow with the data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from assessments.review import dashboard, services
from assessments.review.models import Application, Certificate, Programme, ReviewEvent, State
from cms.choices import Validity
from portal.accounts.models import Region
from tests import factories
from tests.cms.conftest import cms_site  # noqa: F401 (the fixture)

from .conftest import advance, assigned, make_programme

TODAY = dt.date(2026, 6, 1)


@pytest.mark.parametrize(
    ("indicator", "unit", "levels"),
    [
        ("新培育国家知识产权优势企业", "家", {"advantage"}),
        ("国家知识产权示范企业", "家", {"demonstration"}),
        ("培育国家、省、市知识产权示范或优势企业", "家", {"advantage", "demonstration"}),
        ("Provincial IP advantage enterprises", "enterprises", {"advantage"}),
        ("National IP demonstration enterprises", "", {"demonstration"}),
        ("每万人口高价值发明专利拥有量", "件", set()),
        ("争创知识产权示范市", "个", set()),  # a city, not an enterprise
    ],
)
def test_a_target_names_the_levels_it_counts(indicator, unit, levels):
    target = {"indicator": indicator, "unit": unit}
    assert dashboard.target_levels(target) == frozenset(levels)
    assert dashboard.is_enterprise_target(target) is bool(levels)


def _target(indicator: str, value: int, year: int | None = 2026) -> dict:
    return {
        "type": "target",
        "value": {
            "indicator": indicator,
            "target_value": str(value),
            "unit": "家",
            "target_year": year,
            "qualifier": "reach",
            "note": "",
        },
    }


def _certificate(programme, level: str, region: str = "420900", **fields) -> Certificate:
    if not programme.covers(Region.objects.get(code=region)):
        code = f"p-{region}"
        programme = Programme.objects.filter(code=code).first() or make_programme(
            code=code, regions=(region,)
        )
    enterprise = factories.EnterpriseFactory(region=Region.objects.get(code=region))
    user = factories.company_user(enterprise)
    application = services.apply(user, programme, factories.make_submission(enterprise, user=user))
    defaults = {
        "status": Certificate.Status.VALID,
        "valid_from": dt.date(2025, 3, 1),
        "valid_until": dt.date(2028, 2, 28),
    }
    defaults.update(fields)
    certificate = Certificate(
        application=application,
        enterprise=enterprise,
        programme=programme,
        level=level,
        level_label_zh=level,
        level_label_en=level,
        **defaults,
    )
    certificate.number = f"T-{certificate.verify_code}"
    certificate.save()
    return certificate


@pytest.fixture
def targets_site(cms_site, programme):  # noqa: F811 (the imported fixture)
    """Hubei policies with targets, and certificates: 2 demonstration (one of them revoked in
    2026), 1 advantage, 1 advantage in 广东 (outside every policy's region)."""
    hubei = "420000"
    add = cms_site.add_policy
    add("优势", region_id=hubei, body=[_target("知识产权优势企业", 10)])
    add("示范", region_id=hubei, body=[_target("知识产权示范企业", 4)])
    add("示范或优势", region_id=hubei, body=[_target("知识产权示范或优势企业", 5)])
    add("征求意见稿", region_id=hubei, validity=Validity.DRAFT, body=[_target("示范企业", 9)])
    add("已废止", region_id=hubei, validity=Validity.REPEALED, body=[_target("示范企业", 9)])
    add(
        "已过期",
        region_id=hubei,
        expiry_date=dt.date(2026, 1, 31),
        body=[_target("知识产权示范企业", 9)],
    )
    add(
        "尚未生效",
        region_id=hubei,
        effective_date=dt.date(2027, 1, 1),
        body=[_target("知识产权示范企业", 9, year=2030)],
    )
    add("到期", region_id=hubei, body=[_target("知识产权示范企业", 3, year=2025)])
    _certificate(programme, "demonstration")
    _certificate(
        programme,
        "demonstration",
        status=Certificate.Status.REVOKED,
        status_changed_at=timezone.make_aware(dt.datetime(2026, 2, 1, 10)),
    )
    _certificate(programme, "advantage")
    _certificate(programme, "advantage", region="440100")
    return cms_site


# policy: (shown, actual, past)
COUNTING_RULES = {
    # A 示范 certificate counts toward the 示范 target, never toward the 优势 one.
    "优势": (True, 1, False),
    "示范": (True, 1, False),
    # Both levels named: each enterprise once (the revoked certificate no longer counts).
    "示范或优势": (True, 2, False),
    "征求意见稿": (False, None, None),
    "已废止": (False, None, None),
    "已过期": (False, None, None),  # in force no longer: its expiry date has passed
    "尚未生效": (False, None, None),
    # Its year has passed: what was reached on 31 December 2025 (the revocation came later).
    "到期": (True, 2, True),
}


def test_target_counting_rules(targets_site, lead):
    with translation.override("zh-hans"):  # the policies are Chinese pages
        rows = {row["policy"]: row for row in dashboard.policy_targets(lead, today=TODAY)}
    for policy, (shown, actual, past) in COUNTING_RULES.items():
        assert (policy in rows) is shown, policy
        if shown:
            assert (rows[policy]["actual"], rows[policy]["past"]) == (actual, past), policy


def test_past_targets_read_ended_and_come_last(client, targets_site, lead, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)
    client.force_login(lead)
    response = client.get("/review/dashboard/")
    rows = response.context["targets"]
    assert [row["past"] for row in rows] == sorted(row["past"] for row in rows)
    assert "到期：达成 2 / 3" in response.content.decode()


def test_quota_use_per_programme_region_and_level(programme, lead):
    programme.quota = 5
    programme.save()
    apps = []
    for region in ("420900", "420900", "420100"):
        enterprise = factories.EnterpriseFactory(region=Region.objects.get(code=region))
        user = factories.company_user(enterprise)
        apps.append(
            services.apply(user, programme, factories.make_submission(enterprise, user=user))
        )
    for application in apps[:2] + apps[2:]:
        assigned(application, lead)
        advance(application, lead, "start_formal_check", "pass_formal_check")
    advance(apps[0], lead, "recommend")
    advance(apps[2], lead, "recommend")
    with translation.override("zh-hans"):
        (use,) = dashboard.quota_use(Application.objects.all())
    assert use["quota"] == 5
    assert use["used"] == 2
    assert sorted((r["region"], r["level"], r["n"]) for r in use["rows"]) == [
        ("孝感市", "demonstration", 1),
        ("武汉市", "demonstration", 1),
    ]


def test_time_in_state_is_computed_in_one_query(
    programme, enterprise, owner, submission, django_assert_num_queries
):
    application = services.apply(owner, programme, submission)
    start = timezone.make_aware(dt.datetime(2026, 3, 1, 9))
    ReviewEvent.objects.filter(application=application).update(created_at=start)
    for days, (from_state, to_state) in [
        (2, (State.SUBMITTED, State.FORMAL_CHECK)),
        (5, (State.FORMAL_CHECK, State.EXPERT_REVIEW)),
    ]:
        ReviewEvent.objects.create(
            application=application,
            action="test",
            from_state=from_state,
            to_state=to_state,
            created_at=start + dt.timedelta(days=days),
        )
    # Not a change of state: ignored.
    ReviewEvent.objects.create(application=application, action="assign", created_at=start)
    now = start + dt.timedelta(days=6, hours=12)
    with django_assert_num_queries(1):
        rows = {r["state"]: r for r in dashboard.time_in_states([application.pk], now=now)}
    assert rows["submitted"]["mean"] == Decimal("2.0")
    assert rows["formal_check"]["mean"] == Decimal("3.0")
    assert rows["expert_review"]["mean"] == Decimal("1.5")  # open: up to now
    assert rows["expert_review"]["n"] == 1


def _dashboard_queries(client, lead, django_assert_num_queries, expected):
    client.force_login(lead)
    with django_assert_num_queries(expected):
        response = client.get("/review/dashboard/")
    assert response.status_code == 200
    return response


def test_query_count_does_not_grow_with_applications_or_policies(
    client,
    cms_site,  # noqa: F811 (the imported fixture)
    programme,
    lead,
    django_assert_max_num_queries,
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add_data(n: int) -> None:
        for i in range(n):
            cms_site.add_policy(
                f"政策{i}{Application.objects.count()}",
                region_id="420000",
                body=[_target("知识产权示范企业", 4), _target("知识产权优势企业", 4)],
            )
            _certificate(programme, "demonstration" if i % 2 else "advantage")

    client.force_login(lead)
    client.get("/review/dashboard/")  # the session's first page works out the header links
    # Each measure follows new data, which also clears the per-process caches (sites, pages).
    add_data(2)
    with CaptureQueriesContext(connection) as first:
        client.get("/review/dashboard/")
    add_data(4)
    with django_assert_max_num_queries(len(first)):
        response = client.get("/review/dashboard/")
    assert response.status_code == 200
    assert len(response.context["targets"]) == 12


def test_one_definition_of_recognised(programme):
    """The dashboard's SQL and a certificate's own status (the lists and the export show
    ``current_status()``) agree on which certificates are recognised today."""
    today = timezone.localdate()
    now = timezone.now()
    made = [
        _certificate(programme, "advantage"),
        _certificate(
            programme, "advantage", status=Certificate.Status.SUSPENDED, status_changed_at=now
        ),
        _certificate(
            programme, "advantage", status=Certificate.Status.REVOKED, status_changed_at=now
        ),
        _certificate(programme, "advantage", valid_until=today - dt.timedelta(days=1)),
        _certificate(
            programme,
            "advantage",
            status=Certificate.Status.EXPIRED,
            valid_until=today - dt.timedelta(days=1),
        ),
    ]
    recognised = set(Certificate.objects.recognised().values_list("pk", flat=True))
    assert recognised == {c.pk for c in made if c.current_status() == Certificate.Status.VALID}
    assert recognised == {made[0].pk}
