"""Changes to applications: applying, assignment, item reviews, requests for changes,
resubmission, conflict-of-interest declarations and decisions (via the state machine)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from assessments import engine
from assessments.engine.adjust import AdjustmentError, adjust, keys_for, reviewable_codes
from assessments.models import Evidence, Submission
from assessments.review import eligibility, notifications, permissions
from assessments.review.errors import ConcurrentChange, PermissionRefused, TransitionError
from assessments.review.models import (
    Application,
    ConflictOfInterest,
    ItemReview,
    Programme,
    ReviewEvent,
    State,
)
from assessments.review.transitions import compare_and_set, perform, reviewer_refusal
from assessments.submissions import freeze_answers
from portal.accounts import roles
from portal.accounts.models import User
from portal.accounts.selectors import enterprise_for

REVIEWABLE_STATES = frozenset({State.FORMAL_CHECK, State.EXPERT_REVIEW})


# --------------------------------------------------------------------------- applying


def apply(user: User, programme: Programme, submission: Submission) -> Application:
    """Apply to ``programme`` with ``submission`` as a member of the user's enterprise."""
    enterprise = enterprise_for(user)
    if enterprise is None:
        raise PermissionRefused(_("Only members of an enterprise may apply."))
    reasons = eligibility.check(programme, enterprise, submission)
    if reasons:
        raise TransitionError(" ".join(reasons))
    try:
        with transaction.atomic():
            application = Application.objects.create(
                programme=programme,
                enterprise=enterprise,
                submission=submission,
                original_submission=submission,
                state=State.SUBMITTED,
                created_by=user,
                language=get_language() or "zh-hans",
            )
            event = ReviewEvent.objects.create(
                application=application,
                actor=user,
                action="apply",
                from_state="",
                to_state=State.SUBMITTED,
                data={"submission": submission.pk},
            )
            notifications.state_changed(application, event)
    except IntegrityError:
        raise TransitionError(
            _("Your enterprise already has an application to this programme.")
        ) from None
    return application


def withdraw(application: Application, user: User, reason: str = "", expected_version=None):
    return perform(application, "withdraw", user, reason=reason, expected_version=expected_version)


# --------------------------------------------------------------------------- assignment


def assign(
    application: Application, assignee: User | None, actor: User, expected_version: int
) -> ReviewEvent:
    """Assign to ``assignee``: yourself, or anyone in scope when you are a lead reviewer.

    ``assignee=None`` releases the application (its assignee or a lead reviewer may do that).
    """
    if application.is_final:
        raise TransitionError(_("A decided application cannot be reassigned."))
    if not permissions.in_scope(actor, application):
        raise PermissionRefused(_("This application is outside your review scope."))
    if permissions.has_conflict(actor, application):
        raise PermissionRefused(
            _("You declared a conflict of interest for this application and cannot act on it.")
        )
    lead = roles.is_lead(actor)
    if assignee is None:
        if application.assignee_id != actor.pk and not lead:
            raise PermissionRefused(_("Only a lead reviewer may assign applications to others."))
    elif assignee.pk == actor.pk:
        if application.assignee_id not in (None, actor.pk) and not lead:
            raise PermissionRefused(_("This application is assigned to another reviewer."))
    else:
        if not lead:
            raise PermissionRefused(_("Only a lead reviewer may assign applications to others."))
        if not permissions.in_scope(assignee, application):
            raise PermissionRefused(
                _("%(user)s cannot review applications from this region.")
                % {"user": assignee.get_username()}
            )
        if permissions.has_conflict(assignee, application):
            raise PermissionRefused(
                _("%(user)s declared a conflict of interest for this application.")
                % {"user": assignee.get_username()}
            )
    with transaction.atomic():
        previous = application.assignee
        compare_and_set(application, expected_version, assignee=assignee)
        event = ReviewEvent.objects.create(
            application=application,
            actor=actor,
            action="assign" if assignee else "unassign",
            from_state=application.state,
            to_state=application.state,
            data={
                "assignee": assignee.get_username() if assignee else None,
                "previous": previous.get_username() if previous else None,
            },
        )
        if assignee is not None:
            notifications.assigned(application, assignee, actor)
    return event


