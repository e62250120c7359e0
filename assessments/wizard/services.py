"""State changes of the self-assessment wizard: start, save a step, evidence, submit, stash."""

from __future__ import annotations

import copy
import hashlib
import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments import engine
from assessments.models import (
    Assessment,
    AssessmentChange,
    Evidence,
    SchemeVersion,
    StashedPost,
    Submission,
)
from assessments.submissions import create_submission
from portal.accounts.models import Enterprise
from portal.core.uploads import EVIDENCE, check_upload

from .forms import field_name, raw_from_answer, without_nul
from .steps import Plan, StepSpec, build_plan

STASH_LIFETIME = timedelta(days=2)


def plan_for(assessment: Assessment) -> Plan:
    return build_plan(assessment.scheme_version.engine_scheme)


def empty_state() -> dict[str, Any]:
    return {"step": None, "step_data": {}, "step_files": {}, "extra_data": {}}


# --------------------------------------------------------------------------- start


@lru_cache(maxsize=1)
def _item_maps() -> tuple[engine.ItemMap, ...]:
    return tuple(engine.load_item_map_file(p) for p in engine.builtin_item_map_files())


def item_map_for(source: SchemeVersion, target: SchemeVersion) -> engine.ItemMap | None:
    """The shipped item map from ``source`` to ``target``, if there is one."""
    for item_map in _item_maps():
        if item_map.source == (source.scheme.code, source.version) and item_map.target == (
            target.scheme.code,
            target.version,
        ):
            return item_map
    return None


def state_from_answers(plan: Plan, answers: Mapping[str, Any]) -> dict[str, Any]:
    """Wizard state whose step data shows ``answers`` (for carried-over and demo drafts)."""
    state = empty_state()
    for step in plan.steps:
        data = {
            field_name(step.key, spec.key): raw_from_answer(spec, answers[spec.key])
            for spec in step.fields
            if answers.get(spec.key) is not None
        }
        if data:
            state["step_data"][step.key] = data
    return state


@transaction.atomic
def start_assessment(
    *,
    enterprise: Enterprise,
    version: SchemeVersion,
    user,
    carry_from: Submission | None = None,
) -> tuple[Assessment, bool]:
    """The enterprise's open draft for the version's scheme, created if there is none.

    Starting again resumes the open draft (one per enterprise and scheme). With ``carry_from``
    (a submission under an older edition that has an item map to this version), the new draft
    is pre-filled through the map and the carried answers are marked "to confirm".
    """
    existing = (
        Assessment.objects.select_related("scheme_version__scheme")
        .filter(enterprise=enterprise, scheme=version.scheme, status=Assessment.Status.OPEN)
        .first()
    )
    if existing is not None:
        return existing, False
    if not version.is_published:
        raise ValidationError(_("This scheme version is not published."))
    plan = build_plan(version.engine_scheme)
    answers: dict[str, Any] = {}
    carried: list[str] = []
    if carry_from is not None:
        if carry_from.enterprise_id != enterprise.pk:
            raise ValidationError(_("That submission belongs to another enterprise."))
        item_map = item_map_for(carry_from.scheme_version, version)
        if item_map is None:
            raise ValidationError(_("Answers cannot be carried over between these schemes."))
        answers, carried = engine.map_answers(
            item_map, carry_from.answers, target=version.engine_scheme
        )
    state = state_from_answers(plan, answers)
    first = plan.visible_steps(answers)[0].key
    state["step"] = first
    try:
        with transaction.atomic():
            assessment = Assessment.objects.create(
                enterprise=enterprise,
                scheme=version.scheme,
                scheme_version=version,
                answers=answers,
                wizard_state=state,
                current_step=first,
                carried_from=carry_from,
                to_confirm=carried,
                created_by=user,
                updated_by=user,
            )
    except IntegrityError:  # another request started one at the same moment
        return (
            Assessment.objects.select_related("scheme_version__scheme").get(
                enterprise=enterprise, scheme=version.scheme, status=Assessment.Status.OPEN
            ),
            False,
        )
    return assessment, True


# --------------------------------------------------------------------------- save


@dataclass
class Change:
    key: str
    before: Any
    after: Any
    saved_by: str
    saved_at: Any


@dataclass
class SaveResult:
    saved: bool
    conflict: bool = False
    changes: list[Change] = field(default_factory=list)  # saved elsewhere since the page loaded


