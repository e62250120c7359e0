"""The reviewers' workspace at /review/: queue, application view, decisions, the formal check of
materials, expert panels, objections, notes and messages, dossiers, certificates."""

from __future__ import annotations

import tempfile
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments import presentation
from assessments.engine import InvalidAnswers
from assessments.engine.adjust import AdjustmentError
from assessments.models import Evidence
from assessments.presentation import numbers
from assessments.presentation.rows import section_rows
from assessments.review import certificates as certs
from assessments.review import dossier, history, panel, publicity, safeguards, selectors, services
from assessments.review import stages as chain
from assessments.review import warnings as plausibility
from assessments.review.dashboard import dashboard_context
from assessments.review.errors import SafeguardRefused, TransitionError
from assessments.review.forms import (
    SORTS,
    AssignForm,
    BulkAssignForm,
    CertificateStatusForm,
    ConflictForm,
    ConsensusForm,
    ExpertAssignForm,
    ExpertScoreForm,
    ItemReviewForm,
    MaterialCheckForm,
    MessageForm,
    NoteForm,
    ObjectionAnswerForm,
    QueueFilterForm,
    TransitionForm,
)
from assessments.review.items import item_rows, other_answers
from assessments.review.models import ApplicationFile, Certificate, ReviewStage, State
from assessments.review.permissions import has_conflict
from assessments.review.transitions import (
    PLAIN_REVIEWER_ACTIONS,
    TRANSITIONS,
    available,
    current_files,
    first_decider,
    materials_refusal,
    panel_refusal,
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


def _queue_context(request: HttpRequest) -> dict:
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
    queryset = selectors.order_queue(queryset, data.get("sort"))
    # The programme's levels are read once for the page, whatever the number of rows.
    queryset = queryset.prefetch_related(
        Prefetch(
            "programme__stages",
            queryset=ReviewStage.objects.order_by("sort_order", "pk"),
            to_attr="ordered_stages",
        )
    )
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
    lead = roles.is_lead(user)
    today = timezone.localdate()
    for application in page.object_list:
        stages = getattr(application.programme, "ordered_stages", [])
        application.level_name = (
            stages[application.stage_index].name
            if application.state == State.RECOMMENDED and application.stage_index < len(stages)
            else ""
        )
        application.overdue = (
            application.state == State.RETURNED
            and application.due_on is not None
            and application.due_on < today
        )
    open_programmes = [p for p in programmes if p.status == p.Status.OPEN]
    return {
        "form": form,
        "page": page,
        "counts": state_links,
        "total": sum(counts.values()),
        "all_query": all_params.urlencode(),
        "current_state": data.get("state") or "",
        "query": params.urlencode(),
        "is_lead": lead,
        "bulk_reviewers": list(selectors.reviewers_in_scope(user)) if lead else [],
        "quota_use": safeguards.quota_use_for(open_programmes, roles.region_scope(user)),
        "sorts": SORTS,
        "nav": "queue",
    }


@reviewer_required
def queue(request: HttpRequest) -> HttpResponse:
    return render(request, "review/queue.html", _queue_context(request))


@require_POST
@reviewer_required
def bulk_assign(request: HttpRequest) -> HttpResponse:
    """A lead reviewer assigns the ticked applications to one reviewer."""
    user = request.user
    back = request.POST.get("back", "")
    target = redirect("review:queue")
    if back.startswith("?") and "\n" not in back and "\r" not in back:
        target["Location"] += back
    if not roles.is_lead(user):
        messages.error(request, _("Only a lead reviewer may assign applications to others."))
        return target
    scoped = selectors.applications_for_reviewer(user)
    ids = [v for v in request.POST.getlist("ids") if v.isdigit()][: PAGE_SIZE * 4]
    reviewers = list(selectors.reviewers_in_scope(user))
    form = BulkAssignForm(request.POST, ids=ids, reviewers=reviewers)
    if not form.is_valid():
        messages.error(request, _("Tick applications and choose a reviewer."))
        return target
    assignee = next(u for u in reviewers if u.pk == form.cleaned_data["assignee"])
    result = services.bulk_assign(
        scoped.filter(pk__in=form.cleaned_data["ids"]).order_by("pk"), assignee, user
    )
    if result.done:
        messages.success(
            request,
            _("%(n)d application(s) assigned to %(user)s.")
            % {"n": len(result.done), "user": assignee.get_full_name() or assignee.get_username()},
        )
    for application, reason in result.refused:
        messages.error(request, f"{application.enterprise.name}: {reason}")
    return target


def _detail_context(request: HttpRequest, application, item_form=None, score_form=None) -> dict:
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
    materials = list(application.programme.materials.all())
    if item_form is None:
        item_form = ItemReviewForm(
            rows=rows,
            materials=materials,
            initial={
                "version": application.version,
                "deadline": services.default_deadline(application),
            },
        )
    why = reviewer_refusal(application, user)
    can_review_items = why is None and application.state in services.REVIEWABLE_STATES
    conflicted = has_conflict(user, application)
    lead = roles.is_lead(user)
    reviewers = (
        list(selectors.reviewers_for(application)) if lead and not application.is_final else []
    )
    certificate = Certificate.objects.filter(application=application).first()
    events = history.decorate(
        application,
        application.events.select_related("actor").order_by("created_at", "pk"),
        lang,
    )
    actions = available(application, user, PLAIN_REVIEWER_ACTIONS)
    # Why a decision of this stage is not offered (an open objection, the notice period, …).
    blocked = []
    if why is None:
        for action in PLAIN_REVIEWER_ACTIONS:
            t = TRANSITIONS[action]
            if application.state in t.sources and t.guard is not None:
                message = t.guard(application, user)
                if message and message not in blocked:
                    blocked.append(message)
    warnings_ = {
        t.action: refused
        for t in actions
        if t.safeguarded and (refused := safeguards.decision_safeguards(application, t.action))
    }
    files = current_files(application)
    checks = {c.material_id: c for c in application.material_checks.all()}
    material_rows = [
        {
            "material": m,
            "file": files.get(m.pk),
            "check": checks.get(m.pk),
            "stale": checks.get(m.pk) is not None
            and files.get(m.pk) is not None
            and checks[m.pk].file_id != files[m.pk].pk,
        }
        for m in materials
    ]
    can_check_materials = why is None and application.state == State.FORMAL_CHECK and materials
    view = panel.panel(application, user)
    seat = panel.seat_of(application, user)
    panel_lead = lead and why is None and application.state == State.EXPERT_REVIEW
    objections = list(application.objections.select_related("answered_by"))
    last = history.last_resubmission(application)
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
        "actions": actions,
        "blocked": blocked,
        "safeguards": warnings_,
        "transition_form": TransitionForm(
            initial={"version": application.version}, auto_id="decision_%s"
        ),
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
        "note_form": NoteForm(auto_id="note_%s"),
        "message_form": MessageForm(auto_id="message_%s"),
        "events": events,
        "certificate": certificate,
        "certificate_form": CertificateStatusForm() if certificate and lead else None,
        "verify_path": certs.verification_path(certificate) if certificate else "",
        "previous_submissions": _submission_history(application),
        "warnings": plausibility.rows_for(submission, lang),
        "materials": material_rows,
        "materials_form": MaterialCheckForm(
            materials=materials,
            checks=checks,
            initial={"version": application.version},
            auto_id="materials_%s",
        )
        if can_check_materials
        else None,
        "materials_refusal": materials_refusal(application)
        if application.state == State.FORMAL_CHECK
        else None,
        "reconsideration_files": [
            f for f in application.files.all() if f.kind == ApplicationFile.Kind.RECONSIDERATION
        ],
        "panel": view,
        "panel_refusal": panel_refusal(application)
        if application.state == State.EXPERT_REVIEW
        else None,
        "seat": seat,
        "expert_form": ExpertAssignForm(
            experts=[
                e for e in panel.experts_for(application) if panel.seat_of(application, e) is None
            ],
            initial={"version": application.version},
            auto_id="experts_%s",
        )
        if panel_lead
        else None,
        "consensus_form": ConsensusForm(
            rows=rows,
            initial_points=view.mean,
            initial={"version": application.version},
            auto_id="consensus_%s",
        )
        if panel_lead and view.complete
        else None,
        "score_form": score_form
        if score_form is not None
        else (
            ExpertScoreForm(
                rows=rows, initial_points=panel.engine_points(application), auto_id="score_%s"
            )
            if seat is not None and panel.score_refusal(application, user) is None
            else None
        ),
        "objections": objections,
        "objection_form": ObjectionAnswerForm(auto_id="objection_%s"),
        "can_answer_objections": why is None,
        "change_request": services.open_change_request(application),
        "last_changes": history.item_changes(scheme, last, lang) if last else [],
        "last_resubmission": last,
        "chain": chain.path(application),
        "first_decider": first_decider(application)
        if application.state == State.RECONSIDERATION
        else None,
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


def _back(application, anchor: str = "") -> HttpResponse:
    response = redirect("review:detail", application.pk)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


def _not_understood(request: HttpRequest) -> None:
    messages.error(request, _("The request was not understood; reload the page and try again."))


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
        _not_understood(request)
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
    """Save the item review, or request changes (补正) on the ticked items and materials."""
    application = selectors.application_for_reviewer(request.user, pk)
    submission = application.submission
    scheme = submission.scheme_version.engine_scheme
    reviews = {r.item_code: r for r in application.item_reviews.all()}
    rows = item_rows(scheme, submission.answers, submission.result, text_lang(), None, reviews)
    form = ItemReviewForm(
        request.POST, rows=rows, materials=list(application.programme.materials.all())
    )
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
            form.messages(),
            form.cleaned_data["reason"],
            application.version,
            deadline=form.cleaned_data.get("deadline"),
            materials=form.cleaned_data.get("materials") or (),
            note=form.cleaned_data.get("note") or "",
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
        _not_understood(request)
        return _back(application)
    action = form.cleaned_data["action"]
    try:
        services.decide(
            application,
            action,
            request.user,
            form.cleaned_data["reason"],
            form.cleaned_data["version"],
            override_reason=form.cleaned_data["override_reason"],
            note=form.cleaned_data["note"],
        )
    except SafeguardRefused as err:
        messages.error(request, str(err))
        return _back(application, "decide-title")
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
def materials(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_for_reviewer(request.user, pk)
    form = MaterialCheckForm(request.POST, materials=list(application.programme.materials.all()))
    if not form.is_valid():
        messages.error(request, _("Say what is missing from each incomplete material."))
        return _back(application, "materials-title")
    try:
        services.check_materials(
            application, request.user, form.results(), form.cleaned_data["version"]
        )
    except TransitionError as err:
        messages.error(request, str(err))
    else:
        messages.success(request, _("The formal check of the materials was saved."))
    return _back(application, "materials-title")


@reviewer_required
def application_file(request: HttpRequest, pk: int, file_id: int) -> HttpResponse:
    """A material or reconsideration file of an application in the reviewer's scope."""
    application = selectors.application_for_reviewer(request.user, pk)
    try:
        item = application.files.get(pk=file_id)
    except ApplicationFile.DoesNotExist:
        raise Http404 from None
    return protected_file_response(
        item.file, filename=item.original_name, content_type=item.content_type
    )


@require_POST
@reviewer_required
def experts(request: HttpRequest, pk: int) -> HttpResponse:
    """A lead reviewer seats experts on the panel, or removes one."""
    application = selectors.application_for_reviewer(request.user, pk)
    candidates = list(panel.experts_for(application))
    try:
        version = int(request.POST.get("version", ""))
        remove = request.POST.get("remove", "")
        if remove:
            seat = next((s for s in panel.seats(application) if str(s.expert_id) == remove), None)
            if seat is None:
                raise Http404
            panel.remove_expert(application, request.user, seat.expert, version)
            messages.success(request, _("The expert was removed from the panel."))
        else:
            form = ExpertAssignForm(request.POST, experts=candidates)
            if not form.is_valid():
                messages.error(request, _("Choose the experts."))
                return _back(application, "panel-title")
            chosen = [u for u in candidates if u.pk in form.cleaned_data["experts"]]
            panel.assign_experts(application, request.user, chosen, version)
            messages.success(request, _("The experts were assigned."))
    except ValueError:
        _not_understood(request)
    except TransitionError as err:
        messages.error(request, str(err))
    return _back(application, "panel-title")


@require_POST
@reviewer_required
def expert_score(request: HttpRequest, pk: int) -> HttpResponse:
    """An expert submits their independent score."""
    application = selectors.application_for_reviewer(request.user, pk)
    submission = application.submission
    scheme = submission.scheme_version.engine_scheme
    rows = item_rows(scheme, submission.answers, submission.result, text_lang())
    form = ExpertScoreForm(request.POST, rows=rows)
    if not form.is_valid():
        messages.error(request, _("Please correct the errors below."))
        context = _detail_context(request, application, score_form=form)
        return render(request, "review/detail.html", context, status=400)
    try:
        panel.submit_score(
            application,
            request.user,
            form.points(),
            form.cleaned_data["note"],
            form.cleaned_data["no_conflict"],
        )
    except TransitionError as err:
        messages.error(request, str(err))
    else:
        messages.success(
            request, _("Your score was submitted. You can now see the panel's scores.")
        )
    return _back(application, "panel-title")


@require_POST
@reviewer_required
def consensus(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_for_reviewer(request.user, pk)
    submission = application.submission
    scheme = submission.scheme_version.engine_scheme
    rows = item_rows(scheme, submission.answers, submission.result, text_lang())
    form = ConsensusForm(request.POST, rows=rows)
    if not form.is_valid():
        messages.error(request, _("Please correct the points of the consensus."))
        return _back(application, "panel-title")
    try:
        panel.set_consensus(
            application,
            request.user,
            form.points(),
            form.cleaned_data["reason"],
            form.cleaned_data["version"],
        )
    except TransitionError as err:
        messages.error(request, str(err))
    else:
        messages.success(request, _("The panel's consensus score was set."))
    return _back(application, "panel-title")


@require_POST
@reviewer_required
def note(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_for_reviewer(request.user, pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the note first."))
        return _back(application, "trail-title")
    try:
        services.note(application, request.user, form.cleaned_data["text"])
    except TransitionError as err:
        messages.error(request, str(err))
    else:
        messages.success(request, _("The internal note was added to the audit trail."))
    return _back(application, "trail-title")


@require_POST
@reviewer_required
def message(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_for_reviewer(request.user, pk)
    form = MessageForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the message first."))
        return _back(application, "trail-title")
    try:
        services.message_firm(application, request.user, form.cleaned_data["text"])
    except TransitionError as err:
        messages.error(request, str(err))
    else:
        messages.success(request, _("The message was sent to the firm."))
    return _back(application, "trail-title")


@require_POST
@reviewer_required
def objection_answer(request: HttpRequest, pk: int, objection_id: int) -> HttpResponse:
    application = selectors.application_for_reviewer(request.user, pk)
    objection = publicity.objection_for_reviewer(request.user, application, objection_id)
    form = ObjectionAnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the outcome and give the reasons."))
        return _back(application, "objections-title")
    try:
        publicity.answer(
            objection, request.user, form.cleaned_data["outcome"], form.cleaned_data["answer"]
        )
    except TransitionError as err:
        messages.error(request, str(err))
    else:
        messages.success(request, _("The objection was answered."))
    return _back(application, "objections-title")


@reviewer_required
def objection_evidence(request: HttpRequest, pk: int, objection_id: int) -> HttpResponse:
    application = selectors.application_for_reviewer(request.user, pk)
    objection = publicity.objection_for_reviewer(request.user, application, objection_id)
    if not objection.evidence:
        raise Http404
    return protected_file_response(
        objection.evidence, filename=objection.evidence_name, content_type=objection.evidence_type
    )


@reviewer_required
def dossier_zip(request: HttpRequest, pk: int) -> HttpResponse:
    """The application's dossier as one ZIP (reviewers in scope)."""
    application = selectors.application_for_reviewer(request.user, pk)
    # Not a context manager: the response streams the file and closes it when sent.
    out = tempfile.TemporaryFile()  # noqa: SIM115
    dossier.write_dossier(application, out, text_lang())
    out.seek(0)
    return protected_file_response(
        out, filename=dossier.dossier_name(application), content_type="application/zip"
    )


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
    if not roles.is_lead(request.user):
        # Suspending, reinstating and revoking is for a lead reviewer of the region (the
        # certificate is in the user's scope: certificate_for_reviewer).
        messages.error(request, _("Only a lead reviewer may do this."))
    elif not form.is_valid():
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
    # Quota use here is the dashboard's one aggregate query (per programme, region and level);
    # the queue shows the use of each quota the safeguards enforce.
    context = {**dashboard_context(request.user), "nav": "dashboard"}
    return render(request, "review/dashboard.html", context)
