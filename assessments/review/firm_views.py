"""The firm's side at /applications/: programmes and eligibility, applying, the status timeline,
the reviewer's requests, resubmission and withdrawal."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments import engine, presentation
from assessments.models import Submission
from assessments.presentation import labels
from assessments.review import eligibility, history, selectors, services
from assessments.review import stages as chain
from assessments.review.certificates import verification_path
from assessments.review.errors import TransitionError
from assessments.review.forms import (
    ApplyForm,
    ReconsiderationForm,
    ResubmitForm,
    TransitionForm,
    field_infos,
)
from assessments.review.items import item_rows
from assessments.review.models import WORKFLOW_ORDER, Certificate, Programme, State
from assessments.review.permissions import firm_role, is_firm_owner
from assessments.review.transitions import (
    TRANSITIONS,
    reconsideration_ends_on,
    refusal,
)
from assessments.review.views import certificate_pdf_response
from portal.accounts.selectors import membership_for
from portal.core.i18n import text_lang
from portal.core.requests import accepts_uploads


def _membership_or_404(request: HttpRequest):
    membership = membership_for(request.user)
    if membership is None:
        raise Http404(_("You are not a member of an enterprise."))
    return membership


@login_required
def index(request: HttpRequest) -> HttpResponse:
    membership = membership_for(request.user)
    if membership is None:
        return render(request, "accounts/no_enterprise.html", status=403)
    enterprise = membership.enterprise
    applications = list(selectors.applications_for_firm(request.user).order_by("-created_at"))
    certificates = list(selectors.certificates_for_firm(request.user))
    return render(
        request,
        "applications/index.html",
        {
            "enterprise": enterprise,
            "membership": membership,
            "applications": applications,
            "programmes": eligibility.for_enterprise(enterprise),
            "certificates": [(c, verification_path(c)) for c in certificates],
        },
    )


def _application_upload_limit() -> int:
    return settings.PORTAL_MAX_APPLICATION_BYTES


@accepts_uploads(_application_upload_limit)  # the required materials, several files
@login_required
def apply(request: HttpRequest, programme_id: int) -> HttpResponse:
    membership = _membership_or_404(request)
    enterprise = membership.enterprise
    programme = get_object_or_404(
        Programme.objects.select_related("scheme_version__scheme").prefetch_related("regions"),
        pk=programme_id,
        status__in=[Programme.Status.OPEN, Programme.Status.CLOSED],
    )
    (status,) = eligibility.for_enterprise(enterprise, programmes=[programme])
    form = ApplyForm(
        request.POST or None,
        request.FILES or None,
        submissions=status.eligible_submissions,
        materials=list(programme.materials.all()),
    )
    if request.method == "POST" and status.eligible and form.is_valid():
        submission = get_object_or_404(
            Submission, pk=form.cleaned_data["submission"], enterprise=enterprise
        )
        try:
            application = services.apply(
                request.user, programme, submission, materials=form.material_uploads()
            )
        except TransitionError as err:
            messages.error(request, str(err))
        else:
            messages.success(
                request,
                _("Your application to “%(programme)s” was submitted.")
                % {"programme": programme.title},
            )
            return redirect("applications:detail", application.pk)
    return render(
        request,
        "applications/apply.html",
        {"programme": programme, "status": status, "form": form, "enterprise": enterprise},
    )


# What the firm sees of the audit trail: state changes, messages to the firm, reminders and
# certificate changes; never an internal note or an internal review step.
FIRM_ACTIONS = frozenset({"message", "change_reminder"})


def _firm_events(application, lang: str) -> list:
    events = [
        e
        for e in application.events.select_related("actor").order_by("created_at", "pk")
        if not e.internal
        and (e.is_transition or e.action in FIRM_ACTIONS or e.action.startswith("certificate_"))
    ]
    return history.decorate(application, events, lang)


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_for_firm(request.user, pk)
    submission = application.submission
    scheme = submission.scheme_version.engine_scheme
    reviews = {r.item_code: r for r in application.item_reviews.all()}
    lang = text_lang()
    rows = [
        row
        for row in item_rows(scheme, submission.answers, submission.result, lang, None, reviews)
        if row.reopened or row.message or (row.decision and row.decision_reason)
    ]
    certificate = Certificate.objects.filter(application=application).first()
    member = firm_role(request.user, application) is not None
    reconsider = TRANSITIONS["request_reconsideration"]
    can_reconsider = member and refusal(reconsider, application, request.user) is None
    reviewed = application.reviewed_total is not None
    return render(
        request,
        "applications/detail.html",
        {
            "application": application,
            "submission": submission,
            "summary": presentation.score_summary(scheme, submission.result, lang),
            "reviewed_level": labels.level_label(scheme, application.level, lang)
            if reviewed
            else "",
            "rows": rows,
            "events": _firm_events(application, lang),
            "can_resubmit": application.state == State.RETURNED and member,
            "can_withdraw": is_firm_owner(request.user, application)
            and application.state
            in (
                State.SUBMITTED,
                State.FORMAL_CHECK,
                State.RETURNED,
                State.RESUBMITTED,
                State.EXPERT_REVIEW,
            ),
            "withdraw_form": TransitionForm(
                initial={"version": application.version, "action": "withdraw"}
            ),
            "reconsider_form": ReconsiderationForm(initial={"version": application.version})
            if can_reconsider
            else None,
            "reconsideration_ends_on": reconsideration_ends_on(application),
            "certificate": certificate,
            "verify_path": verification_path(certificate) if certificate else "",
            "states": _progress(application),
            "stage": _stage_facts(application),
            "chain": chain.path(application),
            "change_request": services.open_change_request(application)
            if application.state == State.RETURNED
            else None,
            "materials": services.reopened_materials(application)
            if application.state == State.RETURNED
            else [],
        },
    )


MAIN_PATH = [
    State.SUBMITTED,
    State.FORMAL_CHECK,
    State.EXPERT_REVIEW,
    State.RECOMMENDED,
    State.PUBLIC_NOTICE,
    State.RECOGNISED,
]


def _progress(application) -> list[dict]:
    """The main path of states, marking those passed and the current one, with the expected
    days of each stage (from the programme)."""
    current = application.state
    reached = {e.to_state for e in application.events.all()}
    index = MAIN_PATH.index(current) if current in MAIN_PATH else -1
    out = []
    for i, state in enumerate(MAIN_PATH):
        out.append(
            {
                "label": state.label,
                "current": state == current,
                "done": (index >= 0 and i < index) or (index < 0 and state in reached),
                "days": application.programme.expected_days_for(state),
            }
        )
    return out


def _stage_facts(application) -> dict:
    """Transparency for the firm: the stage, since when, the expected time, the queue position."""
    programme = application.programme
    position = selectors.queue_position(application)
    return {
        "label": application.get_state_display(),
        "since": application.state_changed_at,
        "days": programme.expected_days_for(application.state),
        "working_days": programme.periods_in_working_days,
        "due_on": application.due_on,
        "position": position[0] if position else None,
        "of": position[1] if position else None,
        "order": WORKFLOW_ORDER.index(application.state) + 1,
    }


@accepts_uploads(_application_upload_limit)  # evidence files and materials
@login_required
def resubmit(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_for_firm(request.user, pk)
    if application.state != State.RETURNED:
        messages.error(request, _("This application is not waiting for your changes."))
        return redirect("applications:detail", application.pk)
    submission = application.submission
    scheme = submission.scheme_version.engine_scheme
    lang = text_lang()
    infos = field_infos(scheme, lang)
    keys = services.reopened_keys(application)
    codes = services.reopened_codes(application)
    reviews = {r.item_code: r for r in application.item_reviews.all()}
    rows = [
        r
        for r in item_rows(scheme, submission.answers, submission.result, lang, None, reviews)
        if r.reopened
    ]
    form = ResubmitForm(
        request.POST or None,
        request.FILES or None,
        codes=codes,
        infos=infos,
        keys=keys,
        answers=submission.answers,
        materials=services.reopened_materials(application),
        references={code: labels.item_reference(code) for code in codes},
        initial={"version": application.version},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.resubmit(
                application,
                request.user,
                form.answers(),
                form.cleaned_data["version"],
                form.cleaned_data["comment"],
                evidence=form.evidence(),
                materials=form.material_uploads(),
            )
        except engine.InvalidAnswers as err:
            for error in err.errors:
                field = f"answer_{error.key}"
                form.add_error(field if field in form.fields else None, str(error.message))
        except TransitionError as err:
            messages.error(request, str(err))
        else:
            messages.success(request, _("Your changes were resubmitted for review."))
            return redirect("applications:detail", application.pk)
    return render(
        request,
        "applications/resubmit.html",
        {
            "application": application,
            "form": form,
            "rows": rows,
            "change_request": services.open_change_request(application),
        },
    )


@require_POST
@login_required
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_for_firm(request.user, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The request was not understood; reload the page and try again."))
        return redirect("applications:detail", application.pk)
    try:
        services.withdraw(
            application,
            request.user,
            form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
        )
    except TransitionError as err:
        messages.error(request, str(err))
    else:
        messages.success(request, _("Your application was withdrawn."))
    return redirect("applications:detail", application.pk)


@require_POST
@accepts_uploads(lambda: settings.PORTAL_MAX_UPLOAD_BYTES)  # one evidence file
@login_required
def reconsider(request: HttpRequest, pk: int) -> HttpResponse:
    """A rejected firm asks for reconsideration (复议) with its reasons and evidence."""
    application = selectors.application_for_firm(request.user, pk)
    form = ReconsiderationForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("applications:detail", application.pk)
    evidence = form.cleaned_data.get("evidence")
    try:
        services.request_reconsideration(
            application,
            request.user,
            form.cleaned_data["reason"],
            form.cleaned_data["version"],
            evidence=[evidence] if evidence else [],
        )
    except TransitionError as err:
        messages.error(request, str(err))
    else:
        messages.success(
            request,
            _(
                "Your request for reconsideration was sent. A reviewer who did not take the first "
                "decision will decide it."
            ),
        )
    return redirect("applications:detail", application.pk)


@login_required
def certificate_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = get_object_or_404(selectors.certificates_for_firm(request.user), pk=pk)
    return certificate_pdf_response(certificate)
