"""Reads for improvement plans, always scoped to the asking member's enterprise."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from assessments import engine
from assessments.models import Submission
from assessments.presentation import plans as plan_words
from portal.accounts.models import Enterprise, Membership, User
from portal.accounts.selectors import membership_for

from .models import Action, Plan
from .permissions import can_edit


def member_for(user: User) -> Membership:
    """The user's membership, or 404 (reviewers, editors and strangers have no plans)."""
    membership = membership_for(user) if user.is_authenticated else None
    if membership is None:
        raise Http404
    return membership


def submission_for(user: User, pk: int) -> tuple[Submission, Membership]:
    """A submission of the user's enterprise and the user's membership, or 404."""
    membership = member_for(user)
    submission = (
        Submission.objects.select_related("scheme_version__scheme")
        .filter(pk=pk, enterprise_id=membership.enterprise_id)
        .first()
    )
    if submission is None:
        raise Http404
    submission.enterprise = membership.enterprise
    return submission, membership


def action_for(user: User, pk: int) -> tuple[Action, Membership]:
    """An action of a plan of the user's enterprise and the user's membership, or 404."""
    membership = member_for(user)
    action = (
        Action.objects.select_related("plan__submission__scheme_version__scheme", "owner")
        .filter(pk=pk, plan__enterprise_id=membership.enterprise_id)
        .first()
    )
    if action is None:
        raise Http404
    action.plan.submission.enterprise = membership.enterprise
    return action, membership


def plan_of(submission: Submission) -> Plan | None:
    return Plan.objects.filter(submission=submission).first()


def members(enterprise: Enterprise) -> QuerySet[User]:
    """The people an action can be given to: the enterprise's active members."""
    return User.objects.filter(membership__enterprise=enterprise, is_active=True).order_by(
        "-membership__role", "first_name", "last_name", "username"
    )


def actions_of(plan: Plan | None) -> list[Action]:
    if plan is None:
        return []
    return list(plan.actions.select_related("owner", "owner__membership").order_by("due_on", "pk"))


def person(user: User | None) -> str:
    """How an owner is named on the plan: full name, else user name."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


@dataclass
class TargetActions:
    target: plan_words.Target
    actions: list[Action] = field(default_factory=list)


@dataclass
class PlanPage:
    submission: Submission
    plan: Plan | None
    targets: list[TargetActions]
    other_actions: list[Action]  # actions whose item is no longer a target (kept, shown apart)
    editable: set[int]  # ids of the actions the member may change
    counts: Counter

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def plan_page(submission: Submission, membership: Membership, lang: str) -> PlanPage:
    """The plan's targets with their actions (three queries)."""
    version = submission.scheme_version
    plan = plan_of(submission)
    actions = actions_of(plan)
    targets = [
        TargetActions(t)
        for t in plan_words.targets(
            version.engine_scheme,
            engine.result_from_dict(submission.result),
            submission.answers,
            submission.assessed_on,
            lang,
        )
    ]
    by_code = {t.target.code: t for t in targets}
    other = []
    for action in actions:
        action.plan = plan  # saves a query per action in can_edit
        membership_of_owner = getattr(action.owner, "membership", None)
        action.owner_is_member = (
            membership_of_owner is not None
            and membership_of_owner.enterprise_id == plan.enterprise_id
        )
        (by_code[action.item].actions if action.item in by_code else other).append(action)
    return PlanPage(
        submission=submission,
        plan=plan,
        targets=targets,
        other_actions=other,
        editable={a.pk for a in actions if can_edit(membership, a)},
        counts=Counter(a.status for a in actions),
    )


def target_codes(submission: Submission, lang: str) -> dict[str, str]:
    """Item code → label of every item an action may address."""
    return {
        t.code: t.label
        for t in plan_words.targets(
            submission.scheme_version.engine_scheme,
            engine.result_from_dict(submission.result),
            submission.answers,
            submission.assessed_on,
            lang,
        )
    }


# --------------------------------------------------------------------------- results page


def plans_until(submission: Submission) -> tuple[dict[str, int] | None, Plan | None]:
    """The submission's own plan's action counts by status (None without a plan) and the plan
    of the latest earlier submission of the same scheme that has one (one query)."""
    counts = {
        status: Count("actions", filter=Q(actions__status=status))
        for status in Action.Status.values
    }
    found = list(
        Plan.objects.filter(
            enterprise_id=submission.enterprise_id,
            submission__scheme_version__scheme_id=submission.scheme_version.scheme_id,
            submission__submitted_at__lte=submission.submitted_at,
        )
        .select_related("submission__scheme_version")
        .annotate(total=Count("actions"), **counts)
        .order_by("-submission__submitted_at", "-pk")[:2]
    )
    own = next((p for p in found if p.submission_id == submission.pk), None)
    earlier = next(
        (
            p
            for p in found
            if p.submission_id != submission.pk
            and p.submission.submitted_at < submission.submitted_at
        ),
        None,
    )
    summary = None
    if own is not None:
        summary = {"total": own.total, **{s: getattr(own, s) for s in Action.Status.values}}
    return summary, earlier


@dataclass
class PlanProgress:
    plan: Plan
    view: plan_words.ProgressView


def progress(submission: Submission, plan: Plan | None, lang: str) -> PlanProgress | None:
    """The progress of an earlier ``plan`` as ``submission`` shows it (one query)."""
    if plan is None:
        return None
    counts: dict[str, list[int]] = {}
    for item, status in plan.actions.order_by("due_on", "pk").values_list("item", "status"):
        done_total = counts.setdefault(item, [0, 0])
        if status == Action.Status.DROPPED:
            continue
        done_total[1] += 1
        if status == Action.Status.DONE:
            done_total[0] += 1
    before = plan.submission
    view = plan_words.progress_view(
        scheme_before=before.scheme_version.engine_scheme,
        result_before=before.result,
        answers_before=before.answers,
        scheme_now=submission.scheme_version.engine_scheme,
        result_now=submission.result,
        answers_now=submission.answers,
        counts={item: (done, total) for item, (done, total) in counts.items() if total},
        lang=lang,
        plan_date=before.submitted_at.date() if before.submitted_at else None,
    )
    return PlanProgress(plan, view)