def changes_since(assessment: Assessment, revision: int) -> list[Change]:
    """Answers changed by saves after ``revision`` (one query), the latest value per key."""
    latest: dict[str, Change] = {}
    rows = (
        AssessmentChange.objects.filter(assessment=assessment, revision__gt=revision)
        .select_related("saved_by")
        .order_by("revision")
    )
    for row in rows:
        who = row.saved_by.get_username() if row.saved_by else ""
        for key, (before, after) in row.changes.items():
            first = latest.get(key)
            latest[key] = Change(key, first.before if first else before, after, who, row.saved_at)
    return [c for c in latest.values() if c.before != c.after]


def save_step(
    assessment: Assessment,
    *,
    step: StepSpec,
    raw: dict[str, list[str]],
    step_answers: dict[str, Any],
    current_step: str,
    base_revision: int,
    user,
    confirmed: bool = False,
    force: bool = False,
) -> SaveResult:
    """Store one step's input (valid or not) and its valid answers, with a revision check.

    ``base_revision`` is the revision the user's page was rendered from. When other saves came
    in since then and changed any answer of this step, nothing is saved and the changes are
    returned (``conflict``); changes elsewhere in the draft are merged and reported. ``force``
    is not used by the views; it lets trusted callers (demo data) skip the check.
    """
    changes: list[Change] = []
    if base_revision != assessment.revision and not force:
        changes = changes_since(assessment, base_revision)
        if {c.key for c in changes} & set(step.keys):
            return SaveResult(saved=False, conflict=True, changes=changes)
    before = dict(assessment.answers or {})
    after = {k: v for k, v in before.items() if k not in step.keys}
    after.update(step_answers)
    state = copy.deepcopy(assessment.wizard_state) or empty_state()
    if "step_data" not in state:
        state = empty_state()
    old_raw = state["step_data"].get(step.key)
    state["step_data"][step.key] = raw
    state["step"] = current_step
    to_confirm = list(assessment.to_confirm or [])
    if confirmed:
        to_confirm = [k for k in to_confirm if k not in step.keys]
    diff = {
        k: [before.get(k), after.get(k)]
        for k in sorted(set(before) | set(after))
        if before.get(k) != after.get(k)
    }
    changed = bool(diff) or old_raw != raw or to_confirm != list(assessment.to_confirm or [])
    now = timezone.now()
    fields: dict[str, Any] = {
        "wizard_state": state,
        "current_step": current_step,
        "updated_at": now,
        "updated_by": user,
    }
    if changed:
        fields.update(answers=after, to_confirm=to_confirm, revision=F("revision") + 1)
    with transaction.atomic():
        updated = Assessment.objects.filter(
            pk=assessment.pk, revision=assessment.revision, status=Assessment.Status.OPEN
        ).update(**fields)
        if not updated:
            fresh = Assessment.objects.get(pk=assessment.pk)
            return SaveResult(
                saved=False, conflict=True, changes=changes_since(fresh, assessment.revision)
            )
        if changed:
            AssessmentChange.objects.create(
                assessment=assessment,
                revision=assessment.revision + 1,
                step=step.key,
                changes=json.loads(json.dumps(diff, default=str)),
                saved_by=user,
            )
    if changed:
        assessment.revision += 1
        assessment.answers = after
        assessment.to_confirm = to_confirm
    assessment.wizard_state = state
    assessment.current_step = current_step
    assessment.updated_at = now
    assessment.updated_by = user
    return SaveResult(saved=True, changes=changes)


def move_to(assessment: Assessment, step_key: str, user) -> None:
    """Remember the step the user is on (no answers change; no revision bump)."""
    if assessment.current_step == step_key:
        return
    state = dict(assessment.wizard_state or empty_state())
    state["step"] = step_key
    Assessment.objects.filter(pk=assessment.pk, status=Assessment.Status.OPEN).update(
        current_step=step_key, wizard_state=state
    )
    assessment.current_step = step_key
    assessment.wizard_state = state


# --------------------------------------------------------------------------- evidence


def add_evidence(assessment: Assessment, item_code: str, upload, user) -> Evidence:
    """Check (size, content) and store one evidence file for an answer of the draft."""
    if assessment.status != Assessment.Status.OPEN:
        raise ValidationError(_("This self-assessment is closed."))
    if plan_for(assessment).field(item_code) is None:
        raise ValidationError(_("Unknown question."))
    checked = check_upload(upload, EVIDENCE, limit=settings.PORTAL_MAX_UPLOAD_BYTES)
    evidence = Evidence(
        assessment=assessment,
        item_code=item_code,
        original_name=checked.name,
        content_type=checked.content_type,
        size=len(checked.content),
        sha256=hashlib.sha256(checked.content).hexdigest(),
        uploaded_by=user,
    )
    evidence.file.save(checked.name, ContentFile(checked.content), save=False)
    evidence.save()
    return evidence


