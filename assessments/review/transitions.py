"""The application state machine: transitions, who may make them, and the audit trail.

::

    submitted ──start_formal_check──> formal_check ──pass_formal_check──> expert_review
        ▲                                 │  │                               │  │  │
        │                          return │  └─reject─> rejected <─reject────┘  │  └─return─┐
    resubmitted <──resubmit── returned <──┘                                    │            │
        └──start_formal_check──> formal_check                        recommend ▼            │
                                                                     recommended          returned
                                                          start_public_notice ▼
                                                                     public_notice (公示)
                                                     recognise ▼                ▼ uphold_objection
                                                          recognised         rejected

    withdraw (by the firm's owner): submitted, formal_check, returned, resubmitted,
    expert_review ──> withdrawn

Every transition runs in a transaction, is checked against the actor's permission, and is a
compare-and-set on ``Application.version`` (``UPDATE … WHERE version = n``): of two reviewers
acting on the same version only one succeeds, the other gets :class:`ConcurrentChange`. Each
transition writes a :class:`~assessments.review.models.ReviewEvent` (who, when, why) and sends
the e-mail notifications after the commit.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.review import notifications, permissions
from assessments.review.certificates import issue_certificate
from assessments.review.errors import (
    ConcurrentChange,
    PermissionRefused,
    TransitionError,
    TransitionNotAllowed,
)
from assessments.review.models import Application, Programme, ReviewEvent, State
from portal.accounts import roles
from portal.accounts.models import User

Actor = Literal["firm_member", "firm_owner", "reviewer", "lead"]


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    actor: Actor
    label: Promise
    needs_reason: bool = False
    guard: Callable[[Application, User], str | None] | None = None
    danger: bool = False
    # The guard counts the programme's other applications: perform() then holds a row lock on
    # the programme from the count to the commit, so that concurrent transitions take turns.
    locks_programme: bool = False


def _quota_guard(application: Application, user: User) -> str | None:
    quota = application.programme.quota
    if quota is None:
        return None
    taken = (
        Application.objects.filter(
            programme=application.programme_id,
            state__in=(State.RECOMMENDED, State.PUBLIC_NOTICE, State.RECOGNISED),
        )
        .exclude(pk=application.pk)
        .count()
    )
    if taken >= quota:
        return _("The programme's quota of %(quota)d recommendations is already used.") % {
            "quota": quota
        }
    return None


def _objection_period_guard(application: Application, user: User) -> str | None:
    ends = application.notice_ends_on
    if ends is not None and timezone.localdate() <= ends:
        return _("The objection period runs until %(date)s; recognise the enterprise after it.") % {
            "date": ends.isoformat()
        }
    return None


BEFORE_DECISION = frozenset(
    {State.SUBMITTED, State.FORMAL_CHECK, State.RETURNED, State.RESUBMITTED, State.EXPERT_REVIEW}
)

TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition(
            "start_formal_check",
            frozenset({State.SUBMITTED, State.RESUBMITTED}),
            State.FORMAL_CHECK,
            "reviewer",
            gettext_lazy("Start the formal check"),
        ),
        Transition(
            "return",
            frozenset({State.FORMAL_CHECK, State.EXPERT_REVIEW}),
            State.RETURNED,
            "reviewer",
            gettext_lazy("Request changes"),
            needs_reason=True,
        ),
        Transition(
            "resubmit",
            frozenset({State.RETURNED}),
            State.RESUBMITTED,
            "firm_member",
            gettext_lazy("Resubmit"),
        ),
        Transition(
            "pass_formal_check",
            frozenset({State.FORMAL_CHECK}),
            State.EXPERT_REVIEW,
            "reviewer",
            gettext_lazy("Pass the formal check"),
        ),
        Transition(
            "recommend",
            frozenset({State.EXPERT_REVIEW}),
            State.RECOMMENDED,
            "reviewer",
            gettext_lazy("Recommend"),
            needs_reason=True,
            guard=_quota_guard,
            locks_programme=True,
        ),
        Transition(
            "reject",
            frozenset({State.FORMAL_CHECK, State.EXPERT_REVIEW}),
            State.REJECTED,
            "reviewer",
            gettext_lazy("Reject"),
            needs_reason=True,
            danger=True,
        ),
        Transition(
            "start_public_notice",
            frozenset({State.RECOMMENDED}),
            State.PUBLIC_NOTICE,
            "lead",
            gettext_lazy("Start the public notice"),
        ),
        Transition(
            "recognise",
            frozenset({State.PUBLIC_NOTICE}),
            State.RECOGNISED,
            "lead",
            gettext_lazy("Recognise"),
            needs_reason=True,
            guard=_objection_period_guard,
        ),
        Transition(
            "uphold_objection",
            frozenset({State.PUBLIC_NOTICE}),
            State.REJECTED,
            "lead",
            gettext_lazy("Uphold an objection and reject"),
            needs_reason=True,
            danger=True,
        ),
        Transition(
            "withdraw",
            BEFORE_DECISION,
            State.WITHDRAWN,
            "firm_owner",
            gettext_lazy("Withdraw the application"),
            needs_reason=False,
            danger=True,
        ),
    )
}

REVIEWER_ACTIONS = tuple(a for a, t in TRANSITIONS.items() if t.actor in ("reviewer", "lead"))
# "return" needs named items and "resubmit" new answers: they have their own forms and services.
PLAIN_REVIEWER_ACTIONS = tuple(a for a in REVIEWER_ACTIONS if a != "return")


def reviewer_refusal(application: Application, user: User, *, lead: bool = False) -> str | None:
    """Why ``user`` may not act as a reviewer on ``application`` (None when allowed)."""
    if not permissions.in_scope(user, application):
        return _("This application is outside your review scope.")
    if permissions.has_conflict(user, application):
        return _("You declared a conflict of interest for this application and cannot act on it.")
    if lead:
        if not roles.is_lead(user):
            return _("Only a lead reviewer may do this.")
        return None
    if application.assignee_id != user.pk and not roles.is_lead(user):
        if application.assignee_id is None:
            return _("Assign the application to yourself first.")
        return _("This application is assigned to another reviewer.")
    return None


def refusal(transition: Transition, application: Application, user: User) -> str | None:
    """Why ``user`` may not make ``transition`` now (None when allowed)."""
    if application.state not in transition.sources:
        return _("“%(action)s” is not possible while the application is “%(state)s”.") % {
            "action": transition.label,
            "state": application.get_state_display(),
        }
    if transition.actor == "firm_member":
        if permissions.firm_role(user, application) is None:
            return _("Only members of the applying enterprise may do this.")
    elif transition.actor == "firm_owner":
        if not permissions.is_firm_owner(user, application):
            return _("Only the owner of the applying enterprise may do this.")
    else:
        why = reviewer_refusal(application, user, lead=transition.actor == "lead")
        if why:
            return why
    if transition.guard is not None:
        return transition.guard(application, user)
    return None


def available(application: Application, user: User, actions=None) -> list[Transition]:
    """Transitions ``user`` may make now (for buttons)."""
    out = []
    for action in actions or TRANSITIONS:
        transition = TRANSITIONS[action]
        if (
            application.state in transition.sources
            and refusal(transition, application, user) is None
        ):
            out.append(transition)
    return out


def compare_and_set(application: Application, expected_version: int, **fields: Any) -> None:
    """``UPDATE … SET fields, version = version + 1 WHERE pk = … AND version = expected``.

    Raises :class:`ConcurrentChange` when no row matched; refreshes ``application`` otherwise.
    """
    updated = Application.objects.filter(pk=application.pk, version=expected_version).update(
        version=F("version") + 1, **fields
    )
    if updated != 1:
        raise ConcurrentChange(
            _(
                "Someone else changed this application while you were looking at it. "
                "Reload the page to see the current state, then try again."
            )
        )
    application.refresh_from_db()


def perform(
    application: Application,
    action: str,
    user: User,
    *,
    reason: str = "",
    expected_version: int | None = None,
    data: Mapping[str, Any] | None = None,
    updates: Mapping[str, Any] | None = None,
) -> ReviewEvent:
    """Make the transition ``action`` as ``user``; raise :class:`TransitionError` if refused."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise TransitionNotAllowed(_("Unknown action."))
    reason = (reason or "").strip()
    with transaction.atomic():
        if transition.locks_programme:
            # SELECT … FOR UPDATE: a second recommendation in the same programme waits here
            # until this one commits, and then counts it (PostgreSQL reads committed rows).
            Programme.objects.select_for_update().filter(pk=application.programme_id).first()
        if application.state not in transition.sources:
            raise TransitionNotAllowed(refusal(transition, application, user))
        why = refusal(transition, application, user)
        if why:
            raise PermissionRefused(why)
        if transition.needs_reason and not reason:
            raise TransitionError(_("Give a reason for this decision."))
        source = application.state
        now = timezone.now()
        fields: dict[str, Any] = {"state": transition.target, "state_changed_at": now}
        if transition.target in (State.RECOMMENDED, State.REJECTED, State.RECOGNISED):
            fields["decided_at"] = now
            fields["decision_reason"] = reason
        if transition.target == State.PUBLIC_NOTICE:
            days = application.programme.objection_days
            fields["notice_ends_on"] = timezone.localdate() + timezone.timedelta(days=days)
        fields.update(updates or {})
        version = application.version if expected_version is None else expected_version
        # Every change bumps the version, so a stale object (or page) cannot jump states.
        compare_and_set(application, version, **fields)
        event = ReviewEvent.objects.create(
            application=application,
            actor=user,
            action=action,
            from_state=source,
            to_state=transition.target,
            reason=reason,
            data=dict(data or {}),
            created_at=now,
        )
        if transition.target == State.RECOGNISED:
            issue_certificate(application, user)
        notifications.state_changed(application, event)
    return event
