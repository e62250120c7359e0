"""Reads for the wizard, the results page and the dashboard panel, scoped to the user."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments import engine, presentation
from assessments.engine.validation import INCONSISTENT
from assessments.models import Assessment, Evidence, SchemeVersion, Submission
from assessments.schemes.selectors import schemes_open_for_new_drafts
from cms.models import PolicyPage
from portal.accounts.models import Enterprise
from portal.accounts.selectors import membership_for
from portal.core.i18n import django_language

from . import carry
from .facts import fact_keys
from .steps import FieldSpec, Plan, StepSpec


def user_enterprise(user) -> Enterprise:
    """The user's enterprise, or 404 (reviewers, editors and strangers see no drafts).

    The membership is kept on the user (``user.membership``), so that pages can ask whether
    the user is the owner (who corrects the profile) without another query.
    """
    membership = membership_for(user) if user.is_authenticated else None
    if membership is None:
        raise Http404
    user.membership = membership
    return membership.enterprise


def assessment_for(user, pk: int) -> Assessment:
    """A draft (open or closed) of the user's enterprise, or 404."""
    enterprise = user_enterprise(user)
    try:
        assessment = (
            Assessment.objects.select_related("scheme", "scheme_version__scheme", "updated_by")
            .defer("scheme_version__definition")  # the engine model is cached by version id
            .get(pk=pk, enterprise=enterprise)
        )
    except Assessment.DoesNotExist:
        raise Http404 from None
    assessment.enterprise = enterprise
    return assessment


def open_draft(user, scheme) -> Assessment | None:
    """The open draft of ``scheme`` of the user's enterprise (None for anyone else)."""
    membership = membership_for(user) if user.is_authenticated else None
    if membership is None:
        return None
    return Assessment.objects.filter(
        enterprise_id=membership.enterprise_id, scheme=scheme, status=Assessment.Status.OPEN
    ).first()


def submission_for(user, pk: int) -> Submission:
    enterprise = user_enterprise(user)
    try:
        submission = (
            Submission.objects.select_related("scheme_version__scheme", "submitted_by")
            .defer("scheme_version__definition")
            .get(pk=pk, enterprise=enterprise)
        )
    except Submission.DoesNotExist:
        raise Http404 from None
    submission.enterprise = enterprise
    return submission


def evidence_for(user, pk: int) -> Evidence:
    """An evidence file the user may open: members of the owning enterprise only."""
    enterprise = user_enterprise(user)
    try:
        return Evidence.objects.select_related("assessment").get(
            pk=pk, assessment__enterprise=enterprise
        )
    except Evidence.DoesNotExist:
        raise Http404 from None


def open_stash_assessment(pk: int) -> Assessment | None:
    """The open draft a signed-out post was meant for (no user check: nothing is shown)."""
    return Assessment.objects.filter(pk=pk, status=Assessment.Status.OPEN).first()


# --------------------------------------------------------------------------- progress


def answered(answers: Mapping[str, Any], key: str) -> bool:
    return answers.get(key) not in (None, "", [])


#: Step states, in the words the step list uses.
NOT_STARTED = "empty"  # nothing answered, never left with a save
PASSED = "passed"  # left (next, back, jump) with nothing answered
IN_PROGRESS = "started"  # something answered, something still expected
COMPLETE = "complete"  # every required question and prerequisite answered
CONFIRM = "confirm"  # carried answers still to confirm


@dataclass
class StepProgress:
    step: StepSpec
    required: int  # required questions shown
    done: int  # of which answered
    visited: bool  # the step was saved at least once
    to_confirm: int = 0
    expected: int = 0  # required questions and prerequisites shown
    expected_done: int = 0
    answered_any: int = 0  # any question answered

    @property
    def state(self) -> str:
        """Honest: a step with a required question or prerequisite blank is never complete,
        and one only passed through says so."""
        if self.to_confirm:
            return CONFIRM
        if self.expected:
            if self.expected_done >= self.expected:
                return COMPLETE
        elif self.answered_any:
            return COMPLETE  # only optional questions, and some answered
        if self.answered_any:
            return IN_PROGRESS
        return PASSED if self.visited else NOT_STARTED


