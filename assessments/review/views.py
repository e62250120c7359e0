"""The reviewers' workspace at /review/: queue, application view, decisions, certificates."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments import presentation
from assessments.engine import InvalidAnswers
from assessments.engine.adjust import AdjustmentError
from assessments.models import Evidence
from assessments.presentation import numbers
from assessments.presentation.rows import section_rows
from assessments.review import certificates as certs
from assessments.review import selectors, services
from assessments.review.dashboard import dashboard_context
from assessments.review.errors import TransitionError
from assessments.review.forms import (
    SORTS,
    AssignForm,
    CertificateStatusForm,
    ConflictForm,
    ItemReviewForm,
    QueueFilterForm,
    TransitionForm,
)
from assessments.review.items import item_rows, other_answers
from assessments.review.models import Certificate, State
from assessments.review.permissions import has_conflict
from assessments.review.transitions import (
    PLAIN_REVIEWER_ACTIONS,
    TRANSITIONS,
    available,
    reviewer_refusal,
)
from portal.accounts import roles
from portal.core.downloads import protected_file_response
from portal.core.i18n import text_lang

PAGE_SIZE = 25


def reviewer_required(view):
    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        if not roles.is_reviewer(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@reviewer_required
def queue(request: HttpRequest) -> HttpResponse:
    user = request.user
    programmes = list(
        selectors.programmes_for_filter(user).select_related("scheme_version__scheme")
    )
    form = QueueFilterForm(
        request.GET or None,
        programmes=programmes,
        regions=selectors.regions_for_filter(user),
        levels=selectors.levels_for_filter(programmes),
    )
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    scoped = selectors.filter_queue(selectors.applications_for_reviewer(user), data, user)
    counts = selectors.state_counts(scoped)
    queryset = scoped.filter(state=data["state"]) if data.get("state") else scoped
    order = SORTS.get(data.get("sort") or "-created", SORTS["-created"])[0]
    queryset = queryset.order_by(order, "-pk")
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    state_links = []
    for value, label in State.choices:
        p = params.copy()
        p["state"] = value
        state_links.append(
            {"value": value, "label": label, "count": counts.get(value, 0), "query": p.urlencode()}
        )
    all_params = params.copy()
    all_params.pop("state", None)
    return render(
        request,
        "review/queue.html",
        {
            "form": form,
            "page": page,
            "counts": state_links,
            "total": sum(counts.values()),
            "all_query": all_params.urlencode(),
            "current_state": data.get("state") or "",
            "query": params.urlencode(),
            "is_lead": roles.is_lead(user),
            "nav": "queue",
        },
    )


def _detail_context(request: HttpRequest, application, item_form=None) -> dict:
    user = request.user
    submission = application.submission
    scheme = submission.scheme_version.engine_scheme
    reviews = {r.item_code: r for r in application.item_reviews.all()}
    try:
        adjusted = services.adjusted_result(application)
    except (AdjustmentError, InvalidAnswers):  # a stale override must not hide the application
        adjusted = None
    lang = text_lang()
    evidence = Evidence.objects.filter(assessment_id=submission.assessment_id).order_by("pk")
    rows = item_rows(
        scheme, submission.answers, submission.result, lang, adjusted, reviews, evidence
    )
    if item_form is None:
        item_form = ItemReviewForm(rows=rows, initial={"version": application.version})
    why = reviewer_refusal(application, user)
    can_review_items = why is None and application.state in services.REVIEWABLE_STATES
    conflicted = has_conflict(user, application)
    lead = roles.is_lead(user)
    reviewers = (
        list(selectors.reviewers_for(application)) if lead and not application.is_final else []
    )
    certificate = Certificate.objects.filter(application=application).first()
    return {
        "application": application,
        "submission": submission,
        "scheme": scheme,
        "summary": presentation.score_summary(scheme, submission.result, lang),
        "vetoes": [
            presentation.labels.key_text(scheme, code, lang)
            for code in (submission.result or {}).get("vetoes", ())
        ],
        "adjusted": presentation.score_summary(scheme, adjusted, lang) if adjusted else None,
        "sections": _sections(scheme, submission.result, adjusted, lang),
        "item_form": item_form,
        "other_answers": other_answers(scheme, submission.answers, lang, evidence),
        "row_fields": list(item_form.bound_row_fields()),
        "can_review_items": can_review_items,
        "refusal": why,
        "conflicted": conflicted,
        "is_lead": lead,
        "actions": available(application, user, PLAIN_REVIEWER_ACTIONS),
        "transition_form": TransitionForm(initial={"version": application.version}),
        "assign_form": AssignForm(
            reviewers=reviewers,
            initial={"version": application.version, "assignee": application.assignee_id},
        )
        if reviewers
        else None,
        "can_self_assign": (
            not conflicted
            and not application.is_final
            and application.assignee_id != user.pk
            and (application.assignee_id is None or lead)
        ),
        "conflict_form": ConflictForm(),
        "events": application.events.select_related("actor").order_by("created_at", "pk"),
        "certificate": certificate,
        "certificate_form": CertificateStatusForm() if certificate else None,
        "verify_path": certs.verification_path(certificate) if certificate else "",
        "previous_submissions": _submission_history(application),
        "nav": "queue",
    }


def _sections(scheme, result: dict, adjusted, lang: str) -> list[dict]:
    """Per section: label, engine score and percentage, reviewed score, maximum (formatted)."""
    engine_rows = {r.code: r for r in section_rows(scheme, presentation.as_result(result), lang)}
    reviewed = {r.code: r for r in section_rows(scheme, adjusted, lang)} if adjusted else {}
    out = []
    for section in scheme.sections:
        stored = engine_rows.get(section.code)
        mine = reviewed.get(section.code)
        out.append(
            {
                "code": section.code,
                "title": (stored or mine).label if (stored or mine) else section.code,
                "engine": stored.score if stored else numbers.NONE,
                "percent": stored.percent if stored and stored.applicable else numbers.NONE,
                "reviewed": mine.score if mine else numbers.NONE,
                "max": (mine or stored).max if (mine or stored) else numbers.NONE,
            }
        )
    return out


def _submission_history(application) -> list[int]:
    ids = []
    for event in application.events.filter(action="resubmit").order_by("created_at"):
        previous = event.data.get("previous_submission")
        if previous:
            ids.append(previous)
    return ids


@reviewer_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_for_reviewer(request.user, pk)
    return render(request, "review/detail.html", _detail_context(request, application))


def _back(application) -> HttpResponse:
    return redirect("review:detail", application.pk)


@require_POST
@reviewer_required
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_for_reviewer(request.user, pk)
    if request.POST.get("self") == "1":
        version = request.POST.get("version", "")
        assignee = request.user
    else:
        reviewers = selectors.reviewers_for(application)
        form = AssignForm(request.POST, reviewers=reviewers)
        if not form.is_valid():
            messages.error(request, _("Choose a reviewer."))
            return _back(application)
        version = form.cleaned_data["version"]
        pk_ = form.cleaned_data["assignee"]
        assignee = reviewers.get(pk=pk_) if pk_ else None
    try:
        services.assign(application, assignee, request.user, int(version))
    except ValueError:
        messages.error(request, _("The request was not understood; reload the page and try again."))
    except TransitionError as err:
        messages.error(request, str(err))
    else:
        if assignee is None:
            messages.success(request, _("The application is no longer assigned."))
        else:
            messages.success(
                request,
                _("Assigned to %(user)s.")
                % {"user": assignee.get_full_name() or assignee.get_username()},
            )
    return _back(application)


@require_POST
@reviewer_required
def items(request: HttpRequest, pk: int) -> HttpResponse:
    """Save adjusted points and comments, or request changes on the ticked items."""
    application = selectors.application_for_reviewer(request.user, pk)
    submission = application.submission
    scheme = submission.scheme_version.engine_scheme
    reviews = {r.item_code: r for r in application.item_reviews.all()}
    rows = item_rows(scheme, submission.answers, submission.result, text_lang(), None, reviews)
    form = ItemReviewForm(request.POST, rows=rows)
    if not form.is_valid():
        messages.error(request, _("Please correct the errors below."))
        context = _detail_context(request, application, item_form=form)
        return render(request, "review/detail.html", context, status=400)
    version = form.cleaned_data["version"]
    try:
        with transaction.atomic():
            _save_and_maybe_return(request, application, form, version)
    except TransitionError as err:
        messages.error(request, str(err))
    return _back(application)


def _save_and_maybe_return(request: HttpRequest, application, form, version: int) -> None:
    """Both steps or neither: a refused return does not keep half of the review."""
    services.save_item_reviews(application, request.user, form.reviews(), version)
    if form.cleaned_data["op"] == "return":
        services.request_changes(
            application,
            request.user,
            form.reopened(),
            form.comments(),
            form.cleaned_data["reason"],
            application.version,
        )
        messages.success(request, _("The application was returned to the firm for changes."))
    else:
        messages.success(request, _("Your review of the items was saved."))


@require_POST
@reviewer_required
def transition(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_for_reviewer(request.user, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid() or form.cleaned_data["action"] not in PLAIN_REVIEWER_ACTIONS:
        messages.error(request, _("The request was not understood; reload the page and try again."))
        return _back(application)
    action = form.cleaned_data["action"]
    try:
        services.decide(
            application,
            action,
            request.user,
            form.cleaned_data["reason"],
            form.cleaned_data["version"],
        )
    except TransitionError as err:
        messages.error(request, str(err))
    else:
        messages.success(
            request,
            _("Done: %(action)s. The application is now “%(state)s”.")
            % {"action": TRANSITIONS[action].label, "state": application.get_state_display()},
        )
    return _back(application)


@require_POST
@reviewer_required
def conflict(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_for_reviewer(request.user, pk)
    form = ConflictForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Describe the conflict of interest."))
        return _back(application)
    try:
        services.declare_conflict(application, request.user, form.cleaned_data["note"])
    except TransitionError as err:
        messages.error(request, str(err))
    else:
        messages.success(
            request,
            _("Your declaration was recorded. You can no longer act on this application."),
        )
    return _back(application)


@require_POST
@reviewer_required
def certificate_status(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = selectors.certificate_for_reviewer(request.user, pk)
    form = CertificateStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an action and give a reason."))
    else:
        try:
            certs.change_status(
                certificate, form.cleaned_data["action"], request.user, form.cleaned_data["reason"]
            )
        except TransitionError as err:
            messages.error(request, str(err))
        else:
            messages.success(
                request,
                _("The certificate is now “%(status)s”.")
                % {"status": certificate.get_current_status_display()},
            )
    return redirect("review:detail", certificate.application_id)


def certificate_pdf_response(certificate: Certificate) -> HttpResponse:
    """The certificate's PDF: stamped with its status once suspended or revoked."""
    file, filename = certs.download_file(certificate)
    return protected_file_response(file, filename=filename, content_type="application/pdf")


@reviewer_required
def certificate_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return certificate_pdf_response(selectors.certificate_for_reviewer(request.user, pk))


@reviewer_required
def evidence(request: HttpRequest, pk: int, evidence_id: int) -> HttpResponse:
    """An evidence file of a submission of an application in the reviewer's scope."""
    application = selectors.application_for_reviewer(request.user, pk)
    submissions = {application.submission_id, application.original_submission_id}
    submissions.update(_submission_history(application))
    try:
        item = Evidence.objects.get(pk=evidence_id, assessment__submission__in=submissions)
    except Evidence.DoesNotExist:
        raise Http404 from None
    return protected_file_response(
        item.file, filename=item.original_name, content_type=item.content_type
    )


@reviewer_required
def dashboard(request: HttpRequest) -> HttpResponse:
    context = {**dashboard_context(request.user), "nav": "dashboard"}
    return render(request, "review/dashboard.html", context)