def declare_conflict(application: Application, reviewer: User, note: str) -> ConflictOfInterest:
    """Record the declaration; the reviewer is unassigned and may no longer act."""
    if not permissions.in_scope(reviewer, application):
        raise PermissionRefused(_("This application is outside your review scope."))
    with transaction.atomic():
        declaration, created = ConflictOfInterest.objects.get_or_create(
            application=application, reviewer=reviewer, defaults={"note": note.strip()}
        )
        application.__dict__.pop("_review_conflicts", None)
        if not created:
            return declaration
        fields: dict[str, Any] = {}
        if application.assignee_id == reviewer.pk:
            fields["assignee"] = None
        compare_and_set(application, application.version, **fields)
        ReviewEvent.objects.create(
            application=application,
            actor=reviewer,
            action="conflict_declared",
            from_state=application.state,
            to_state=application.state,
            reason=note.strip(),
        )
    return declaration


# --------------------------------------------------------------------------- item reviews


def overrides_for(application: Application) -> dict[str, Decimal]:
    return {
        r.item_code: r.adjusted_points
        for r in application.item_reviews.all()
        if r.adjusted_points is not None
    }


def adjusted_result(
    application: Application, overrides: Mapping[str, Any] | None = None
) -> engine.Result:
    """The engine result of the current submission with the reviewer's item points applied."""
    submission = application.submission
    return adjust(
        submission.scheme_version.engine_scheme,
        submission.answers,
        submission.assessed_on,
        overrides_for(application) if overrides is None else overrides,
    )


def save_item_reviews(
    application: Application,
    actor: User,
    reviews: Mapping[str, tuple[Decimal | None, str]],
    expected_version: int,
) -> engine.Result:
    """Store adjusted points and comments per item; re-score; returns the adjusted result."""
    why = reviewer_refusal(application, actor)
    if why:
        raise PermissionRefused(why)
    if application.state not in REVIEWABLE_STATES:
        raise TransitionError(
            _("Items can be reviewed during the formal check and the expert review only.")
        )
    with transaction.atomic():
        existing = {r.item_code: r for r in application.item_reviews.all()}
        overrides = overrides_for(application)
        changes = {}
        for code, (points, comment) in reviews.items():
            review = existing.get(code)
            old = (review.adjusted_points, review.comment) if review else (None, "")
            if old == (points, comment):
                continue
            changes[code] = {
                "points": None if points is None else str(points),
                "comment": comment,
            }
            if points is None:
                overrides.pop(code, None)
            else:
                overrides[code] = points
        try:
            result = adjusted_result(application, overrides)
        except AdjustmentError as err:
            raise TransitionError(
                _("Item %(code)s: the points must be between 0 and the item's maximum.")
                % {"code": err.code}
            ) from None
        for code in changes:
            points, comment = reviews[code]
            ItemReview.objects.update_or_create(
                application=application,
                item_code=code,
                defaults={"adjusted_points": points, "comment": comment, "updated_by": actor},
            )
        compare_and_set(
            application,
            expected_version,
            reviewed_total=result.total if overrides else None,
            reviewed_level=result.level if overrides else "",
        )
        if changes:
            ReviewEvent.objects.create(
                application=application,
                actor=actor,
                action="items_reviewed",
                from_state=application.state,
                to_state=application.state,
                data={"items": changes, "total": str(result.total), "level": result.level},
            )
    return result


def request_changes(
    application: Application,
    actor: User,
    codes: Iterable[str],
    comments: Mapping[str, str],
    reason: str,
    expected_version: int,
) -> ReviewEvent:
    """Return the application with only the named items reopened for the firm."""
    codes = list(dict.fromkeys(codes))
    if not codes:
        raise TransitionError(_("Name at least one item the firm must change."))
    scheme = application.submission.scheme_version.engine_scheme
    known = set(reviewable_codes(scheme))
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise TransitionError(_("Unknown items: %(items)s.") % {"items": ", ".join(unknown)})
    with transaction.atomic():
        event = perform(
            application,
            "return",
            actor,
            reason=reason,
            expected_version=expected_version,
            data={"items": codes, "keys": list(keys_for(scheme, codes))},
        )
        application.item_reviews.exclude(item_code__in=codes).update(reopened=False)
        for code in codes:
            comment = (comments.get(code) or "").strip()
            review, _created = ItemReview.objects.get_or_create(
                application=application, item_code=code, defaults={"updated_by": actor}
            )
            review.reopened = True
            if comment:
                review.comment = comment
            review.updated_by = actor
            review.save()
    return event


