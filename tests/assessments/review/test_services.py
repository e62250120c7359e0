"""Applying (eligibility explained), item reviews with re-scoring, and partial reopening."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from assessments import engine
from assessments.models import Evidence, Submission
from assessments.review import eligibility, services
from assessments.review.errors import PermissionRefused, TransitionError
from assessments.review.models import Application, ItemReview, Programme, State
from assessments.review.services import ItemInput
from tests import factories

from .conftest import advance, assigned, make_programme


def reasons_for(enterprise, programme):
    (status,) = eligibility.for_enterprise(enterprise, programmes=[programme])
    return status


def test_eligible_enterprise(enterprise, owner, programme, submission):
    status = reasons_for(enterprise, programme)
    assert status.eligible
    assert status.eligible_submissions == [submission]


def test_ineligible_cases_are_explained(enterprise, owner, programme, submission):
    programme.closes_at = timezone.now() - dt.timedelta(hours=1)
    programme.save()
    status = reasons_for(enterprise, programme)
    assert not status.eligible
    assert any("closed" in r for r in status.reasons)

    future = make_programme("future", opens_at=timezone.now() + dt.timedelta(days=3))
    assert any("open on" in r for r in reasons_for(enterprise, future).reasons)

    guangdong = make_programme("gd", regions=("440000",))
    reasons = reasons_for(enterprise, guangdong).reasons
    assert any("Guangdong" in r and "Xiaogan" in r for r in reasons)

    draft = make_programme("draft", status=Programme.Status.DRAFT)
    assert any("not open" in r for r in reasons_for(enterprise, draft).reasons)


def test_city_programme_and_province_programme_scope(enterprise, owner, submission):
    assert reasons_for(enterprise, make_programme("city", regions=("420900",))).eligible
    assert not reasons_for(enterprise, make_programme("wuhan", regions=("420100",))).eligible


def test_vetoed_and_unmet_prerequisite_and_level(enterprise, owner, programme):
    vetoed = factories.make_submission(
        enterprise, answers={**factories.IP_ENTERPRISE_ANSWERS, "V2": True}, user=owner
    )
    young = factories.make_submission(
        enterprise,
        answers={
            **factories.IP_ENTERPRISE_ANSWERS,
            "founded_on": str(dt.date.today().year - 1) + "-01-01",
        },
        user=owner,
    )
    weak = factories.make_submission(
        enterprise,
        answers={
            **factories.IP_ENTERPRISE_ANSWERS,
            "M1": "none",
            "patent_product_revenue_3y": 0,
            "C1": "none",
            "M4": "none",
        },
        user=owner,
    )
    assert weak.level == "below"
    programme.min_level = "advantage"
    programme.save()
    status = reasons_for(enterprise, programme)
    assert not status.eligible
    by_submission = {c.submission.pk: " ".join(c.reasons) for c in status.submissions}
    veto = next(v for v in vetoed.scheme_version.engine_scheme.vetoes if v.code == "V2")
    assert veto.label.en in by_submission[vetoed.pk]  # the veto's words, not its code
    assert "Prerequisite" in by_submission[young.pk]
    assert "below the required" in by_submission[weak.pk]
    with pytest.raises(TransitionError):
        services.apply(owner, programme, weak)


def test_other_scheme_submissions_are_not_offered(enterprise, owner, programme):
    factories.make_submission(enterprise, code="gbt29490-2023", user=owner)
    status = reasons_for(enterprise, programme)
    assert status.submissions == []
    assert any("no submitted self-assessment" in r for r in status.reasons)


def test_one_live_application_per_programme(application, owner, programme, submission):
    with pytest.raises(TransitionError, match="already has an application"):
        services.apply(owner, programme, submission)
    application.refresh_from_db()
    services.withdraw(application, owner)
    again = services.apply(owner, programme, submission)
    assert again.state == State.SUBMITTED
    assert Application.objects.filter(enterprise=application.enterprise).count() == 2


def test_cannot_apply_with_another_enterprises_submission(owner, programme):
    foreign = factories.make_submission()
    with pytest.raises(TransitionError, match="another enterprise"):
        services.apply(owner, programme, foreign)


def test_non_member_cannot_apply(programme, submission, db):
    stranger = factories.UserFactory(username="stranger")
    with pytest.raises(PermissionRefused):
        services.apply(stranger, programme, submission)


def test_item_review_recomputes_total_and_level(application, reviewer, lead):
    assigned(application, reviewer)
    advance(application, reviewer, "start_formal_check")
    assert application.submission.level == "demonstration"  # 72 + bonus 2
    result = services.save_item_reviews(
        application,
        reviewer,
        {
            "M1": ItemInput(points=Decimal("0"), message="certificate expired in 2025"),
            "C1": ItemInput(message="fine"),
        },
        application.version,
    )
    application.refresh_from_db()
    assert result.total == Decimal("62.00")
    assert application.reviewed_total == Decimal("62.00")
    assert application.reviewed_level == "advantage"  # 62 + 2 >= 55
    assert application.level == "advantage"
    review = ItemReview.objects.get(application=application, item_code="M1")
    assert review.message == "certificate expired in 2025"
    event = application.events.get(action="items_reviewed")
    assert event.data["items"]["M1"]["points"] == "0"
    # Clearing the override restores the engine result.
    services.save_item_reviews(application, reviewer, {"M1": ItemInput()}, application.version)
    application.refresh_from_db()
    assert application.reviewed_total is None
    assert application.level == "demonstration"


def test_item_review_refuses_out_of_range_and_wrong_state(application, reviewer, lead):
    assigned(application, reviewer)
    with pytest.raises(TransitionError, match="formal check"):
        services.save_item_reviews(
            application, reviewer, {"C1": ItemInput(points=Decimal(1))}, application.version
        )
    advance(application, reviewer, "start_formal_check")
    with pytest.raises(TransitionError, match="C1"):
        services.save_item_reviews(
            application, reviewer, {"C1": ItemInput(points=Decimal(9))}, application.version
        )
    assert not ItemReview.objects.filter(application=application).exists()


def test_partial_reopening_and_resubmission(application, owner, reviewer, lead):
    assigned(application, reviewer)
    advance(application, reviewer, "start_formal_check")
    old = application.submission
    Evidence.objects.create(
        assessment=old.assessment,
        item_code="M1",
        file="private/evidence/x/cert.pdf",
        original_name="cert.pdf",
        content_type="application/pdf",
        size=10,
        sha256="0" * 64,
    )
    services.save_item_reviews(
        application,
        reviewer,
        {"U2": ItemInput(points=Decimal("1"), message="no contracts")},
        application.version,
    )
    application.refresh_from_db()
    services.request_changes(
        application,
        reviewer,
        ["C5", "M1"],
        {"C5": "invention counts do not match the patent list", "M1": ""},
        "Please correct C5 and M1.",
        application.version,
    )
    application.refresh_from_db()
    assert application.state == State.RETURNED
    assert services.reopened_codes(application) == ["C5", "M1"]
    assert services.reopened_keys(application) == ("invention_apps_3y", "patent_apps_3y", "M1")
    event = application.events.get(action="return")
    assert event.reason == "Please correct C5 and M1."
    assert event.data["items"] == ["C5", "M1"]

    # Answers that were not reopened cannot be changed.
    with pytest.raises(PermissionRefused, match="C1"):
        services.resubmit(application, owner, {"C1": "systematic"}, application.version)
    # Invalid amended answers are refused by the engine.
    with pytest.raises(engine.InvalidAnswers):
        services.resubmit(application, owner, {"M1": "platinum"}, application.version)
    application.refresh_from_db()
    assert application.state == State.RETURNED

    services.resubmit(
        application,
        owner,
        {"invention_apps_3y": 20, "M1": "cert_2013"},
        application.version,
        "fixed",
    )
    application.refresh_from_db()
    new = application.submission
    assert application.state == State.RESUBMITTED
    assert new.pk != old.pk
    assert application.original_submission == old
    # The original submission is untouched; the new one differs only in the reopened answers.
    old.refresh_from_db()
    assert old.answers["M1"] == "cert_2023"
    changed = {k for k in new.answers if new.answers[k] != old.answers.get(k)}
    assert changed == {"invention_apps_3y", "M1"}
    assert new.total != old.total
    assert new.assessment.carried_from == old
    assert new.assessment.evidence.get().original_name == "cert.pdf"
    # Reopened flags are cleared; the adjusted U2 still applies to the new answers.
    assert services.reopened_codes(application) == []
    assert application.reviewed_total == services.adjusted_result(application).total
    assert services.overrides_for(application) == {"U2": Decimal("1.00")}
    resubmit = application.events.get(action="resubmit")
    assert resubmit.data["changes"]["M1"] == {"old": "cert_2023", "new": "cert_2013"}
    assert resubmit.data["previous_submission"] == old.pk
    assert Submission.objects.filter(enterprise=application.enterprise).count() == 2


def test_request_changes_needs_items_and_reason(application, reviewer):
    assigned(application, reviewer)
    advance(application, reviewer, "start_formal_check")
    with pytest.raises(TransitionError, match="at least one item"):
        services.request_changes(application, reviewer, [], {}, "x", application.version)
    with pytest.raises(TransitionError, match="Unknown items"):
        services.request_changes(application, reviewer, ["ZZ"], {}, "x", application.version)
    with pytest.raises(TransitionError, match="reason"):
        services.request_changes(application, reviewer, ["C1"], {}, "", application.version)
    application.refresh_from_db()
    assert application.state == State.FORMAL_CHECK
    assert not ItemReview.objects.filter(application=application, reopened=True).exists()


def test_other_enterprise_cannot_resubmit(application, reviewer, other_enterprise_owner):
    assigned(application, reviewer)
    advance(application, reviewer, "start_formal_check")
    services.request_changes(application, reviewer, ["C1"], {}, "fix", application.version)
    application.refresh_from_db()
    with pytest.raises(PermissionRefused):
        services.resubmit(application, other_enterprise_owner, {}, application.version)
