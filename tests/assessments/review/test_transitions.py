"""The state machine: every transition, who may make it, invalid transitions, concurrency,
conflicts of interest and region scoping."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone, translation

from assessments.review import services
from assessments.review.errors import (
    ConcurrentChange,
    PermissionRefused,
    SafeguardRefused,
    TransitionError,
    TransitionNotAllowed,
)
from assessments.review.models import Application, ReviewEvent, State
from assessments.review.transitions import TRANSITIONS, available, perform

from .conftest import advance, assigned


def _in_state(application, state, reviewer, lead):
    """Drive ``application`` to ``state`` along the main path."""
    assigned(application, reviewer)
    path = {
        State.SUBMITTED: [],
        State.FORMAL_CHECK: ["start_formal_check"],
        State.EXPERT_REVIEW: ["start_formal_check", "pass_formal_check"],
        State.RECOMMENDED: ["start_formal_check", "pass_formal_check", "recommend"],
    }
    if state == State.PUBLIC_NOTICE:
        advance(application, reviewer, *path[State.RECOMMENDED])
        return advance(application, lead, "start_public_notice")
    if state == State.RETURNED:
        advance(application, reviewer, "start_formal_check")
        services.request_changes(application, reviewer, ["C1"], {}, "fix C1", application.version)
        application.refresh_from_db()
        return application
    if state == State.RESUBMITTED:
        application = _in_state(application, State.RETURNED, reviewer, lead)
        services.resubmit(
            application, application.enterprise.memberships.get().user, {}, application.version
        )
        application.refresh_from_db()
        return application
    return advance(application, reviewer, *path[state])


def test_apply_records_the_first_event(application, owner):
    assert application.state == State.SUBMITTED
    assert application.version == 1
    event = application.events.get()
    assert (event.action, event.from_state, event.to_state, event.actor) == (
        "apply",
        "",
        State.SUBMITTED,
        owner,
    )


def test_main_path_to_recognition_records_who_when_why(application, reviewer, lead):
    assigned(application, reviewer)
    advance(application, reviewer, "start_formal_check", "pass_formal_check")
    perform(application, "recommend", reviewer, reason="strong IP use")
    perform(application, "start_public_notice", lead)
    application.refresh_from_db()
    assert application.state == State.PUBLIC_NOTICE
    assert application.notice_ends_on == timezone.localdate() + dt.timedelta(days=7)
    Application.objects.filter(pk=application.pk).update(
        notice_ends_on=timezone.localdate() - dt.timedelta(days=1)
    )
    application.refresh_from_db()
    perform(application, "recognise", lead, reason="no objections")
    application.refresh_from_db()
    assert application.state == State.RECOGNISED
    assert application.decision_reason == "no objections"
    transitions = [
        (e.action, e.from_state, e.to_state, e.actor.username)
        for e in application.events.exclude(from_state=models_f())
    ]
    assert transitions == [
        ("apply", "", "submitted", "owner-a"),
        ("start_formal_check", "submitted", "formal_check", "rev-hubei"),
        ("pass_formal_check", "formal_check", "expert_review", "rev-hubei"),
        ("recommend", "expert_review", "recommended", "rev-hubei"),
        ("start_public_notice", "recommended", "public_notice", "lead-hubei"),
        ("recognise", "public_notice", "recognised", "lead-hubei"),
    ]
    recommend = application.events.get(action="recommend")
    assert recommend.reason == "strong IP use"
    assert recommend.created_at is not None
    assert application.certificate.level == "demonstration"


def models_f():
    from django.db.models import F

    return F("to_state")


def test_recognition_waits_for_the_objection_period(application, reviewer, lead):
    _in_state(application, State.PUBLIC_NOTICE, reviewer, lead)
    with pytest.raises(PermissionRefused, match="objection period"):
        perform(application, "recognise", lead, reason="too early")


def test_objection_upheld_rejects(application, reviewer, lead):
    _in_state(application, State.PUBLIC_NOTICE, reviewer, lead)
    perform(application, "uphold_objection", lead, reason="infringement found")
    assert application.state == State.REJECTED


@pytest.mark.parametrize("source", [State.FORMAL_CHECK, State.EXPERT_REVIEW])
def test_reject_from_review_states(application, reviewer, lead, source):
    _in_state(application, source, reviewer, lead)
    perform(application, "reject", reviewer, reason="does not meet the bar")
    assert application.state == State.REJECTED
    assert application.decided_at is not None


def test_resubmitted_goes_back_to_formal_check(application, reviewer, lead):
    _in_state(application, State.RESUBMITTED, reviewer, lead)
    perform(application, "start_formal_check", reviewer)
    assert application.state == State.FORMAL_CHECK


@pytest.mark.parametrize(
    "state",
    [State.SUBMITTED, State.FORMAL_CHECK, State.RETURNED, State.RESUBMITTED, State.EXPERT_REVIEW],
)
def test_owner_withdraws_before_a_decision(application, owner, reviewer, lead, state):
    _in_state(application, state, reviewer, lead)
    application.refresh_from_db()
    perform(application, "withdraw", owner)
    assert application.state == State.WITHDRAWN


@pytest.mark.parametrize("state", [State.RECOMMENDED, State.PUBLIC_NOTICE])
def test_withdrawal_after_a_decision_is_refused(application, owner, reviewer, lead, state):
    _in_state(application, state, reviewer, lead)
    with pytest.raises(TransitionNotAllowed) as err:
        perform(application, "withdraw", owner)
    assert "not possible" in str(err.value)
    application.refresh_from_db()
    assert application.state == state


def test_member_may_not_withdraw_but_may_resubmit(application, member, reviewer, lead):
    with pytest.raises(PermissionRefused, match="owner"):
        perform(application, "withdraw", member)
    _in_state(application, State.RETURNED, reviewer, lead)
    services.resubmit(application, member, {}, application.version)
    application.refresh_from_db()
    assert application.state == State.RESUBMITTED


@pytest.mark.parametrize(
    "action",
    [
        "pass_formal_check",
        "recommend",
        "reject",
        "start_public_notice",
        "recognise",
        "uphold_objection",
        "resubmit",
    ],
)
def test_invalid_transitions_from_submitted_are_refused(application, lead, owner, action):
    actor = owner if action == "resubmit" else lead
    with pytest.raises(TransitionNotAllowed) as err:
        perform(application, action, actor, reason="x")
    assert "Submitted" in str(err.value)  # the state's label, in English (conftest)
    application.refresh_from_db()
    assert application.events.count() == 1


def test_unknown_action(application, lead):
    with pytest.raises(TransitionNotAllowed):
        perform(application, "approve_everything", lead)


def test_decisions_need_a_reason(application, reviewer, lead):
    _in_state(application, State.EXPERT_REVIEW, reviewer, lead)
    with pytest.raises(TransitionError, match="reason"):
        perform(application, "recommend", reviewer, reason="  ")


def test_firm_cannot_make_reviewer_transitions(application, owner):
    with pytest.raises(PermissionRefused):
        perform(application, "start_formal_check", owner)


def test_reviewer_must_be_assigned_unless_lead(application, reviewer, other_reviewer, lead):
    with pytest.raises(PermissionRefused, match="Assign"):
        perform(application, "start_formal_check", reviewer)
    assigned(application, reviewer)
    with pytest.raises(PermissionRefused, match="another reviewer"):
        perform(application, "start_formal_check", other_reviewer)
    perform(application, "start_formal_check", lead)  # a lead may act on any application
    assert application.state == State.FORMAL_CHECK


def test_only_lead_starts_public_notice(application, reviewer, lead):
    _in_state(application, State.RECOMMENDED, reviewer, lead)
    with pytest.raises(PermissionRefused, match="lead reviewer"):
        perform(application, "start_public_notice", reviewer)
    perform(application, "start_public_notice", lead)


def test_region_scoping(application, outsider):
    with pytest.raises(PermissionRefused, match="scope"):
        perform(application, "start_formal_check", outsider)
    with pytest.raises(PermissionRefused, match="scope"):
        services.assign(application, outsider, outsider, application.version)


def test_conflict_of_interest_blocks_the_reviewer(application, reviewer, lead):
    assigned(application, reviewer)
    services.declare_conflict(application, reviewer, "my cousin is the CEO")
    application.refresh_from_db()
    assert application.assignee is None
    with pytest.raises(PermissionRefused, match="conflict of interest"):
        perform(application, "start_formal_check", reviewer)
    with pytest.raises(PermissionRefused, match="conflict of interest"):
        services.assign(application, reviewer, reviewer, application.version)
    with pytest.raises(PermissionRefused, match="conflict of interest"):
        services.assign(application, reviewer, lead, application.version)
    assert available(application, reviewer) == []
    assert (
        application.events.filter(action="conflict_declared").get().reason == "my cousin is the CEO"
    )


def test_lead_assigns_others_reviewers_only_self(application, reviewer, other_reviewer, lead):
    with pytest.raises(PermissionRefused, match="lead reviewer"):
        services.assign(application, other_reviewer, reviewer, application.version)
    services.assign(application, other_reviewer, lead, application.version)
    application.refresh_from_db()
    assert application.assignee == other_reviewer
    with pytest.raises(PermissionRefused, match="another reviewer"):
        services.assign(application, reviewer, reviewer, application.version)


def test_stale_version_loses(application, reviewer, lead):
    assigned(application, reviewer)
    stale = Application.objects.get(pk=application.pk)
    perform(application, "start_formal_check", reviewer)
    with pytest.raises(ConcurrentChange):
        perform(stale, "start_formal_check", lead, expected_version=stale.version)
    with pytest.raises(ConcurrentChange):
        services.assign(stale, lead, lead, stale.version)


def test_two_reviewers_deciding_at_once_only_one_wins(application, reviewer, lead):
    """Both loaded version n; both submit "reject"/"recommend": exactly one succeeds."""
    _in_state(application, State.EXPERT_REVIEW, reviewer, lead)
    version = application.version
    first = Application.objects.get(pk=application.pk)
    second = Application.objects.get(pk=application.pk)
    perform(first, "recommend", reviewer, reason="good", expected_version=version)
    # The second reviewer's page still shows "expert review" at the same version.
    second.state = State.EXPERT_REVIEW
    with pytest.raises(ConcurrentChange):
        perform(second, "reject", lead, reason="bad", expected_version=version)
    application.refresh_from_db()
    assert application.state == State.RECOMMENDED
    assert application.events.filter(action__in=["recommend", "reject"]).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_decisions_in_threads(enterprise, owner, programme, reviewer, lead):
    """Real concurrency: two threads with their own connections race on the same version.

    Runs on PostgreSQL (CI's second pass). SQLite's shared in-memory test database serialises
    writers and its table locks leak into the following transactional tests, so there the
    deterministic stale-version test above covers the same compare-and-set.
    """
    if connection.vendor != "postgresql":
        pytest.skip("needs a database with concurrent writers (PostgreSQL)")
    from tests import factories

    submission = factories.make_submission(enterprise, user=owner)
    application = services.apply(owner, programme, submission)
    _in_state(application, State.EXPERT_REVIEW, reviewer, lead)
    version = application.version
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def act(user, action):
        try:
            app = Application.objects.get(pk=application.pk)
            barrier.wait(timeout=10)
            perform(app, action, user, reason="race", expected_version=version)
            outcomes.append("ok")
        except (ConcurrentChange, TransitionNotAllowed):
            outcomes.append("refused")
        except Exception as exc:  # SQLite may report "database is locked" instead
            outcomes.append("refused" if "locked" in str(exc) else repr(exc))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=act, args=(reviewer, "recommend")),
        threading.Thread(target=act, args=(lead, "reject")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok", "refused"]
    application.refresh_from_db()
    assert application.version == version + 1
    assert (
        ReviewEvent.objects.filter(
            application=application, action__in=["recommend", "reject"]
        ).count()
        == 1
    )


QUOTA_RACE_ROUNDS = 20


def _recommend_in_thread(user, pk: int, barrier: threading.Barrier, outcomes: list[str]) -> None:
    translation.activate("en")  # a new thread starts in the default language
    try:
        app = Application.objects.get(pk=pk)
        barrier.wait(timeout=10)
        perform(app, "recommend", user, reason="race")
        outcomes.append("ok")
    except (PermissionRefused, SafeguardRefused) as exc:
        outcomes.append("quota" if "quota" in str(exc) else repr(exc))
    except Exception as exc:
        outcomes.append(repr(exc))
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_recommendations_never_overrun_the_quota(enterprise, owner, reviewer, lead):
    """Four reviewers' threads recommend four applications at once against a quota of two.

    Without a row lock on the programme each thread counts the others' uncommitted
    recommendations as absent and all four win; with it exactly two do, in every round.
    Runs on PostgreSQL (CI's second pass); SQLite serialises writers anyway.
    """
    if connection.vendor != "postgresql":
        pytest.skip("needs a database with concurrent writers (PostgreSQL)")
    from tests import factories

    from .conftest import make_programme

    leads = [lead] + [
        factories.reviewer(["420000"], lead=True, username=f"lead-race-{n}") for n in range(3)
    ]
    for round_no in range(QUOTA_RACE_ROUNDS):
        programme = make_programme(code=f"race-{round_no}", quota=2)
        applications = []
        for n in range(4):
            firm = factories.EnterpriseFactory()
            firm_owner = factories.company_user(firm, username=f"race-{round_no}-{n}")
            application = services.apply(
                firm_owner, programme, factories.make_submission(firm, user=firm_owner)
            )
            applications.append(_in_state(application, State.EXPERT_REVIEW, reviewer, lead))
        barrier = threading.Barrier(len(applications))
        outcomes: list[str] = []
        threads = [
            threading.Thread(target=_recommend_in_thread, args=(user, app.pk, barrier, outcomes))
            for user, app in zip(leads, applications, strict=True)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        recommended = Application.objects.filter(
            programme=programme, state=State.RECOMMENDED
        ).count()
        assert (round_no, sorted(outcomes), recommended) == (
            round_no,
            ["ok", "ok", "quota", "quota"],
            2,
        )


def test_quota_limits_recommendations(enterprise, owner, programme, reviewer, lead):
    from tests import factories

    programme.quota = 1
    programme.save()
    first = services.apply(owner, programme, factories.make_submission(enterprise, user=owner))
    _in_state(first, State.RECOMMENDED, reviewer, lead)
    other = factories.EnterpriseFactory()
    other_owner = factories.company_user(other)
    second = services.apply(
        other_owner, programme, factories.make_submission(other, user=other_owner)
    )
    _in_state(second, State.EXPERT_REVIEW, reviewer, lead)
    with pytest.raises(SafeguardRefused, match="quota"):
        perform(second, "recommend", reviewer, reason="also good")
    second.refresh_from_db()
    assert second.state == State.EXPERT_REVIEW


def test_every_transition_has_a_label_and_an_actor():
    for action, transition in TRANSITIONS.items():
        assert transition.action == action
        assert str(transition.label)
        assert transition.actor in ("firm_member", "firm_owner", "reviewer", "lead")
