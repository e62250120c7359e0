"""Expert panels: a lead reviewer assigns two or more experts; each scores the items on their own
(the engine re-scores the answers with their points); nobody sees another expert's score before
submitting their own; the lead sets the panel's consensus per item, with a written reason when the
experts' totals differ by more than the programme's threshold.

The consensus becomes the reviewed item points (``ItemReview.adjusted_points``), so the reviewed
total and level come from the scheme's own rules, as for any adjustment.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments import engine
from assessments.engine.adjust import AdjustmentError, adjust
from assessments.review import permissions, services
from assessments.review.errors import PermissionRefused, TransitionError
from assessments.review.models import Application, ExpertAssignment, ItemReview, ReviewEvent, State
from assessments.review.transitions import compare_and_set, reviewer_refusal
from portal.accounts import roles
from portal.accounts.choices import Roles
from portal.accounts.models import User

MIN_PANEL = 2
CENT = Decimal("0.01")


def experts_for(application: Application) -> QuerySet[User]:
    """Experts whose regions cover the application and who declared no conflict."""
    region = application.enterprise.region
    codes = [region.code] + ([region.parent_id] if region.parent_id else [])
    return (
        roles.reviewers()
        .filter(groups__name=Roles.EXPERT)
        .filter(Q(reviewer_profile__regions__code__in=codes))
        .exclude(conflicts_of_interest__application=application)
        .distinct()
        .order_by("username")
    )


def seats(application: Application) -> list[ExpertAssignment]:
    cached = application.__dict__.get("_review_seats")
    if cached is None:
        cached = list(application.experts.select_related("expert").order_by("assigned_at", "pk"))
        application.__dict__["_review_seats"] = cached
    return cached


def _forget(application: Application) -> None:
    application.__dict__.pop("_review_seats", None)


def seat_of(application: Application, user: User) -> ExpertAssignment | None:
    return next((s for s in seats(application) if s.expert_id == user.pk), None)


def _lead_refusal(application: Application, lead: User) -> str | None:
    why = reviewer_refusal(application, lead, lead=True)
    if why:
        return why
    if application.state != State.EXPERT_REVIEW:
        return _("Experts work during the expert review.")
    return None


def assign_experts(
    application: Application, lead: User, experts: Iterable[User], expected_version: int
) -> list[ExpertAssignment]:
    """Seat ``experts`` on the panel (in addition to those already seated)."""
    why = _lead_refusal(application, lead)
    if why:
        raise PermissionRefused(why)
    experts = [e for e in experts if seat_of(application, e) is None]
    for expert in experts:
        if not roles.is_expert(expert) or not permissions.in_scope(expert, application):
            raise PermissionRefused(
                _("%(user)s is not an expert for this region.") % {"user": expert.get_username()}
            )
        if permissions.has_conflict(expert, application):
            raise PermissionRefused(
                _("%(user)s declared a conflict of interest for this application.")
                % {"user": expert.get_username()}
            )
    if not experts:
        raise TransitionError(_("Choose at least one expert who is not on the panel yet."))
    needed = max(MIN_PANEL, application.programme.min_experts)
    if len(seats(application)) + len(experts) < needed:
        raise TransitionError(_("A panel needs at least %(n)d experts.") % {"n": needed})
    with transaction.atomic():
        compare_and_set(application, expected_version)
        made = [
            ExpertAssignment.objects.create(application=application, expert=e, assigned_by=lead)
            for e in experts
        ]
        ReviewEvent.objects.create(
            application=application,
            actor=lead,
            action="experts_assigned",
            from_state=application.state,
            to_state=application.state,
            internal=True,
            data={"experts": [e.get_username() for e in experts]},
        )
    _forget(application)
    return made


def remove_expert(
    application: Application, lead: User, expert: User, expected_version: int
) -> None:
    why = _lead_refusal(application, lead)
    if why:
        raise PermissionRefused(why)
    seat = seat_of(application, expert)
    if seat is None:
        raise TransitionError(_("This expert is not on the panel."))
    with transaction.atomic():
        compare_and_set(application, expected_version)
        seat.delete()
        ReviewEvent.objects.create(
            application=application,
            actor=lead,
            action="expert_removed",
            from_state=application.state,
            to_state=application.state,
            internal=True,
            data={"expert": expert.get_username(), "had_scored": seat.is_submitted},
        )
    _forget(application)


def _result_with(application: Application, points: Mapping[str, Decimal]) -> engine.Result:
    submission = application.submission
    return adjust(
        submission.scheme_version.engine_scheme,
        services.reviewed_answers(application),
        submission.assessed_on,
        points,
    )


def engine_points(application: Application) -> dict[str, Decimal]:
    """The engine's points per applicable scored item (the default of every expert's form)."""
    result = engine.result_from_dict(application.submission.result)
    return {i.code: i.points for i in result.items}


def score_refusal(application: Application, expert: User) -> str | None:
    """Why ``expert`` may not submit a score now (None when they may)."""
    if not permissions.in_scope(expert, application):
        return _("This application is outside your review scope.")
    if permissions.has_conflict(expert, application):
        return _("You declared a conflict of interest for this application and cannot act on it.")
    seat = seat_of(application, expert)
    if seat is None:
        return _("You are not on this application's expert panel.")
    if seat.is_submitted:
        return _("You have submitted your score; it can no longer be changed.")
    if application.state != State.EXPERT_REVIEW:
        return _("Experts score during the expert review.")
    return None


def submit_score(
    application: Application,
    expert: User,
    points: Mapping[str, Decimal | None],
    note: str,
    no_conflict: bool,
) -> ExpertAssignment:
    """An expert's independent score: points per item (None: the engine's), an internal note and
    the declaration of no conflict of interest. Submitted once."""
    why = score_refusal(application, expert)
    if why:
        raise PermissionRefused(why)
    if not no_conflict:
        raise TransitionError(
            _(
                "Declare that you have no conflict of interest with this enterprise, or declare the "
                "conflict instead."
            )
        )
    base = engine_points(application)
    overrides = {
        code: value
        for code, value in points.items()
        if value is not None and code in base and Decimal(value) != base[code]
    }
    try:
        result = _result_with(application, overrides)
    except AdjustmentError as err:
        raise TransitionError(
            _("Item %(code)s: the points must be between 0 and the item's maximum.")
            % {"code": err.code}
        ) from None
    now = timezone.now()
    with transaction.atomic():
        updated = ExpertAssignment.objects.filter(
            application=application, expert=expert, submitted_at__isnull=True
        ).update(
            points={k: str(v) for k, v in overrides.items()},
            total=result.total,
            bonus=result.bonus,
            level=result.level,
            note=(note or "").strip(),
            no_conflict_declared_at=now,
            submitted_at=now,
        )
        if updated != 1:
            raise TransitionError(_("You have submitted your score; it can no longer be changed."))
        ReviewEvent.objects.create(
            application=application,
            actor=expert,
            action="expert_scored",
            from_state=application.state,
            to_state=application.state,
            internal=True,
            data={"total": str(result.total), "bonus": str(result.bonus), "level": result.level},
            created_at=now,
        )
    _forget(application)
    return seat_of(application, expert)


@dataclass(frozen=True)
class Panel:
    """What a viewer may see of the panel."""

    seats: tuple[ExpertAssignment, ...]
    visible: bool  # the viewer may see the scores
    complete: bool  # every seated expert submitted (and enough are seated)
    spread: Decimal | None
    threshold: Decimal
    needs_reason: bool
    mean: dict[str, Decimal]  # the mean points per item (the consensus form's default)
    needed: int

    @property
    def submitted(self) -> int:
        return sum(1 for s in self.seats if s.is_submitted)


def item_points_of(application: Application, seat: ExpertAssignment) -> dict[str, Decimal]:
    base = engine_points(application)
    return {**base, **{k: Decimal(v) for k, v in (seat.points or {}).items()}}


def panel(application: Application, viewer: User) -> Panel:
    all_seats = tuple(seats(application))
    done = [s for s in all_seats if s.is_submitted]
    needed = max(MIN_PANEL, application.programme.min_experts)
    complete = bool(all_seats) and len(done) == len(all_seats) and len(all_seats) >= needed
    own = seat_of(application, viewer)
    visible = (
        roles.is_lead(viewer)
        or (own is not None and own.is_submitted)
        or (own is None and complete)
    )
    totals = [s.total for s in done if s.total is not None]
    spread = (max(totals) - min(totals)) if len(totals) >= 2 else None
    threshold = application.programme.expert_spread_threshold
    mean: dict[str, Decimal] = {}
    if done:
        per_expert = [item_points_of(application, s) for s in done]
        for code in per_expert[0]:
            values = [p[code] for p in per_expert if code in p]
            mean[code] = (sum(values) / len(values)).quantize(CENT, rounding=ROUND_HALF_UP)
    return Panel(
        seats=all_seats,
        visible=visible,
        complete=complete,
        spread=spread,
        threshold=threshold,
        needs_reason=spread is not None and spread > threshold,
        mean=mean,
        needed=needed,
    )


def set_consensus(
    application: Application,
    lead: User,
    points: Mapping[str, Decimal | None],
    reason: str,
    expected_version: int,
) -> engine.Result:
    """The lead reviewer's consensus per item; a reason is needed when the spread is too wide."""
    why = _lead_refusal(application, lead)
    if why:
        raise PermissionRefused(why)
    view = panel(application, lead)
    if not view.complete:
        raise TransitionError(
            _("Every expert on the panel must submit a score before the consensus is set.")
        )
    reason = (reason or "").strip()
    if view.needs_reason and not reason:
        raise TransitionError(
            _(
                "The experts' totals differ by %(spread)s points, more than %(threshold)s: give the "
                "reason for the consensus score."
            )
            % {
                "spread": f"{view.spread:.2f}",
                "threshold": f"{view.threshold:.2f}",
            }
        )
    base = engine_points(application)
    overrides = {
        code: Decimal(value)
        for code, value in points.items()
        if value is not None and code in base and Decimal(value) != base[code]
    }
    try:
        result = _result_with(application, overrides)
    except AdjustmentError as err:
        raise TransitionError(
            _("Item %(code)s: the points must be between 0 and the item's maximum.")
            % {"code": err.code}
        ) from None
    now = timezone.now()
    with transaction.atomic():
        for code in base:
            value = overrides.get(code)
            review = ItemReview.objects.filter(application=application, item_code=code).first()
            if review is None and value is None:
                continue
            if review is None:
                review = ItemReview(application=application, item_code=code)
            review.adjusted_points = value
            review.updated_by = lead
            review.save()
        compare_and_set(
            application,
            expected_version,
            reviewed_total=result.total,
            reviewed_level=result.level,
            reviewed_bonus=result.bonus,
            consensus_at=now,
            consensus_reason=reason,
        )
        ReviewEvent.objects.create(
            application=application,
            actor=lead,
            action="consensus",
            from_state=application.state,
            to_state=application.state,
            reason=reason,
            internal=True,
            data={
                "experts": [
                    {"expert": s.expert.get_username(), "total": str(s.total)} for s in view.seats
                ],
                "spread": None if view.spread is None else str(view.spread),
                "total": str(result.total),
                "bonus": str(result.bonus),
                "level": result.level,
            },
            created_at=now,
        )
    return result