@dataclass
class Progress:
    steps: list[StepProgress]
    required: int
    done: int

    @property
    def percent(self) -> int:
        return 100 if not self.required else int(self.done * 100 // self.required)


def prerequisite_keys(scheme: engine.Scheme) -> frozenset[str]:
    return frozenset(p.key for p in scheme.prerequisites)


def progress(plan: Plan, assessment: Assessment) -> Progress:
    answers = assessment.answers or {}
    step_data = (assessment.wizard_state or {}).get("step_data", {})
    confirm = set(assessment.to_confirm or [])
    prerequisites = prerequisite_keys(plan.scheme)
    out = []
    total = done = 0
    for step in plan.visible_steps(answers):
        shown = [f for f in step.fields if f.shown(answers)]
        required = [f.key for f in shown if f.required]
        expected = [f.key for f in shown if f.required or f.key in prerequisites]
        got = sum(1 for k in required if answered(answers, k))
        out.append(
            StepProgress(
                step,
                len(required),
                got,
                step.key in step_data,
                len(confirm & set(step.keys)),
                expected=len(expected),
                expected_done=sum(1 for k in expected if answered(answers, k)),
                answered_any=sum(1 for f in shown if answered(answers, f.key)),
            )
        )
        total += len(required)
        done += got
    return Progress(out, total, done)


# --------------------------------------------------------------------------- review


@dataclass
class ReviewRow:
    spec: FieldSpec
    label: str
    value: str
    missing: bool
    error: str  # a message ("" when the answer is fine or simply missing)
    to_confirm: bool
    evidence: list[Evidence]
    fact: bool = False  # from the enterprise record


@dataclass
class ReviewStep:
    step: StepSpec
    title: str
    rows: list[ReviewRow]


def answer_errors(scheme: engine.Scheme, answers: Mapping[str, Any], lang: str, on=None):
    """Validation errors by answer key: the engine's error, with a broken consistency rule's
    message (in ``lang``) on every key the rule reads."""
    errors: dict[str, tuple[str, str]] = {}
    for error in engine.validate_answers(scheme, answers, on or timezone.localdate()):
        if error.code == INCONSISTENT and error.rule:
            message = scheme.rule(error.rule).message.get(lang)
            for key in error.keys:
                errors.setdefault(key, (error.code, message))
        else:
            errors.setdefault(error.key, (error.code, ""))
    return errors


def review(plan: Plan, assessment: Assessment, lang: str, evidence: list[Evidence]):
    answers = assessment.answers or {}
    errors = answer_errors(plan.scheme, answers, lang)
    facts = fact_keys(plan.scheme)
    files: dict[str, list[Evidence]] = {}
    for item in evidence:
        files.setdefault(item.item_code, []).append(item)
    steps = []
    problems = []
    for step in plan.visible_steps(answers):
        rows = []
        for spec in step.fields:
            if not spec.shown(answers):
                continue
            code, message = errors.get(spec.key, ("", ""))
            row = ReviewRow(
                spec,
                spec.label.get(lang),
                presentation.answer_text(plan.scheme, spec.key, answers.get(spec.key), lang),
                code == "required",
                ""
                if not code or code == "required"
                else (message or _("The answer is not valid.")),
                spec.key in (assessment.to_confirm or []),
                files.get(spec.key, []),
                spec.key in facts,
            )
            rows.append(row)
            if code or row.to_confirm:
                problems.append((step, row))
        steps.append(ReviewStep(step, step_title(step, lang), rows))
    return steps, problems


def step_title(step: StepSpec, lang: str) -> str:
    title = step.title.get(lang)
    if step.parts > 1:
        return _("%(title)s (part %(part)s of %(parts)s)") % {
            "title": title,
            "part": step.part,
            "parts": step.parts,
        }
    return title


# --------------------------------------------------------------------------- notes on a draft


@dataclass
class NotCarried:
    label: str
    value: str


@dataclass
class CarryNote:
    kind: str  # "upgrade", "edition", "previous"
    source: str  # the earlier scheme title and version
    date: str  # the submission's date, for a pre-fill
    reasons: list[str]
    not_carried: list[NotCarried]
    assessment: int | None  # the closed draft it came from (its evidence stays there)


def carry_notes(assessment: Assessment, lang: str, *, details: bool = False) -> list[CarryNote]:
    """Why the draft has answers to confirm, newest first; with ``details``, also the earlier
    answers that had no place here, in words (one query per earlier version)."""
    out = []
    for note in reversed((assessment.carry_note or {}).get("notes", [])):
        title = (note.get("from_title") or {}).get(lang) or (note.get("from") or {}).get("code")
        version = (note.get("from") or {}).get("version")
        missed: list[NotCarried] = []
        if details and note.get("not_carried"):
            source = SchemeVersion.objects.filter(pk=note.get("from_version")).first()
            scheme = source.engine_scheme if source else None
            for key, value in note["not_carried"].items():
                if scheme is None:
                    missed.append(NotCarried(key, str(value)))
                else:
                    missed.append(
                        NotCarried(
                            presentation.item_label(scheme, key, lang),
                            presentation.answer_text(scheme, key, value, lang),
                        )
                    )
        out.append(
            CarryNote(
                kind=note.get("kind", ""),
                source=_("%(title)s, version %(version)s") % {"title": title, "version": version},
                date=note.get("date", ""),
                reasons=[r.get(lang, "") for r in note.get("reasons", []) if r.get(lang)],
                not_carried=missed,
                assessment=note.get("assessment"),
            )
        )
    return out


@dataclass
class Retired:
    reason: str
    retired_on: Any
    successor: str  # the successor scheme's code
    successor_draft: Assessment | None  # an open draft of the successor, if any


def retired(assessment: Assessment, lang: str) -> Retired | None:
    """Why a draft's edition can no longer be submitted (None while it is current)."""
    record = assessment.scheme.retirement
    if record is None or not record.applies(timezone.localdate()):
        return None
    other = (
        Assessment.objects.filter(
            enterprise_id=assessment.enterprise_id,
            scheme__code=record.successor,
            status=Assessment.Status.OPEN,
        ).first()
        if record.successor
        else None
    )
    return Retired(record.reason.get(lang), record.retired_on, record.successor or "", other)


# --------------------------------------------------------------------------- dashboard


@dataclass
class CarryOption:
    target: SchemeVersion
    source: Submission
    same_scheme: bool  # pre-fill from the last submission (else from an older edition)


def dashboard(enterprise: Enterprise) -> dict[str, Any]:
    """Drafts, submissions and the schemes one can start (four queries).

    Only schemes open for new drafts are offered (a retired edition such as GB/T 29490-2013
    is not); each may start pre-filled from the enterprise's last submission of the same
    scheme, or else from an older edition's submission that an item map leads from.

    The lists leave out the scheme definitions (the engine models are cached by version id)
    and the submissions' answers and results, which they do not show.
    """

    drafts = list(
        Assessment.objects.filter(enterprise=enterprise, status=Assessment.Status.OPEN)
        .select_related("scheme_version__scheme", "updated_by")
        .defer("scheme_version__definition")
        .order_by("-updated_at")
    )
    submissions = list(
        Submission.objects.filter(enterprise=enterprise)
        .select_related("scheme_version__scheme")
        .defer("answers", "result", "scheme_version__definition")
        .order_by("-submitted_at")[:20]
    )
    versions = schemes_open_for_new_drafts()
    open_codes = {d.scheme_version.scheme.code for d in drafts}
    carry_options: dict[int, CarryOption] = {}
    for version in versions:
        if version.scheme.code in open_codes:
            continue
        ref = (version.scheme.code, version.version)
        same = next(
            (s for s in submissions if s.scheme_version.scheme_id == version.scheme_id), None
        )
        if (
            same is not None
            and carry.map_path((same.scheme_version.scheme.code, same.scheme_version.version), ref)
            is not None
        ):
            carry_options[version.pk] = CarryOption(version, same, True)
            continue
        for sub in submissions:  # newest first
            if sub.scheme_version.scheme_id != version.scheme_id and carry.map_between(
                (sub.scheme_version.scheme.code, sub.scheme_version.version), ref
            ):
                carry_options[version.pk] = CarryOption(version, sub, False)
                break
    today = timezone.localdate()
    return {
        "drafts": [(d, d.scheme_version.scheme.is_retired(today)) for d in drafts],
        "submissions": submissions,
        "versions": [(v, v.scheme.code in open_codes, carry_options.get(v.pk)) for v in versions],
    }


# --------------------------------------------------------------------------- results


def previous_submission(submission: Submission) -> Submission | None:
    return (
        Submission.objects.filter(
            enterprise_id=submission.enterprise_id,
            scheme_version__scheme_id=submission.scheme_version.scheme_id,
            submitted_at__lt=submission.submitted_at,
        )
        .select_related("scheme_version")
        .defer("answers", "scheme_version__definition")
        .order_by("-submitted_at")
        .first()
    )


def policy_links(scheme_code: str, lang: str) -> list[tuple[str, str]]:
    """Live policy pages in ``lang`` tagged with the scheme code or its family (``gbt29490``)."""
    tags = {scheme_code, scheme_code.split("-")[0]}
    pages = (
        PolicyPage.objects.live()
        .public()
        .filter(tags__name__in=tags, locale__language_code=django_language(lang))
        .distinct()
        .order_by("-issue_date")[:5]
    )
    return [(p.title, p.url) for p in pages]
