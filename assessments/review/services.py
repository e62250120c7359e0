"""Changes to applications: applying (with the required materials), assignment, item reviews
(points, bonus and veto decisions, internal notes, messages to the firm), requests for changes,
resubmission, the formal check of materials, conflict-of-interest declarations, notes and
messages, and decisions (via the state machine).

Expert panels are in :mod:`assessments.review.panel`, the public notice's objections in
:mod:`assessments.review.publicity`, the dossier in :mod:`assessments.review.dossier`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from assessments import engine
from assessments.engine.adjust import AdjustmentError, adjust, keys_for, reviewable_codes
from assessments.models import Evidence, Submission
from assessments.review import calendar, eligibility, notifications, permissions
from assessments.review.errors import ConcurrentChange, PermissionRefused, TransitionError
from assessments.review.models import (
    Application,
    ApplicationFile,
    ChangeRequest,
    ConflictOfInterest,
    ExpertAssignment,
    ItemReview,
    MaterialCheck,
    Programme,
    RequiredMaterial,
    ReviewEvent,
    State,
)
from assessments.review.sorting import sort_name
from assessments.review.transitions import (
    add_note,
    compare_and_set,
    current_files,
    expected_due_on,
    perform,
    reviewer_refusal,
)
from assessments.submissions import freeze_answers
from portal.accounts import roles
from portal.accounts.models import User
from portal.accounts.selectors import enterprise_for
from portal.core.uploads import CheckedUpload

REVIEWABLE_STATES = frozenset({State.FORMAL_CHECK, State.EXPERT_REVIEW})
Decision = ItemReview.Decision
MAX_CHANGE_DAYS = 365


def _store_file(
    application: Application,
    kind: str,
    upload: CheckedUpload,
    user: User | None,
    material: RequiredMaterial | None = None,
) -> ApplicationFile:
    item = ApplicationFile(
        application=application,
        kind=kind,
        material=material,
        original_name=upload.name,
        content_type=upload.content_type,
        size=len(upload.content),
        sha256=hashlib.sha256(upload.content).hexdigest(),
        uploaded_by=user,
    )
    item.file.save(upload.name, ContentFile(upload.content), save=True)
    return item


def _stale() -> ConcurrentChange:
    return ConcurrentChange(
        _(
            "Someone else changed this application while you were looking at it. "
            "Reload the page to see the current state, then try again."
        )
    )


# --------------------------------------------------------------------------- applying


def apply(
    user: User,
    programme: Programme,
    submission: Submission,
    materials: Mapping[str, CheckedUpload] | None = None,
) -> Application:
    """Apply to ``programme`` with ``submission`` as a member of the user's enterprise.

    ``materials`` maps material codes to checked uploads; every required material is needed.
    """
    enterprise = enterprise_for(user)
    if enterprise is None:
        raise PermissionRefused(_("Only members of an enterprise may apply."))
    reasons = eligibility.check(programme, enterprise, submission)
    if reasons:
        raise TransitionError(" ".join(reasons))
    materials = dict(materials or {})
    wanted = {m.code: m for m in programme.materials.all()}
    unknown = sorted(set(materials) - set(wanted))
    if unknown:
        raise TransitionError(_("Unknown materials: %(codes)s.") % {"codes": ", ".join(unknown)})
    missing = [m.title for code, m in wanted.items() if m.required and code not in materials]
    if missing:
        raise TransitionError(
            _("Upload every required material (missing: %(items)s).")
            % {"items": "; ".join(missing)}
        )
    today = timezone.localdate()
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
                sort_name=sort_name(enterprise.name),
                due_on=expected_due_on(programme, State.SUBMITTED, today),
            )
            sent = []
            for code, upload in materials.items():
                stored = _store_file(
                    application, ApplicationFile.Kind.MATERIAL, upload, user, wanted[code]
                )
                sent.append({"material": code, "file": stored.original_name, "pk": stored.pk})
            event = ReviewEvent.objects.create(
                application=application,
                actor=user,
                action="apply",
                from_state="",
                to_state=State.SUBMITTED,
                data={"submission": submission.pk, "materials": sent},
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


@dataclass(frozen=True)
class BulkResult:
    done: list[Application]
    refused: list[tuple[Application, str]]


def bulk_assign(applications: Iterable[Application], assignee: User, actor: User) -> BulkResult:
    """Assign several applications at once; each is assigned or refused with its reason."""
    done, refused = [], []
    for application in applications:
        try:
            assign(application, assignee, actor, application.version)
        except TransitionError as err:
            refused.append((application, str(err)))
        else:
            done.append(application)
    return BulkResult(done, refused)


def declare_conflict(application: Application, reviewer: User, note: str) -> ConflictOfInterest:
    """Record the declaration; the reviewer is unassigned (and leaves the expert panel) and may
    no longer act."""
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
        left_panel = ExpertAssignment.objects.filter(
            application=application, expert=reviewer
        ).delete()[0]
        compare_and_set(application, application.version, **fields)
        ReviewEvent.objects.create(
            application=application,
            actor=reviewer,
            action="conflict_declared",
            from_state=application.state,
            to_state=application.state,
            reason=note.strip(),
            internal=True,
            data={"left_panel": bool(left_panel)},
        )
    return declaration


# --------------------------------------------------------------------------- item reviews


@dataclass(frozen=True)
class ItemInput:
    """What a reviewer enters for one item.

    ``points``: adjusted points of a scored item (None: the engine's). ``decision``: for a bonus
    item "accepted" or "struck", for a veto item "confirmed" or "raised" ("" for none), with
    ``decision_reason`` (needed to strike a bonus or raise a veto). ``note`` is internal;
    ``message`` goes to the firm.
    """

    points: Decimal | None = None
    note: str = ""
    message: str = ""
    decision: str = ""
    decision_reason: str = ""


def overrides_for(application: Application) -> dict[str, Decimal]:
    return {
        r.item_code: r.adjusted_points
        for r in application.item_reviews.all()
        if r.adjusted_points is not None
    }


def answer_changes(decisions: Mapping[str, str], scheme: engine.Scheme) -> dict[str, bool]:
    """The answers the reviewer's bonus and veto decisions change (code → reviewed answer)."""
    bonus = {b.code for b in scheme.bonus.items} if scheme.bonus else set()
    vetoes = {v.code for v in scheme.vetoes}
    out = {}
    for code, decision in decisions.items():
        if code in bonus and decision == Decision.STRUCK:
            out[code] = False
        elif code in vetoes and decision == Decision.RAISED:
            out[code] = True
    return out


def decisions_for(application: Application) -> dict[str, str]:
    return {r.item_code: r.decision for r in application.item_reviews.all() if r.decision}


def reviewed_answers(
    application: Application, decisions: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """The firm's answers with the reviewer's bonus and veto decisions applied."""
    submission = application.submission
    scheme = submission.scheme_version.engine_scheme
    changes = answer_changes(decisions_for(application) if decisions is None else decisions, scheme)
    return {**submission.answers, **changes}


def adjusted_result(
    application: Application,
    overrides: Mapping[str, Any] | None = None,
    decisions: Mapping[str, str] | None = None,
) -> engine.Result:
    """The engine result of the current submission with the reviewer's item points and bonus
    and veto decisions applied (re-scored with the scheme's own rules)."""
    submission = application.submission
    return adjust(
        submission.scheme_version.engine_scheme,
        reviewed_answers(application, decisions),
        submission.assessed_on,
        overrides_for(application) if overrides is None else overrides,
    )


def _check_decision(scheme: engine.Scheme, answers: Mapping[str, Any], code: str, item: ItemInput):
    bonus = {b.code for b in scheme.bonus.items} if scheme.bonus else set()
    vetoes = {v.code for v in scheme.vetoes}
    if not item.decision:
        return
    if code in bonus:
        if item.decision not in (Decision.ACCEPTED, Decision.STRUCK):
            raise TransitionError(
                _("Bonus item %(code)s: accept or strike it out.") % {"code": code}
            )
        if not answers.get(code):
            raise TransitionError(
                _("Bonus item %(code)s was not claimed by the firm; there is nothing to decide.")
                % {"code": code}
            )
        if item.decision == Decision.STRUCK and not item.decision_reason.strip():
            raise TransitionError(
                _("Give the reason for striking out bonus item %(code)s.") % {"code": code}
            )
    elif code in vetoes:
        if item.decision not in (Decision.CONFIRMED, Decision.RAISED):
            raise TransitionError(_("Veto item %(code)s: confirm or raise it.") % {"code": code})
        if item.decision == Decision.RAISED and not item.decision_reason.strip():
            raise TransitionError(
                _("Give the reason for raising veto item %(code)s.") % {"code": code}
            )
    else:
        raise TransitionError(
            _("Item %(code)s is scored: adjust its points instead.") % {"code": code}
        )


def _reviewed_fields(result: engine.Result | None) -> dict[str, Any]:
    """The application's reviewed figures (cleared when nothing was reviewed)."""
    return {
        "reviewed_total": result.total if result else None,
        "reviewed_level": result.level if result else "",
        "reviewed_bonus": result.bonus if result else None,
    }


def save_item_reviews(
    application: Application,
    actor: User,
    reviews: Mapping[str, ItemInput],
    expected_version: int,
) -> engine.Result:
    """Store points, decisions, notes and messages per item; re-score; return the result."""
    why = reviewer_refusal(application, actor)
    if why:
        raise PermissionRefused(why)
    if application.state not in REVIEWABLE_STATES:
        raise TransitionError(
            _("Items can be reviewed during the formal check and the expert review only.")
        )
    scheme = application.submission.scheme_version.engine_scheme
    answers = application.submission.answers
    known = set(reviewable_codes(scheme))
    with transaction.atomic():
        existing = {r.item_code: r for r in application.item_reviews.all()}
        overrides = overrides_for(application)
        decisions = decisions_for(application)
        changes = {}
        for code, item in reviews.items():
            if code not in known:
                raise TransitionError(_("Unknown items: %(items)s.") % {"items": code})
            _check_decision(scheme, answers, code, item)
            review = existing.get(code)
            old = (
                (
                    review.adjusted_points,
                    review.note,
                    review.message,
                    review.decision,
                    review.decision_reason,
                )
                if review
                else (None, "", "", "", "")
            )
            new = (item.points, item.note, item.message, item.decision, item.decision_reason)
            if old == new:
                continue
            changes[code] = {
                "points": None if item.points is None else str(item.points),
                "note": item.note,
                "message": item.message,
                "decision": item.decision,
                "decision_reason": item.decision_reason,
            }
            if item.points is None:
                overrides.pop(code, None)
            else:
                overrides[code] = item.points
            if item.decision:
                decisions[code] = item.decision
            else:
                decisions.pop(code, None)
        try:
            result = adjusted_result(application, overrides, decisions)
        except AdjustmentError as err:
            raise TransitionError(
                _("Item %(code)s: the points must be between 0 and the item's maximum.")
                % {"code": err.code}
            ) from None
        for code in changes:
            item = reviews[code]
            ItemReview.objects.update_or_create(
                application=application,
                item_code=code,
                defaults={
                    "adjusted_points": item.points,
                    "note": item.note,
                    "message": item.message,
                    "decision": item.decision,
                    "decision_reason": item.decision_reason,
                    "updated_by": actor,
                },
            )
        reviewed = bool(overrides) or bool(answer_changes(decisions, scheme))
        compare_and_set(
            application, expected_version, **_reviewed_fields(result if reviewed else None)
        )
        if changes:
            ReviewEvent.objects.create(
                application=application,
                actor=actor,
                action="items_reviewed",
                from_state=application.state,
                to_state=application.state,
                internal=True,
                data={
                    "items": changes,
                    "total": str(result.total),
                    "bonus": str(result.bonus),
                    "level": result.level,
                },
            )
    return result


# --------------------------------------------------------------------------- requests for changes


def default_deadline(application: Application, today: dt.date | None = None) -> dt.date:
    programme = application.programme
    return calendar.period_end(
        programme, today or timezone.localdate(), programme.change_request_days or 15
    )


def request_changes(
    application: Application,
    actor: User,
    codes: Iterable[str],
    messages: Mapping[str, str],
    reason: str,
    expected_version: int,
    *,
    deadline: dt.date | None = None,
    materials: Iterable[str] = (),
    note: str = "",
) -> ReviewEvent:
    """Return the application (补正) with only the named items and materials reopened, what is
    needed (``reason``, sent to the firm) and a deadline (default: the programme's)."""
    codes = list(dict.fromkeys(codes))
    materials = list(dict.fromkeys(materials))
    if not codes and not materials:
        raise TransitionError(_("Name at least one item or material the firm must change."))
    scheme = application.submission.scheme_version.engine_scheme
    known = set(reviewable_codes(scheme))
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise TransitionError(_("Unknown items: %(items)s.") % {"items": ", ".join(unknown)})
    wanted = {m.code for m in application.programme.materials.all()}
    unknown = [c for c in materials if c not in wanted]
    if unknown:
        raise TransitionError(_("Unknown materials: %(codes)s.") % {"codes": ", ".join(unknown)})
    today = timezone.localdate()
    deadline = deadline or default_deadline(application, today)
    if deadline <= today or deadline > today + dt.timedelta(days=MAX_CHANGE_DAYS):
        raise TransitionError(_("The deadline must be after today and within a year."))
    with transaction.atomic():
        event = perform(
            application,
            "return",
            actor,
            reason=reason,
            expected_version=expected_version,
            data={
                "items": codes,
                "keys": list(keys_for(scheme, codes)),
                "materials": materials,
                "deadline": deadline.isoformat(),
            },
            updates={"due_on": deadline},
            note=note,
        )
        application.change_requests.filter(closed_at__isnull=True).update(closed_at=timezone.now())
        ChangeRequest.objects.create(
            application=application,
            items=codes,
            materials=materials,
            message=reason.strip(),
            deadline=deadline,
            created_by=actor,
        )
        application.item_reviews.exclude(item_code__in=codes).update(reopened=False)
        for code in codes:
            message = (messages.get(code) or "").strip()
            review, _created = ItemReview.objects.get_or_create(
                application=application, item_code=code, defaults={"updated_by": actor}
            )
            review.reopened = True
            if message:
                review.message = message
            review.updated_by = actor
            review.save()
    return event


def open_change_request(application: Application) -> ChangeRequest | None:
    return application.change_requests.filter(closed_at__isnull=True).first()


def reopened_codes(application: Application) -> list[str]:
    return [r.item_code for r in application.item_reviews.all() if r.reopened]


def reopened_keys(application: Application) -> tuple[str, ...]:
    scheme = application.submission.scheme_version.engine_scheme
    return keys_for(scheme, reopened_codes(application))


def reopened_materials(application: Application) -> list[RequiredMaterial]:
    request = open_change_request(application)
    codes = set(request.materials) if request else set()
    return [m for m in application.programme.materials.all() if m.code in codes]


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
    materials: Mapping[str, CheckedUpload] | None = None,
) -> ReviewEvent:
    """The firm's amended answers for the reopened items only; a new submission is frozen.

    ``evidence`` maps reopened item codes to checked uploads
    (:class:`~portal.core.uploads.CheckedUpload`) added to the new submission's evidence;
    ``materials`` maps reopened material codes to new files.

    Raises :class:`~assessments.engine.InvalidAnswers` when the amended answers do not validate.
    """
    allowed = set(reopened_keys(application))
    evidence = dict(evidence or {})
    materials = dict(materials or {})
    reopened_material = {m.code: m for m in reopened_materials(application)}
    refused = sorted(
        (set(changed) - allowed)
        | (set(evidence) - set(reopened_codes(application)))
        | (set(materials) - set(reopened_material))
    )
    if refused:
        raise PermissionRefused(
            _("Only the reopened answers may be changed (not %(keys)s).")
            % {"keys": ", ".join(refused)}
        )
    if application.version != expected_version:
        raise _stale()
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
            added.append({"item": code, "file": upload.name, "sha256": item.sha256, "pk": item.pk})
        sent = []
        for code, upload in materials.items():
            stored = _store_file(
                application, ApplicationFile.Kind.MATERIAL, upload, user, reopened_material[code]
            )
            sent.append({"material": code, "file": stored.original_name, "pk": stored.pk})
        # Adjusted points and decisions on the reopened items no longer apply to the new answers.
        application.item_reviews.filter(item_code__in=codes).update(
            reopened=False, adjusted_points=None, decision="", decision_reason=""
        )
        application.change_requests.filter(closed_at__isnull=True).update(closed_at=timezone.now())
        overrides = overrides_for(application)
        updates: dict[str, Any] = {"submission": new}
        application.submission = new
        decisions = decisions_for(application)
        scheme = new.scheme_version.engine_scheme
        if overrides or answer_changes(decisions, scheme):
            result = adjusted_result(application, overrides, decisions)
            updates.update(_reviewed_fields(result))
        else:
            updates.update(_reviewed_fields(None))
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
                "materials": sent,
            },
            updates=updates,
        )