def reopened_codes(application: Application) -> list[str]:
    return [r.item_code for r in application.item_reviews.all() if r.reopened]


def reopened_keys(application: Application) -> tuple[str, ...]:
    scheme = application.submission.scheme_version.engine_scheme
    return keys_for(scheme, reopened_codes(application))


def _freeze(application: Application, answers: dict, user: User) -> Submission:
    """A new immutable submission with the amended answers (the old one stays as it was)."""
    old = application.submission
    submission = freeze_answers(
        enterprise=application.enterprise,
        version=old.scheme_version,
        answers=answers,
        user=user,
        language=old.language,
        carried_from=old,
    )
    # Evidence files stay where they are; the new assessment refers to the same stored files.
    for evidence in Evidence.objects.filter(assessment_id=old.assessment_id):
        evidence.pk = None
        evidence.assessment = submission.assessment
        evidence.save()
    return submission


def resubmit(
    application: Application,
    user: User,
    changed: Mapping[str, Any],
    expected_version: int,
    comment: str = "",
    evidence: Mapping[str, Any] | None = None,
) -> ReviewEvent:
    """The firm's amended answers for the reopened items only; a new submission is frozen.

    ``evidence`` maps reopened item codes to checked uploads
    (:class:`~portal.core.uploads.CheckedUpload`) added to the new submission's evidence.

    Raises :class:`~assessments.engine.InvalidAnswers` when the amended answers do not validate.
    """
    allowed = set(reopened_keys(application))
    evidence = dict(evidence or {})
    refused = sorted((set(changed) - allowed) | (set(evidence) - set(reopened_codes(application))))
    if refused:
        raise PermissionRefused(
            _("Only the reopened answers may be changed (not %(keys)s).")
            % {"keys": ", ".join(refused)}
        )
    if application.version != expected_version:
        raise ConcurrentChange(
            _(
                "Someone else changed this application while you were looking at it. "
                "Reload the page to see the current state, then try again."
            )
        )
    old = application.submission
    answers = dict(old.answers)
    diff = {}
    for key, value in changed.items():
        if value is None:
            if key in answers:
                diff[key] = {"old": answers.pop(key), "new": None}
        elif answers.get(key) != value:
            diff[key] = {"old": answers.get(key), "new": value}
            answers[key] = value
    with transaction.atomic():
        codes = reopened_codes(application)
        new = _freeze(application, answers, user) if diff or evidence else old
        added = []
        for code, upload in evidence.items():
            item = Evidence(
                assessment=new.assessment,
                item_code=code,
                original_name=upload.name,
                content_type=upload.content_type,
                size=len(upload.content),
                sha256=hashlib.sha256(upload.content).hexdigest(),
                uploaded_by=user,
            )
            item.file.save(upload.name, ContentFile(upload.content), save=True)
            added.append({"item": code, "file": upload.name, "sha256": item.sha256})
        # Adjusted points on the reopened items no longer apply to the new answers.
        application.item_reviews.filter(item_code__in=codes).update(
            reopened=False, adjusted_points=None
        )
        overrides = overrides_for(application)
        updates: dict[str, Any] = {"submission": new}
        if overrides:
            application.submission = new
            result = adjusted_result(application, overrides)
            updates.update(reviewed_total=result.total, reviewed_level=result.level)
        else:
            updates.update(reviewed_total=None, reviewed_level="")
        return perform(
            application,
            "resubmit",
            user,
            reason=comment,
            expected_version=expected_version,
            data={
                "items": codes,
                "changes": json.loads(engine.dumps(diff)),
                "previous_submission": old.pk,
                "submission": new.pk,
                "evidence": added,
            },
            updates=updates,
        )


def decide(
    application: Application, action: str, user: User, reason: str, expected_version: int
) -> ReviewEvent:
    """A reviewer's or lead reviewer's transition (formal check, recommendation, notice, …)."""
    return perform(application, action, user, reason=reason, expected_version=expected_version)
