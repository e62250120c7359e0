"""State changes of the self-assessment wizard: start, save a step, evidence, submit, stash."""

from __future__ import annotations

import copy
import hashlib
import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
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
from assessments.schemes.selectors import SchemeRetired, engine_scheme, version_for_new_drafts
from assessments.submissions import create_submission
from portal.accounts.models import Enterprise
from portal.core.uploads import EVIDENCE, check_upload

from . import carry
from .facts import fact_answers, fact_keys
from .forms import field_name, raw_from_answer, without_nul
from .steps import Plan, StepSpec, build_plan

STASH_LIFETIME = timedelta(days=2)


def plan_for(assessment: Assessment) -> Plan:
    return build_plan(assessment.scheme_version.engine_scheme)


def empty_state() -> dict[str, Any]:
    return {"step": None, "step_data": {}, "step_files": {}, "extra_data": {}}


# --------------------------------------------------------------------------- start


def _ref(version: SchemeVersion) -> carry.Ref:
    return (version.scheme.code, version.version)


def item_map_for(source: SchemeVersion, target: SchemeVersion) -> engine.ItemMap | None:
    """The shipped item map from ``source`` straight to ``target``, if there is one."""
    shipped = carry.map_between(_ref(source), _ref(target))
    return shipped.item_map if shipped else None


def can_carry(source: SchemeVersion, target: SchemeVersion) -> bool:
    """Whether answers of ``source`` can be carried into ``target`` (same version, or maps)."""
    return carry.map_path(_ref(source), _ref(target)) is not None


def _schemes_on(path: list[carry.ShippedMap]) -> dict[carry.Ref, engine.Scheme]:
    """The engine schemes of the versions a chain of maps passes through (stored, else shipped)."""
    out = {}
    for shipped in path[:-1]:
        code, number = shipped.item_map.target
        out[(code, number)] = engine_scheme(code, number)
    return out


def carry_answers(
    source: SchemeVersion,
    answers: Mapping[str, Any],
    target: SchemeVersion,
    *,
    confirm_all: bool = False,
) -> carry.Carried:
    """``answers`` of ``source`` carried into ``target`` through the shipped item maps.

    Raises ValidationError when no chain of maps leads there.
    """
    path = carry.map_path(_ref(source), _ref(target))
    if path is None:
        raise ValidationError(_("Answers cannot be carried over between these schemes."))
    scheme = target.engine_scheme
    return carry.carry(
        path,
        answers,
        _schemes_on(path),
        scheme,
        confirm_all=confirm_all,
        skip=fact_keys(scheme),
    )


def _note(kind: str, source: SchemeVersion, carried: carry.Carried, **extra: Any) -> dict:
    """One entry of ``Assessment.carry_note["notes"]`` (codes and data; words come later)."""
    return {
        "kind": kind,  # "upgrade", "edition" or "previous"
        "from_version": source.pk,
        "from": {"code": source.scheme.code, "version": source.version},
        "from_title": {"zh": source.title_zh, "en": source.title_en},
        "reasons": carried.reasons,
        "not_carried": carried.not_carried,
        **extra,
    }


def _with_note(notes: Mapping[str, Any] | None, note: dict) -> dict:
    return {"notes": [*(notes or {}).get("notes", []), note]}