def delete_evidence(assessment: Assessment, evidence_id: int) -> bool:
    if assessment.status != Assessment.Status.OPEN:
        return False
    evidence = assessment.evidence.filter(pk=evidence_id).first()
    if evidence is None:
        return False
    evidence.file.delete(save=False)
    evidence.delete()
    return True


# --------------------------------------------------------------------------- submit


class NotReady(ValidationError):
    """The draft cannot be submitted yet (missing or unconfirmed answers)."""


def submit(assessment_id: int, *, enterprise: Enterprise, user, language: str) -> Submission:
    """Freeze the draft into a submission; idempotent (a repeated call returns the same one).

    The draft row is locked (SQLite serialises writers; PostgreSQL locks the row) and closed
    with a conditional update, and the submission's one-to-one link to the draft is unique,
    so a double click or a resent request can never create two submissions.
    """
    with transaction.atomic():
        assessment = (
            Assessment.objects.select_for_update()
            .select_related("scheme_version__scheme")
            .get(pk=assessment_id, enterprise=enterprise)
        )
        if assessment.status == Assessment.Status.SUBMITTED:
            return Submission.objects.get(assessment=assessment)
        if assessment.status != Assessment.Status.OPEN:
            raise NotReady(_("This self-assessment was abandoned."))
        scheme = assessment.scheme_version.engine_scheme
        errors = engine.validate_answers(scheme, assessment.answers, timezone.localdate())
        if errors:
            raise NotReady(_("Some answers are missing or invalid."))
        if assessment.to_confirm:
            raise NotReady(
                _("Some answers carried over from the earlier edition are not confirmed.")
            )
        closed = Assessment.objects.filter(pk=assessment.pk, status=Assessment.Status.OPEN).update(
            status=Assessment.Status.SUBMITTED,
            updated_at=timezone.now(),
            updated_by=user,
            revision=F("revision") + 1,
        )
        if not closed:
            return Submission.objects.get(assessment=assessment)
        try:
            with transaction.atomic():
                return create_submission(
                    assessment=assessment,
                    answers=assessment.answers,
                    user=user,
                    language=language,
                )
        except IntegrityError:
            pass
    return Submission.objects.get(assessment_id=assessment_id)


# --------------------------------------------------------------------------- session expiry


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_stash_token() -> str:
    return secrets.token_urlsafe(24)


# What a stash keeps besides the step's own fields: the wizard's buttons and revision.
STASH_CONTROL_FIELDS = ("wizard-current_step", "wizard_action", "wizard_goto_step", "revision")


def stash_data(plan: Plan, step: str, data: Mapping[str, list[str]]) -> dict[str, list[str]] | None:
    """The part of a posted step worth keeping, or None when it is not a step or too big.

    Only the step's own fields and the wizard's buttons are kept (other keys are dropped),
    and the whole must fit in ``WIZARD_STASH_MAX_BYTES`` of JSON.
    """
    try:
        spec = plan.step(step)
    except KeyError:
        return None
    allowed = set(STASH_CONTROL_FIELDS) | {field_name(spec.key, key) for key in spec.keys}
    kept = {
        key: [without_nul(str(v)) for v in values] for key, values in data.items() if key in allowed
    }
    size = len(json.dumps(kept, ensure_ascii=False).encode())
    if size > settings.WIZARD_STASH_MAX_BYTES:
        return None
    return kept


def stash_post(
    assessment: Assessment, step: str, data: Mapping[str, list[str]], *, browser: str
) -> str | None:
    """Keep answers posted after the session expired; return the one-time token.

    At most one stash per draft and browser session (``browser``, from the signed cookie of
    a session that opened the draft): a new post replaces the previous one. None when the
    post is not a step of the draft or too big to keep.
    """
    StashedPost.objects.filter(created_at__lt=timezone.now() - STASH_LIFETIME).delete()
    kept = stash_data(plan_for(assessment), step, data)
    if kept is None:
        return None
    token = new_stash_token()
    with transaction.atomic():
        StashedPost.objects.update_or_create(
            assessment=assessment,
            browser_hash=_hash(browser),
            defaults={
                "token_hash": _hash(token),
                "step": step,
                "data": kept,
                "created_at": timezone.now(),
            },
        )
    return token


def take_stash(token: str, assessment: Assessment) -> StashedPost | None:
    """The stash for ``token`` and ``assessment`` (deleted: usable once), or None."""
    with transaction.atomic():
        stash = (
            StashedPost.objects.select_for_update()
            .filter(
                token_hash=_hash(token),
                assessment=assessment,
                created_at__gte=timezone.now() - STASH_LIFETIME,
            )
            .first()
        )
        if stash is not None:
            StashedPost.objects.filter(pk=stash.pk).delete()
    return stash