# --------------------------------------------------------------------------- materials


def check_materials(
    application: Application,
    actor: User,
    results: Mapping[int, tuple[str, str]],
    expected_version: int,
) -> list[MaterialCheck]:
    """The formal check of materials: material id → (complete/incomplete, reason).

    An incomplete material needs a reason. The check refers to the file it saw, so a newer
    upload needs checking again.
    """
    why = reviewer_refusal(application, actor)
    if why:
        raise PermissionRefused(why)
    if application.state != State.FORMAL_CHECK:
        raise TransitionError(_("Materials are checked during the formal check."))
    materials = {m.pk: m for m in application.programme.materials.all()}
    files = current_files(application)
    stored = []
    with transaction.atomic():
        compare_and_set(application, expected_version)
        logged = {}
        for material_id, (status, reason) in results.items():
            material = materials.get(material_id)
            if material is None:
                raise TransitionError(_("Unknown material."))
            if status not in MaterialCheck.Status.values:
                continue
            reason = (reason or "").strip()
            if status == MaterialCheck.Status.INCOMPLETE and not reason:
                raise TransitionError(
                    _("Say what is missing from “%(material)s”.") % {"material": material.title}
                )
            if status == MaterialCheck.Status.COMPLETE and material_id not in files:
                raise TransitionError(
                    _("“%(material)s” was not uploaded; it cannot be complete.")
                    % {"material": material.title}
                )
            check, _created = MaterialCheck.objects.update_or_create(
                application=application,
                material=material,
                defaults={
                    "status": status,
                    "reason": reason,
                    "file": files.get(material_id),
                    "checked_by": actor,
                },
            )
            stored.append(check)
            logged[material.code] = {"status": status, "reason": reason}
        if logged:
            ReviewEvent.objects.create(
                application=application,
                actor=actor,
                action="materials_checked",
                from_state=application.state,
                to_state=application.state,
                internal=True,
                data={"materials": logged},
            )
    return stored