def state_from_answers(
    plan: Plan, answers: Mapping[str, Any], keep: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Wizard state whose step data shows ``answers`` (for carried-over and demo drafts).

    ``keep`` (an older wizard state) gives the raw input of fields that hold no answer, e.g.
    a figure typed but not valid yet, so that carrying a draft forward loses nothing typed.
    """
    typed: dict[str, list[str]] = {}
    for step_key, data in ((keep or {}).get("step_data") or {}).items():
        for name, values in (data or {}).items():
            prefix = f"{step_key}-"
            if name.startswith(prefix) and values not in ([], [""]):
                typed.setdefault(name[len(prefix) :], values)
    state = empty_state()
    for step in plan.steps:
        data = {}
        for spec in step.fields:
            if answers.get(spec.key) is not None:
                data[field_name(step.key, spec.key)] = raw_from_answer(spec, answers[spec.key])
            elif spec.key in typed:
                data[field_name(step.key, spec.key)] = typed[spec.key]
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
    (a submission of the enterprise), the new draft is pre-filled from it: from an older
    edition through its item map (e.g. GB/T 29490-2013 → 2023), or from the last submission of
    the same scheme (any version with a chain of maps). Carried answers are marked "to
    confirm" (from the same scheme every one of them) and a note says where they came from.
    Firm facts come from the enterprise record.
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
    scheme = version.engine_scheme
    plan = build_plan(scheme)
    answers: dict[str, Any] = {}
    carried: list[str] = []
    note: dict[str, Any] = {}
    if carry_from is not None:
        if carry_from.enterprise_id != enterprise.pk:
            raise ValidationError(_("That submission belongs to another enterprise."))
        same = carry_from.scheme_version.scheme_id == version.scheme_id
        result = carry_answers(
            carry_from.scheme_version, carry_from.answers, version, confirm_all=same
        )
        answers, carried = result.answers, result.to_confirm
        when = timezone.localdate(carry_from.submitted_at).isoformat()
        note = _with_note(
            None,
            _note(
                "previous" if same else "edition",
                carry_from.scheme_version,
                result,
                submission=carry_from.pk,
                date=when,
            ),
        )
    answers.update(fact_answers(enterprise, scheme))
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
                carry_note=note,
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


# --------------------------------------------------------------------------- opening a draft


def _record(assessment: Assessment, before: Mapping[str, Any], after: Mapping[str, Any],
            user, step: str = "") -> None:  # fmt: skip
    diff = {
        k: [before.get(k), after.get(k)]
        for k in sorted(set(before) | set(after))
        if before.get(k) != after.get(k)
    }
    AssessmentChange.objects.create(
        assessment=assessment,
        revision=assessment.revision + 1,
        step=step,
        changes=json.loads(json.dumps(diff, default=str)),
        saved_by=user,
    )


def newer_version(assessment: Assessment) -> SchemeVersion | None:
    """The newest published version of the draft's scheme, when newer than the draft's."""
    return (
        SchemeVersion.objects.select_related("scheme")
        .defer("definition")  # read (once per version id) only when the draft moves
        .filter(
            scheme_id=assessment.scheme_id,
            status=SchemeVersion.Status.PUBLISHED,
            version__gt=assessment.scheme_version.version,
        )
        .order_by("-version")
        .first()
    )


def upgrade_draft(assessment: Assessment, user) -> bool:
    """Move an open draft on an older version to the newest published one, when maps allow.

    The answers are carried through the item maps (``ip-enterprise`` v1 → v2 keeps every
    answer; M1 = ``cert_2013`` is marked to confirm, with the map's note saying why); input
    typed but not valid yet is kept; the draft's revision goes up, so a page still open on the
    old version cannot overwrite the result. Returns whether the draft moved.
    """
    if assessment.status != Assessment.Status.OPEN:
        return False
    target = newer_version(assessment)
    if target is None or not can_carry(assessment.scheme_version, target):
        return False
    source = assessment.scheme_version
    result = carry_answers(source, assessment.answers or {}, target)
    scheme = target.engine_scheme
    plan = build_plan(scheme)
    answers = {**result.answers, **fact_answers(assessment.enterprise, scheme)}
    state = state_from_answers(plan, answers, keep=assessment.wizard_state)
    visible = [s.key for s in plan.visible_steps(answers)]
    step = assessment.current_step if assessment.current_step in visible else visible[0]
    state["step"] = step
    earlier = [k for k in (assessment.to_confirm or []) if k in answers]
    to_confirm = earlier + [k for k in result.to_confirm if k not in earlier]
    note = _with_note(assessment.carry_note, _note("upgrade", source, result))
    now = timezone.now()
    with transaction.atomic():
        updated = Assessment.objects.filter(
            pk=assessment.pk, revision=assessment.revision, status=Assessment.Status.OPEN
        ).update(
            scheme_version=target,
            answers=answers,
            wizard_state=state,
            current_step=step,
            to_confirm=to_confirm,
            carry_note=note,
            revision=F("revision") + 1,
            updated_at=now,
        )
        if not updated:
            return False
        _record(assessment, assessment.answers or {}, answers, user)
    assessment.scheme_version = target
    assessment.answers = answers
    assessment.wizard_state = state
    assessment.current_step = step
    assessment.to_confirm = to_confirm
    assessment.carry_note = note
    assessment.revision += 1
    assessment.updated_at = now
    return True


def refresh_facts(assessment: Assessment, user) -> bool:
    """Bring the draft's firm facts (founding date) in line with the enterprise record."""
    if assessment.status != Assessment.Status.OPEN:
        return False
    facts = fact_answers(assessment.enterprise, assessment.scheme_version.engine_scheme)
    before = dict(assessment.answers or {})
    if all(before.get(k) == v for k, v in facts.items()):
        return False
    after = {**before, **facts}
    with transaction.atomic():
        updated = Assessment.objects.filter(
            pk=assessment.pk, revision=assessment.revision, status=Assessment.Status.OPEN
        ).update(answers=after, revision=F("revision") + 1)
        if not updated:
            return False
        _record(assessment, before, after, user)
    assessment.answers = after
    assessment.revision += 1
    return True


def prepare_draft(assessment: Assessment, user) -> bool:
    """What opening a draft does first: newest version (True when it moved), current facts."""
    moved = upgrade_draft(assessment, user)
    refresh_facts(assessment, user)
    return moved


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
    # Firm facts come from the enterprise record, whatever was posted.
    after.update(fact_answers(assessment.enterprise, assessment.scheme_version.engine_scheme))
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


class WarningsNotConfirmed(NotReady):
    """Plausibility warnings apply that the firm has not confirmed (``codes``)."""

    def __init__(self, message: str, codes: list[str]) -> None:
        super().__init__(message)
        self.codes = codes


#: The longest explanation a firm can give for a plausibility warning.
EXPLANATION_MAX_LENGTH = 1000


def current_warnings(assessment: Assessment, on=None) -> list[engine.AnswerWarning]:
    """The plausibility warnings the draft's answers raise (none while they are not valid)."""
    scheme = assessment.scheme_version.engine_scheme
    if not scheme.warnings:
        return []
    try:
        result = engine.score(scheme, assessment.answers or {}, on or timezone.localdate())
    except engine.InvalidAnswers:
        return []
    return list(result.warnings)


def submit(
    assessment_id: int,
    *,
    enterprise: Enterprise,
    user,
    language: str,
    confirmed: Mapping[str, str] | None = None,
) -> Submission:
    """Freeze the draft into a submission; idempotent (a repeated call returns the same one).

    ``confirmed`` maps the code of every plausibility warning the firm confirmed to its
    explanation ("" for none); each warning that applies must be confirmed, and is stored with
    the submission. A retired scheme (GB/T 29490-2013) cannot be submitted.

    The draft row is locked (SQLite serialises writers; PostgreSQL locks the row) and closed
    with a conditional update, and the submission's one-to-one link to the draft is unique,
    so a double click or a resent request can never create two submissions.
    """
    confirmed = dict(confirmed or {})
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
        today = timezone.localdate()
        if assessment.scheme.is_retired(today):
            raise NotReady(
                _("This edition is retired: convert the draft into the current edition first.")
            )
        scheme = assessment.scheme_version.engine_scheme
        answers = {**(assessment.answers or {}), **fact_answers(enterprise, scheme)}
        errors = engine.validate_answers(scheme, answers, today)
        if errors:
            raise NotReady(_("Some answers are missing or invalid."))
        if assessment.to_confirm:
            raise NotReady(_("Some carried-over answers are not confirmed yet."))
        assessment.answers = answers
        pending = [w.code for w in current_warnings(assessment, today) if w.code not in confirmed]
        if pending:
            raise WarningsNotConfirmed(
                _("Confirm every warning on the review page before you submit."), pending
            )
        closed = Assessment.objects.filter(pk=assessment.pk, status=Assessment.Status.OPEN).update(
            status=Assessment.Status.SUBMITTED,
            answers=answers,
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
                    answers=answers,
                    user=user,
                    on=today,
                    language=language,
                    explanations={
                        code: without_nul(text)[:EXPLANATION_MAX_LENGTH]
                        for code, text in confirmed.items()
                    },
                )
        except IntegrityError:
            pass
    return Submission.objects.get(assessment_id=assessment_id)


# --------------------------------------------------------------------------- discard and convert


def discard(assessment: Assessment, user) -> bool:
    """Close an open draft for good (its evidence files are deleted); False when not open."""
    with transaction.atomic():
        closed = Assessment.objects.filter(pk=assessment.pk, status=Assessment.Status.OPEN).update(
            status=Assessment.Status.ABANDONED,
            updated_at=timezone.now(),
            updated_by=user,
            revision=F("revision") + 1,
        )
        if not closed:
            return False
        files = [e.file.name for e in assessment.evidence.all() if e.file]
        assessment.evidence.all().delete()
        storage = Evidence._meta.get_field("file").storage
        transaction.on_commit(lambda: [storage.delete(name) for name in files])
    assessment.status = Assessment.Status.ABANDONED
    return True


def successor_version(assessment: Assessment) -> SchemeVersion:
    """The version a draft of a retired scheme converts into (raises SchemeNotFound)."""
    record = assessment.scheme.retirement
    if record is None or not record.successor:
        raise ValidationError(_("This self-assessment cannot be converted."))
    return version_for_new_drafts(record.successor)


def convert_retired_draft(assessment: Assessment, user) -> Assessment:
    """Turn an open draft of a retired edition into a draft of its successor, losing nothing.

    The answers go through the item map (GB/T 29490-2013 → 2023) and are marked to confirm;
    evidence files follow their answers; what the map has no place for is listed in the
    note on the new draft (and stays readable in the closed old draft, evidence included).
    When the enterprise already has an open draft of the successor, the carried answers fill
    only its unanswered questions. The old draft is closed (abandoned), never deleted.
    """
    try:
        target = successor_version(assessment)
    except (SchemeRetired, LookupError):
        raise ValidationError(_("There is no current edition to convert into.")) from None
    with transaction.atomic():
        source = (
            Assessment.objects.select_for_update()
            .select_related("scheme_version__scheme")
            .get(pk=assessment.pk)
        )
        if source.status != Assessment.Status.OPEN:
            raise ValidationError(_("This self-assessment is closed."))
        source.enterprise = assessment.enterprise
        result = carry_answers(source.scheme_version, source.answers or {}, target)
        scheme = target.engine_scheme
        plan = build_plan(scheme)
        existing = (
            Assessment.objects.select_for_update()
            .filter(enterprise=source.enterprise, scheme=target.scheme, status="open")
            .first()
        )
        if existing is None:
            draft, _created = start_assessment(
                enterprise=source.enterprise, version=target, user=user
            )
        else:
            draft = existing
        draft.enterprise = source.enterprise
        before = dict(draft.answers or {})
        fill = {k: v for k, v in result.answers.items() if before.get(k) in (None, "", [])}
        answers = {**before, **fill, **fact_answers(source.enterprise, scheme)}
        state = copy.deepcopy(draft.wizard_state) or empty_state()
        for step_key, data in state_from_answers(plan, fill)["step_data"].items():
            state.setdefault("step_data", {}).setdefault(step_key, {}).update(data)
        to_confirm = list(draft.to_confirm or [])
        to_confirm += [k for k in result.to_confirm if k in fill and k not in to_confirm]
        note = _with_note(
            draft.carry_note,
            _note("edition", source.scheme_version, result, assessment=source.pk),
        )
        Assessment.objects.filter(pk=draft.pk).update(
            answers=answers,
            wizard_state=state,
            to_confirm=to_confirm,
            carry_note=note,
            revision=F("revision") + 1,
            updated_at=timezone.now(),
            updated_by=user,
        )
        _record(draft, before, answers, user)
        # Evidence follows its answer (to the first question the map carries it to).
        path = carry.map_path(_ref(source.scheme_version), _ref(target)) or []
        targets = dict(path[0].item_map.mapping) if path else {}
        for evidence in source.evidence.all():
            keys = [k for k in targets.get(evidence.item_code, (evidence.item_code,))
                    if plan.field(k) is not None]  # fmt: skip
            if keys:
                Evidence.objects.filter(pk=evidence.pk).update(assessment=draft, item_code=keys[0])
        Assessment.objects.filter(pk=source.pk).update(
            status=Assessment.Status.ABANDONED,
            updated_at=timezone.now(),
            updated_by=user,
            revision=F("revision") + 1,
        )
    draft.refresh_from_db()
    draft.enterprise = source.enterprise
    return draft


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
