"""Decision safeguards: each shows the refusal and, where the rules allow it, the override."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assessments.review import panel, services
from assessments.review.errors import PermissionRefused, SafeguardRefused, TransitionError
from assessments.review.models import ProgrammeQuota, ReviewEvent, State
from assessments.review.services import ItemInput
from assessments.review.transitions import perform
from portal.accounts.choices import Roles
from tests import factories

from .conftest import advance, assigned, make_programme


def _expert_review(application, reviewer):
    assigned(application, reviewer)
    return advance(application, reviewer, "start_formal_check", "pass_formal_check")


def _expert(username: str, regions=("420000",)):
    user = factories.reviewer(list(regions), username=username)
    user.groups.add(*factories.Group.objects.filter(name=Roles.EXPERT))
    return user


def test_decisions_need_a_reason(application, reviewer):
    _expert_review(application, reviewer)
    for action in ("recommend", "reject"):
        with pytest.raises(TransitionError, match="reason"):
            perform(application, action, reviewer, reason="  ")
    application.refresh_from_db()
    assert application.state == State.EXPERT_REVIEW


def test_below_minimum_is_refused_and_a_lead_overrides_with_a_reason(
    owner, submission, reviewer, lead
):
    programme = make_programme(code="min-demo", min_level="demonstration")
    application = services.apply(owner, programme, submission)
    _expert_review(application, reviewer)
    # The reviewer strikes M1's points: 62 + 2 is 优势 (advantage), below the minimum 示范.
    services.save_item_reviews(
        application, reviewer, {"M1": ItemInput(points=Decimal(0))}, application.version
    )
    application.refresh_from_db()
    assert application.level == "advantage"
    with pytest.raises(SafeguardRefused, match="below the programme's minimum") as refused:
        perform(application, "recommend", reviewer, reason="good")
    assert [s.code for s in refused.value.safeguards] == ["below_minimum"]
    # A plain reviewer cannot override, even with a reason.
    with pytest.raises(PermissionRefused, match="Only a lead reviewer"):
        perform(application, "recommend", reviewer, reason="good", override_reason="trust me")
    application.refresh_from_db()
    assert application.state == State.EXPERT_REVIEW
    # A lead reviewer overrides with a written reason: audit trail and application.
    event = perform(
        application,
        "recommend",
        lead,
        reason="good",
        override_reason="Provincial policy counts the 2025 award.",
    )
    application.refresh_from_db()
    assert application.state == State.RECOMMENDED
    assert event.data["override"]["reason"] == "Provincial policy counts the 2025 award."
    assert event.data["override"]["safeguards"][0]["code"] == "below_minimum"
    assert "Provincial policy counts the 2025 award." in application.override_reason


def test_share_quota_per_level_is_refused_then_overridden(enterprise, owner, reviewer, lead):
    programme = make_programme(code="share", quota=10)
    ProgrammeQuota.objects.create(programme=programme, level="demonstration", max_share=Decimal(10))
    first = services.apply(owner, programme, factories.make_submission(enterprise, user=owner))
    _expert_review(first, reviewer)
    perform(first, "recommend", reviewer, reason="good")  # 1 of 10 % of 10
    other = factories.EnterpriseFactory()
    other_owner = factories.company_user(other)
    second = services.apply(
        other_owner, programme, factories.make_submission(other, user=other_owner)
    )
    _expert_review(second, reviewer)
    with pytest.raises(SafeguardRefused, match="At most 10 %") as refused:
        perform(second, "recommend", reviewer, reason="also good")
    assert [s.code for s in refused.value.safeguards] == ["region_level_share"]
    perform(
        second, "recommend", lead, reason="also good", override_reason="Quota raised by letter."
    )
    second.refresh_from_db()
    assert second.state == State.RECOMMENDED
    assert (
        ReviewEvent.objects.filter(application=second, action="recommend")
        .get()
        .data["override"]["reason"]
        == "Quota raised by letter."
    )


def test_expert_with_a_conflict_of_interest_is_refused(application, reviewer, lead):
    _expert_review(application, reviewer)
    first, second = _expert("expert-a"), _expert("expert-b")
    services.declare_conflict(application, second, "I advised the firm last year.")
    application.refresh_from_db()
    assert second not in panel.experts_for(application)
    with pytest.raises(PermissionRefused, match="conflict of interest"):
        panel.assign_experts(application, lead, [first, second], application.version)
    assert not application.experts.exists()


def test_experts_score_independently(application, reviewer, lead):
    _expert_review(application, reviewer)
    first, second = _expert("expert-a"), _expert("expert-b")
    panel.assign_experts(application, lead, [first, second], application.version)
    application.refresh_from_db()
    points = panel.engine_points(application)
    panel.submit_score(application, first, points, "", True)
    # The second expert does not see the first's score before submitting.
    assert not panel.panel(application, second).visible
    assert panel.panel(application, first).visible
    with pytest.raises(TransitionError, match="can no longer be changed"):
        panel.submit_score(application, first, points, "", True)


def test_only_a_lead_of_the_region_changes_a_certificate_with_a_reason(
    client, application, reviewer, lead
):
    certificate = _recognised_certificate(application, reviewer, lead)
    guangdong_lead = factories.reviewer(["440000"], lead=True, username="lead-gd")
    url = f"/en/review/certificates/{certificate.pk}/status/"
    for user in (reviewer, guangdong_lead):
        client.force_login(user)
        response = client.post(url, {"action": "suspend", "reason": "surveillance"})
        assert response.status_code in (302, 404)
        certificate.refresh_from_db()
        assert certificate.current_status() == "valid"
    client.force_login(reviewer)
    assert (
        "Change the certificate status"
        not in client.get(f"/en/review/{application.pk}/").content.decode()
    )
    client.force_login(lead)
    client.post(url, {"action": "suspend", "reason": ""})
    certificate.refresh_from_db()
    assert certificate.current_status() == "valid"
    client.post(url, {"action": "suspend", "reason": "surveillance"})
    certificate.refresh_from_db()
    assert certificate.current_status() == "suspended"
    assert application.events.filter(action="certificate_suspend", actor=lead).exists()


def _recognised_certificate(application, reviewer, lead):
    import datetime as dt

    from django.utils import timezone

    _expert_review(application, reviewer)
    advance(application, reviewer, "recommend")
    advance(application, lead, "start_public_notice")
    application.notice_ends_on = timezone.localdate() - dt.timedelta(days=1)
    application.save(update_fields=["notice_ends_on"])
    advance(application, lead, "recognise")
    return application.certificate