# --------------------------------------------------------------------------- notes and messages


def note(application: Application, actor: User, text: str) -> ReviewEvent:
    """An internal note in the audit trail (reviewers in scope; the firm never sees it)."""
    why = reviewer_refusal(application, actor, assigned=False)
    if why:
        raise PermissionRefused(why)
    if not (text or "").strip():
        raise TransitionError(_("Write the note first."))
    return add_note(application, actor, text)


def message_firm(application: Application, actor: User, text: str) -> ReviewEvent:
    """A message to the firm (shown on its application page and e-mailed to its members)."""
    why = reviewer_refusal(application, actor)
    if why:
        raise PermissionRefused(why)
    if not (text or "").strip():
        raise TransitionError(_("Write the message first."))
    with transaction.atomic():
        event = ReviewEvent.objects.create(
            application=application,
            actor=actor,
            action="message",
            from_state=application.state,
            to_state=application.state,
            reason=text.strip(),
        )
        notifications.state_changed(application, event)
    return event


# --------------------------------------------------------------------------- reconsideration


def request_reconsideration(
    application: Application,
    user: User,
    reason: str,
    expected_version: int,
    evidence: Iterable[CheckedUpload] = (),
) -> ReviewEvent:
    """A rejected firm asks for reconsideration (复议) with its reasons and evidence."""
    evidence = list(evidence)
    with transaction.atomic():
        sent = []
        for upload in evidence:
            stored = _store_file(application, ApplicationFile.Kind.RECONSIDERATION, upload, user)
            sent.append({"file": stored.original_name, "pk": stored.pk})
        return perform(
            application,
            "request_reconsideration",
            user,
            reason=reason,
            expected_version=expected_version,
            data={"evidence": sent},
        )


# --------------------------------------------------------------------------- decisions


def decide(
    application: Application,
    action: str,
    user: User,
    reason: str,
    expected_version: int,
    *,
    override_reason: str = "",
    note: str = "",
) -> ReviewEvent:
    """A reviewer's or lead reviewer's transition (formal check, recommendation, notice, …)."""
    return perform(
        application,
        action,
        user,
        reason=reason,
        expected_version=expected_version,
        override_reason=override_reason,
        note=note,
    )
