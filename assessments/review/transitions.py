"""The application state machine: transitions, who may make them, and the audit trail.

::

    submitted ──start_formal_check──> formal_check ──pass_formal_check──> expert_review
        ▲                              │  │   (materials complete)           │  │  │
        │                       return │  └─reject─> rejected <─reject───────┘  │  └─return─┐
    resubmitted <──resubmit── returned <┘              │  ▲                     │           │
        └──start_formal_check──> formal_check          │  │ uphold_rejection    │ recommend ▼
                                  request_reconsideration │                     ▼        returned
                                           └──> reconsideration ──grant──> (state before)
                                                                     recommended ◀─┐ recommend
                                                       start_public_notice ▼ ──────┘ (next level)
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

Guards refuse outright (a transition that cannot happen now). Safeguards
(:mod:`assessments.review.safeguards`: the minimum level and the quotas of ``recommend`` and
``recognise``) refuse too, but a lead reviewer may override them with a written reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from django.db import transaction
from django.db.models import F
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.presentation.answers import join
from assessments.review import notifications, permissions, safeguards, stages
from assessments.review.calendar import period_end
from assessments.review.certificates import issue_certificate
from assessments.review.errors import (
    ConcurrentChange,
    PermissionRefused,
    SafeguardRefused,
    TransitionError,
    TransitionNotAllowed,
)
from assessments.review.models import (
    Application,
    MaterialCheck,
    Programme,
    ReviewEvent,
    State,
)
from portal.accounts import roles
from portal.accounts.models import User
from portal.core.i18n import text_lang

Actor = Literal["firm_member", "firm_owner", "reviewer", "lead"]
# The decisions a reconsideration reviews, and whose actor may not decide it.
REJECTIONS = ("reject", "uphold_objection")


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
    # Refused by the decision safeguards unless a lead reviewer overrides them with a reason.
    safeguarded: bool = False
    # Decided by the reviewers of the level of the recommendation chain that is pending.
    chain_decision: bool = False

    def target_for(self, application: Application) -> str:
        if self.action == "grant_reconsideration":
            return reconsideration_target(application)
        return self.target


def _date(value: dt.date) -> str:
    return formats.date_format(value, "Y-m-d")


def _objection_period_guard(application: Application, user: User) -> str | None:
    ends = application.notice_ends_on
    if ends is not None and timezone.localdate() <= ends:
        return _(
            "The objection period runs until %(date)s; recognition is possible from %(next)s."
        ) % {"date": _date(ends), "next": _date(ends + dt.timedelta(days=1))}
    objections = list(application.objections.all())
    open_ = [o for o in objections if not o.is_answered]
    if open_:
        return _(
            "%(n)d objection(s) lodged during the public notice must be answered before "
            "recognition."
        ) % {"n": len(open_)}
    if any(o.outcome == o.Outcome.UPHELD for o in objections):
        return _("An objection was upheld: the application cannot be recognised.")
    return None


def _recommend_guard(application: Application, user: User) -> str | None:
    if application.state == State.RECOMMENDED and stages.chain_complete(application):
        return _("Every level of the recommendation chain has recommended this application.")
    if application.state == State.EXPERT_REVIEW:
        return panel_refusal(application)
    return None


def panel_refusal(application: Application) -> str | None:
    """Why the expert panel does not allow a recommendation yet (None when it does)."""
    needed = application.programme.min_experts
    if not needed:
        return None
    seats = list(application.experts.all())
    if len(seats) < needed:
        return _("The programme needs %(n)d experts' scores; %(have)d expert(s) are assigned.") % {
            "n": needed,
            "have": len(seats),
        }
    waiting = [s for s in seats if not s.is_submitted]
    if waiting:
        return _("%(n)d expert(s) have not submitted their scores yet.") % {"n": len(waiting)}
    if application.consensus_at is None:
        return _("The lead reviewer has not set the panel's consensus score yet.")
    return None


def _public_notice_guard(application: Application, user: User) -> str | None:
    if not stages.chain_complete(application):
        return _("The level “%(stage)s” has not recommended the application yet.") % {
            "stage": stages.stage_name(application.programme, application.stage_index)
        }
    return None


def materials_refusal(application: Application) -> str | None:
    """Why the formal check cannot pass: a required material missing, unchecked or incomplete."""
    materials = [m for m in application.programme.materials.all() if m.required]
    if not materials:
        return None
    checks = {c.material_id: c for c in application.material_checks.all()}
    current = current_files(application)
    missing = []
    for material in materials:
        check = checks.get(material.pk)
        file = current.get(material.pk)
        if (
            file is None
            or check is None
            or check.status != MaterialCheck.Status.COMPLETE
            or check.file_id != file.pk
        ):
            missing.append(material.title)
    if missing:
        return _(
            "Tick every required material as complete before expert review can start "
            "(still open: %(items)s)."
        ) % {"items": join(missing, text_lang())}
    return None


def current_files(application: Application) -> dict[int, Any]:
    """The newest file of each material (material id → ApplicationFile)."""
    out: dict[int, Any] = {}
    for f in sorted(application.files.all(), key=lambda f: (f.uploaded_at, f.pk)):
        if f.material_id is not None:
            out[f.material_id] = f
    return out


def _formal_check_guard(application: Application, user: User) -> str | None:
    return materials_refusal(application)


def first_decider(application: Application) -> ReviewEvent | None:
    """The rejection a reconsideration reviews (the latest ``reject``/``uphold_objection``)."""
    return (
        application.events.filter(action__in=REJECTIONS)
        .select_related("actor")
        .order_by("-created_at", "-pk")
        .first()
    )


def reconsideration_target(application: Application) -> str:
    """Where a granted reconsideration sends the application: the stage it was rejected in
    (a rejection during the public notice goes back to "recommended": the notice starts again)."""
    event = first_decider(application)
    source = event.from_state if event else State.EXPERT_REVIEW
    if source == State.PUBLIC_NOTICE:
        return State.RECOMMENDED
    if source in (State.FORMAL_CHECK, State.EXPERT_REVIEW, State.RECOMMENDED):
        return source
    return State.EXPERT_REVIEW


def _reconsideration_request_guard(application: Application, user: User) -> str | None:
    programme = application.programme
    if not programme.reconsideration_days:
        return _("This programme does not provide for reconsideration.")
    if application.events.filter(action="request_reconsideration").exists():
        return _("Reconsideration was already requested once for this application.")
    ends = reconsideration_ends_on(application)
    if ends is not None and timezone.localdate() > ends:
        return _("The period for asking for reconsideration ended on %(date)s.") % {
            "date": _date(ends)
        }
    return None


def reconsideration_ends_on(application: Application) -> dt.date | None:
    """The last day a rejected firm may ask for reconsideration (None when not rejected)."""
    if application.state != State.REJECTED or application.decided_at is None:
        return None
    if not application.programme.reconsideration_days:
        return None
    start = timezone.localdate(application.decided_at)
    return period_end(application.programme, start, application.programme.reconsideration_days)


def _second_reviewer_guard(application: Application, user: User) -> str | None:
    event = first_decider(application)
    if event is not None and event.actor_id == user.pk:
        return _(
            "You made the decision under reconsideration; another reviewer must decide the "
            "reconsideration."
        )
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
            guard=_formal_check_guard,
        ),
        Transition(
            "recommend",
            frozenset({State.EXPERT_REVIEW, State.RECOMMENDED}),
            State.RECOMMENDED,
            "reviewer",
            gettext_lazy("Recommend"),
            needs_reason=True,
            guard=_recommend_guard,
            locks_programme=True,
            safeguarded=True,
            chain_decision=True,
        ),
        Transition(
            "reject",
            frozenset({State.FORMAL_CHECK, State.EXPERT_REVIEW, State.RECOMMENDED}),
            State.REJECTED,
            "reviewer",
            gettext_lazy("Reject"),
            needs_reason=True,
            danger=True,
            chain_decision=True,
        ),
        Transition(
            "start_public_notice",
            frozenset({State.RECOMMENDED}),
            State.PUBLIC_NOTICE,
            "lead",
            gettext_lazy("Start the public notice"),
            guard=_public_notice_guard,
        ),
        Transition(
            "recognise",
            frozenset({State.PUBLIC_NOTICE}),
            State.RECOGNISED,
            "lead",
            gettext_lazy("Recognise"),
            needs_reason=True,
            guard=_objection_period_guard,
            locks_programme=True,
            safeguarded=True,
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
            "request_reconsideration",
            frozenset({State.REJECTED}),
            State.RECONSIDERATION,
            "firm_member",
            gettext_lazy("Ask for reconsideration"),
            needs_reason=True,
            guard=_reconsideration_request_guard,
        ),
        Transition(
            "grant_reconsideration",
            frozenset({State.RECONSIDERATION}),
            "",  # the state the application was rejected in: reconsideration_target()
            "reviewer",
            gettext_lazy("Grant the reconsideration (reopen)"),
            needs_reason=True,
            guard=_second_reviewer_guard,
        ),
        Transition(
            "uphold_rejection",
            frozenset({State.RECONSIDERATION}),
            State.REJECTED,
            "reviewer",
            gettext_lazy("Uphold the rejection"),
            needs_reason=True,
            danger=True,
            guard=_second_reviewer_guard,
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


def reviewer_refusal(
    application: Application, user: User, *, lead: bool = False, assigned: bool = True
) -> str | None:
    """Why ``user`` may not act as a reviewer on ``application`` (None when allowed).

    ``assigned=False``: any reviewer in scope (the levels of the recommendation chain above
    the first decide without an assignment).
    """
    if not permissions.in_scope(user, application):
        return _("This application is outside your review scope.")
    if permissions.has_conflict(user, application):
        return _("You declared a conflict of interest for this application and cannot act on it.")
    if lead:
        if not roles.is_lead(user):
            return _("Only a lead reviewer may do this.")
        return None
    if not assigned:
        return None
    if application.assignee_id != user.pk and not roles.is_lead(user):
        if application.assignee_id is None:
            return _("Assign the application to yourself first.")
        return _("This application is assigned to another reviewer.")
    return None


def refusal(transition: Transition, application: Application, user: User) -> str | None:
    """Why ``user`` may not make ``transition`` now (None when allowed); safeguards aside."""
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
        upper_level = transition.chain_decision and application.state == State.RECOMMENDED
        why = reviewer_refusal(
            application, user, lead=transition.actor == "lead", assigned=not upper_level
        )
        if why:
            return why
        if transition.chain_decision:
            why = stages.stage_refusal(application, user)
            if why:
                return why
    if transition.guard is not None:
        return transition.guard(application, user)
    return None


def available(application: Application, user: User, actions=None) -> list[Transition]:
    """Transitions ``user`` may make now (for buttons; safeguards are shown beside them)."""
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
    application.__dict__.pop("_review_conflicts", None)


def expected_due_on(programme: Programme, state: str, start: dt.date) -> dt.date | None:
    """When a stage is expected to end (from the programme's expected days), or None."""
    days = programme.expected_days_for(state)
    return period_end(programme, start, days) if days is not None else None


def _override(
    application: Application,
    transition: Transition,
    user: User,
    override_reason: str,
) -> dict[str, Any] | None:
    """Check the safeguards; returns the override to record, or raises when refused."""
    if not transition.safeguarded:
        return None
    refused = safeguards.decision_safeguards(application, transition.action)
    if not refused:
        return None
    text = " ".join(s.message for s in refused)
    if not override_reason:
        if roles.is_lead(user):
            text += " " + _("A lead reviewer may override this with a written reason.")
        raise SafeguardRefused(text, refused)
    if not roles.is_lead(user):
        raise PermissionRefused(
            text + " " + _("Only a lead reviewer may override it, with a written reason.")
        )
    return {"safeguards": [s.as_dict() for s in refused], "reason": override_reason}


def perform(
    application: Application,
    action: str,
    user: User,
    *,
    reason: str = "",
    expected_version: int | None = None,
    data: Mapping[str, Any] | None = None,
    updates: Mapping[str, Any] | None = None,
    override_reason: str = "",
    note: str = "",
) -> ReviewEvent:
    """Make the transition ``action`` as ``user``; raise :class:`TransitionError` if refused.

    ``reason`` is sent to the firm; ``note`` is an internal note (a separate event the firm
    never sees); ``override_reason`` overrides the decision safeguards (lead reviewers only).
    """
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise TransitionNotAllowed(_("Unknown action."))
    reason = (reason or "").strip()
    override_reason = (override_reason or "").strip()
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
        override = _override(application, transition, user, override_reason)
        source = application.state
        level_index = application.stage_index
        target = transition.target_for(application)
        now = timezone.now()
        today = timezone.localdate()
        programme = application.programme
        fields: dict[str, Any] = {"state": target, "state_changed_at": now}
        if target in (State.RECOMMENDED, State.REJECTED, State.RECOGNISED):
            fields["decided_at"] = now
            fields["decision_reason"] = reason
        if action == "recommend":
            fields["stage_index"] = application.stage_index + 1
        if target == State.PUBLIC_NOTICE:
            fields["notice_starts_on"] = today
            fields["notice_ends_on"] = period_end(programme, today, programme.objection_days)
            fields["due_on"] = fields["notice_ends_on"]
        elif target in (State.RECOGNISED, State.REJECTED, State.WITHDRAWN):
            fields["due_on"] = None
        elif target == State.RECONSIDERATION:
            fields["due_on"] = expected_due_on(programme, target, today)
            # The reviewer who decided cannot decide the reconsideration: a lead reassigns it.
            decider = first_decider(application)
            if decider is not None and application.assignee_id == decider.actor_id:
                fields["assignee"] = None
        elif target != State.RETURNED:
            fields["due_on"] = expected_due_on(programme, target, today)
        if action == "grant_reconsideration" and target == State.RECOMMENDED:
            fields["notice_starts_on"] = None
            fields["notice_ends_on"] = None
        if override is not None:
            label = str(transition.label)
            line = f"{_date(today)} {label}: {override_reason}"
            fields["override_reason"] = (
                f"{application.override_reason}\n{line}" if application.override_reason else line
            )
        fields.update(updates or {})
        version = application.version if expected_version is None else expected_version
        # Every change bumps the version, so a stale object (or page) cannot jump states.
        compare_and_set(application, version, **fields)
        payload = dict(data or {})
        if override is not None:
            payload["override"] = override
        if action == "recommend" or (action == "reject" and source == State.RECOMMENDED):
            # The level of the chain that decided, by name (as it was called then).
            payload.setdefault("level", stages.stage_name(programme, level_index))
        event = ReviewEvent.objects.create(
            application=application,
            actor=user,
            action=action,
            from_state=source,
            to_state=target,
            reason=reason,
            data=payload,
            created_at=now,
        )
        if note and note.strip():
            add_note(application, user, note, created_at=now)
        if target == State.RECOGNISED:
            issue_certificate(application, user)
        notifications.state_changed(application, event)
    return event


def add_note(
    application: Application, user: User, note: str, *, created_at: dt.datetime | None = None
) -> ReviewEvent:
    """An internal note in the audit trail (reviewers see it; the firm never does)."""
    return ReviewEvent.objects.create(
        application=application,
        actor=user,
        action="note",
        from_state=application.state,
        to_state=application.state,
        reason=note.strip(),
        internal=True,
        created_at=created_at or timezone.now(),
    )
