"""Reads for the wizard, the results page and the dashboard panel, scoped to the user."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _

from assessments import engine, presentation
from assessments.models import Assessment, Evidence, SchemeVersion, Submission
from assessments.schemes.selectors import published_versions
from cms.models import PolicyPage
from portal.accounts.models import Enterprise
from portal.accounts.selectors import enterprise_for

from .services import item_map_for
from .steps import FieldSpec, Plan, StepSpec


def user_enterprise(user) -> Enterprise:
    """The user's enterprise, or 404 (reviewers, editors and strangers see no drafts)."""
    enterprise = enterprise_for(user) if user.is_authenticated else None
    if enterprise is None:
        raise Http404
    return enterprise


def assessment_for(user, pk: int) -> Assessment:
    """A draft (open or closed) of the user's enterprise, or 404."""
    enterprise = user_enterprise(user)
    try:
        assessment = (
            Assessment.objects.select_related("scheme_version__scheme", "updated_by")
            .defer("scheme_version__definition")  # the engine model is cached by version id
            .get(pk=pk, enterprise=enterprise)
        )
    except Assessment.DoesNotExist:
        raise Http404 from None
    assessment.enterprise = enterprise
    return assessment


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


@dataclass
class StepProgress:
    step: StepSpec
    required: int
    done: int
    visited: bool
    to_confirm: int = 0

    @property
    def state(self) -> str:
        if self.to_confirm:
            return "confirm"
        if self.required and self.done >= self.required:
            return "complete"
        if not self.required and self.visited:
            return "complete"
        if self.done or self.visited:
            return "started"
        return "empty"


@dataclass
class Progress:
    steps: list[StepProgress]
    required: int
    done: int

    @property
    def percent(self) -> int:
        return 100 if not self.required else int(self.done * 100 // self.required)


def progress(plan: Plan, assessment: Assessment) -> Progress:
    answers = assessment.answers or {}
    step_data = (assessment.wizard_state or {}).get("step_data", {})
    confirm = set(assessment.to_confirm or [])
    out = []
    total = done = 0
    for step in plan.visible_steps(answers):
        keys = [f.key for f in step.fields if f.required and f.shown(answers)]
        got = sum(1 for k in keys if answered(answers, k))
        pending = len(confirm & set(step.keys))
        out.append(StepProgress(step, len(keys), got, step.key in step_data, pending))
        total += len(keys)
        done += got
    return Progress(out, total, done)


# --------------------------------------------------------------------------- review


@dataclass
class ReviewRow:
    spec: FieldSpec
    label: str
    value: str
    missing: bool
    error: str
    to_confirm: bool
    evidence: list[Evidence]


@dataclass
class ReviewStep:
    step: StepSpec
    title: str
    rows: list[ReviewRow]


def review(plan: Plan, assessment: Assessment, lang: str, evidence: list[Evidence]):
    answers = assessment.answers or {}
    errors = {e.key: e for e in engine.validate_answers(plan.scheme, answers)}
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
            error = errors.get(spec.key)
            row = ReviewRow(
                spec,
                spec.label.get(lang),
                presentation.answer_text(plan.scheme, spec.key, answers.get(spec.key), lang),
                bool(error and error.code == "required"),
                "" if error is None or error.code == "required" else error.code,
                spec.key in (assessment.to_confirm or []),
                files.get(spec.key, []),
            )
            rows.append(row)
            if error or row.to_confirm:
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


# --------------------------------------------------------------------------- dashboard


@dataclass
class CarryOption:
    target: SchemeVersion
    source: Submission


def dashboard(enterprise: Enterprise) -> dict[str, Any]:
    """Drafts, submissions and the schemes one can start (three queries).

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
    versions = list(published_versions())
    open_codes = {d.scheme_version.scheme.code for d in drafts}
    carry: dict[int, CarryOption] = {}
    for version in versions:
        if version.scheme.code in open_codes:
            continue
        for sub in submissions:  # newest first
            if sub.scheme_version.scheme_id != version.scheme_id and item_map_for(
                sub.scheme_version, version
            ):
                carry[version.pk] = CarryOption(version, sub)
                break
    return {
        "drafts": drafts,
        "submissions": submissions,
        "versions": [(v, v.scheme.code in open_codes, carry.get(v.pk)) for v in versions],
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
    """Live policy pages tagged with the scheme code or its family (e.g. ``gbt29490``)."""
    tags = {scheme_code, scheme_code.split("-")[0]}
    pages = (
        PolicyPage.objects.live()
        .public()
        .filter(tags__name__in=tags)
        .distinct()
        .order_by("-issue_date")[:5]
    )
    return [(p.title, p.url) for p in pages]
