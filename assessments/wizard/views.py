"""Views: start, the formtools wizard (DB storage), review and submit, results, evidence."""

from __future__ import annotations

import json
from collections import OrderedDict
from functools import partial

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from formtools.wizard.forms import ManagementForm
from formtools.wizard.views import NamedUrlWizardView, StepsHelper

from assessments.engine.conditions import condition_to_dict
from assessments.models import Assessment
from assessments.presentation import answers as answer_words
from assessments.schemes.selectors import SchemeNotFound, get_version
from portal.core import ratelimit
from portal.core.downloads import protected_file_response
from portal.core.i18n import text_lang
from portal.core.requests import accepts_uploads
from portal.core.uploads import EVIDENCE

from . import results, selectors, services
from .forms import StepForm, initial_from_raw
from .steps import derived_values
from .storage import AssessmentStorage

PREFIX = "wizard"
STASH_COOKIE = "wizard_stash"
# Signed: the draft this browser last opened while signed in, and a random id of that session.
OPENED_COOKIE = "wizard_opened"
OPENED_SALT = "assessments.wizard.opened"


# --------------------------------------------------------------------------- start


@login_required
@require_POST
def start(request: HttpRequest, code: str) -> HttpResponse:
    """Start (or resume) the enterprise's draft for the newest published version of a scheme."""
    enterprise = selectors.user_enterprise(request.user)
    try:
        version = get_version(code)
    except SchemeNotFound:
        raise Http404 from None
    carry_from = None
    carry_id = request.POST.get("carry_from")
    if carry_id and carry_id.isdigit():
        carry_from = selectors.submission_for(request.user, int(carry_id))
    try:
        assessment, created = services.start_assessment(
            enterprise=enterprise, version=version, user=request.user, carry_from=carry_from
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("dashboard:home")
    if not created:
        messages.info(
            request, _("You already have a draft of this self-assessment; it is resumed.")
        )
    elif assessment.to_confirm:
        messages.info(
            request,
            _(
                "%(n)s answers were carried over from your earlier self-check. They are marked "
                "“to confirm”: check each one and continue."
            )
            % {"n": len(assessment.to_confirm)},
        )
    return redirect("wizard:resume", pk=assessment.pk)


# --------------------------------------------------------------------------- the wizard


class AssessmentWizard(NamedUrlWizardView):
    """One form per visible step; state in ``Assessment.wizard_state`` (never the session)."""

    template_name = "assessments/wizard/step.html"
    storage_name = "assessments.wizard.storage.AssessmentStorage"
    url_name = "wizard:step"
    done_step_name = "done"

    @classmethod
    def get_initkwargs(cls, *args, **kwargs):
        # The form list depends on the draft's scheme version; it is built in dispatch().
        return {
            "form_list": OrderedDict(),
            "initial_dict": {},
            "instance_dict": {},
            "condition_dict": {},
            "url_name": cls.url_name,
            "done_step_name": cls.done_step_name,
        }

    def dispatch(self, request, *args, **kwargs):
        pk = kwargs["pk"]
        if not request.user.is_authenticated:
            return self.signed_out(request, pk, kwargs.get("step"))
        assessment = selectors.assessment_for(request.user, pk)
        if assessment.status == Assessment.Status.SUBMITTED:
            return redirect("wizard:results", pk=assessment.submission.pk)
        if assessment.status != Assessment.Status.OPEN:
            raise Http404
        self.assessment = assessment
        self.plan = services.plan_for(assessment)
        self.lang = text_lang()
        self.form_list = OrderedDict((s.key, StepForm) for s in self.plan.steps)
        self.condition_dict = {s.key: partial(_step_shown, s.key) for s in self.plan.steps}
        self.prefix = PREFIX
        self.storage = AssessmentStorage(self.prefix, request, assessment=assessment)
        self.steps = StepsHelper(self)
        response = TemplateView.dispatch(self, request, *args, **kwargs)
        remember_opened(request, response, assessment.pk)
        return response

    def signed_out(self, request, pk, step):
        """Session expired: keep posted answers server-side, apply them after signing in.

        Only for a draft that this browser opened while signed in (a signed cookie says so),
        at most one stash per draft and browser session, only the step's own fields, within a
        size cap and a rate limit per address. The response is the same whether or not anything
        was kept, or the draft exists (nothing is revealed).
        """
        if request.method == "POST" and step:
            token = None
            browser = opened_by(request, pk)
            if browser is not None and not ratelimit.hit(
                "wizard-stash",
                request,
                limit=settings.WIZARD_STASH_RATE[0],
                window=settings.WIZARD_STASH_RATE[1],
            ):
                assessment = selectors.open_stash_assessment(pk)
                if assessment is not None:
                    data = {k: request.POST.getlist(k) for k in request.POST}
                    token = services.stash_post(assessment, step, data, browser=browser)
            token = token or services.new_stash_token()
            response = redirect_to_login(
                reverse("wizard:restore", kwargs={"pk": pk, "token": token})
            )
            # The stash can only be applied from this browser (not from a forged link).
            response.set_cookie(
                STASH_COOKIE,
                token,
                max_age=int(services.STASH_LIFETIME.total_seconds()),
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
            return response
        return redirect_to_login(request.get_full_path())

    # -- formtools hooks

    def get_step_url(self, step):
        return reverse(self.url_name, kwargs={"pk": self.assessment.pk, "step": step})

    def get_form_kwargs(self, step=None):
        return {
            "step": self.plan.step(step or self.steps.current),
            "lang": self.lang,
            "context_answers": self.assessment.answers,
        }

    def reset_form_list(self):
        for attr in ("_resolved_form_list", "_cache_signature"):
            self.__dict__.pop(attr, None)

    def done(self, form_list, **kwargs):
        return redirect("wizard:review", pk=self.assessment.pk)

    # -- GET

    def get(self, request, *args, **kwargs):
        step = kwargs.get("step")
        visible = self.get_form_list()
        if step is None or step not in visible:
            current = self.storage.current_step
            target = current if current in visible else self.steps.first
            return redirect(self.get_step_url(target))
        if step != self.assessment.current_step:
            services.move_to(self.assessment, step, request.user)
        form = self.unbound_form(step, self.storage.get_step_data(step))
        return self.render(form)

    def unbound_form(self, step, raw):
        spec = self.plan.step(step)
        kwargs = self.get_form_kwargs(step)
        return StepForm(
            prefix=self.get_form_prefix(step),
            initial=initial_from_raw(spec, raw),
            **kwargs,
        )

    # -- POST

    def post(self, request, *args, **kwargs):
        step = kwargs.get("step")
        if step not in self.form_list:
            raise Http404
        management = ManagementForm(request.POST, prefix=self.prefix)
        if not management.is_valid() or management.cleaned_data["current_step"] != step:
            raise SuspiciousOperation("wizard management form missing or for another step")
        spec = self.plan.step(step)
        form = self.get_form(step=step, data=request.POST)
        action, target = self.action(request.POST)
        if action == "goto" and target not in self.form_list:
            action, target = "save", None  # not a step of this draft: save and stay
        try:
            base_revision = int(request.POST.get("revision", ""))
        except ValueError:
            base_revision = 0
        evidence_errors = self.handle_evidence(request, spec)
        step_answers = form.valid_answers()
        valid = form.is_valid() and not evidence_errors
        result = services.save_step(
            self.assessment,
            step=spec,
            raw=form.raw_data(),
            step_answers=step_answers,
            current_step=step if action != "goto" else target,
            base_revision=base_revision,
            user=request.user,
            confirmed=action == "next" and valid,
        )
        if result.conflict:
            return self.render(
                self.unbound_form(step, form.raw_data()),
                conflict=result.changes,
                evidence_errors=evidence_errors,
            )
        if result.changes:
            messages.warning(request, _merged_message(self.plan, result.changes, self.lang))
        self.reset_form_list()
        visible = list(self.get_form_list())
        if action == "delete_evidence":
            if services.delete_evidence(self.assessment, target):
                messages.success(request, _("The file was removed."))
            return redirect(self.get_step_url(step))
        if evidence_errors or (action == "next" and not valid):
            return self.render(form, evidence_errors=evidence_errors, saved_with_errors=True)
        if action == "exit":
            messages.success(request, _("Your answers are saved. You can continue at any time."))
            return redirect("dashboard:home")
        if action == "review":
            return redirect("wizard:review", pk=self.assessment.pk)
        if action == "goto" and target in visible:
            services.move_to(self.assessment, target, request.user)
            return redirect(self.get_step_url(target))
        if action == "next":
            later = visible[visible.index(step) + 1 :] if step in visible else visible
            if not later:
                return redirect("wizard:review", pk=self.assessment.pk)
            services.move_to(self.assessment, later[0], request.user)
            return redirect(self.get_step_url(later[0]))
        messages.success(request, _("Saved."))
        return redirect(self.get_step_url(step if step in visible else visible[0]))

    @staticmethod
    def action(post: QueryDict) -> tuple[str, object]:
        if post.get("evidence_delete", "").isdigit():
            return "delete_evidence", int(post["evidence_delete"])
        goto = post.get("wizard_goto_step")
        if goto:
            return "goto", goto
        action = post.get("wizard_action", "next")
        if action not in ("next", "save", "exit", "review"):
            action = "save"
        return action, None

    def handle_evidence(self, request, spec) -> dict[str, str]:
        errors = {}
        for key in spec.keys:
            upload = request.FILES.get(f"evidence-{key}")
            if upload is None:
                continue
            try:
                services.add_evidence(self.assessment, key, upload, request.user)
            except ValidationError as exc:
                errors[key] = exc.messages[0]
        return errors

    # -- rendering

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form=form, **kwargs)
        spec = form.step
        visible = list(self.get_form_list())
        index = visible.index(spec.key) if spec.key in visible else 0
        evidence = list(self.assessment.evidence.all())
        by_key: dict[str, list] = {}
        for item in evidence:
            by_key.setdefault(item.item_code, []).append(item)
        progress = selectors.progress(self.plan, self.assessment)
        fields = []
        for bound in form:
            fields.append(
                {
                    "bound": bound,
                    "spec": bound.field.spec,
                    "choice": bound.field.spec.kind in ("boolean", "choice", "conformity", "multi"),
                    "to_confirm": bound.name in (self.assessment.to_confirm or []),
                    "evidence": by_key.get(bound.name, []),
                    "evidence_error": kwargs.get("evidence_errors", {}).get(bound.name, ""),
                    "condition_keys": _condition_attr(bound.field.spec),
                }
            )
        context.update(
            {
                "assessment": self.assessment,
                "plan": self.plan,
                "step": spec,
                "step_title": selectors.step_title(spec, self.lang),
                "fields": fields,
                "derived": _derived_rows(self.plan, spec, self.assessment.answers, self.lang),
                "step_list": [
                    (sp, selectors.step_title(sp.step, self.lang)) for sp in progress.steps
                ],
                "context_answers": self.assessment.answers,
                "progress": progress,
                "step_number": index + 1,
                "step_count": len(visible),
                "prev_step": visible[index - 1] if index > 0 else None,
                "is_last": index == len(visible) - 1,
                "scheme_title": self.assessment.scheme_version.title,
                "lang": self.lang,
                "accept": EVIDENCE.html_accept,
                "max_upload_bytes": settings.PORTAL_MAX_UPLOAD_BYTES,
                "has_errors": form.is_bound and bool(form.errors or kwargs.get("evidence_errors")),
                "conflict_rows": _conflict_rows(self.plan, kwargs.get("conflict"), self.lang),
            }
        )
        return context


def remember_opened(request, response, pk: int) -> None:
    """Note in a signed cookie that this browser session opened draft ``pk`` (signed in).

    It outlives the session (it is what a post after the session expired is checked against)
    and names the session (a keyed hash of its key), so that each keeps at most one stash.
    """
    if not request.session.session_key:
        return
    browser = salted_hmac(OPENED_SALT, request.session.session_key).hexdigest()[:32]
    value = signing.dumps([pk, browser], salt=OPENED_SALT)
    if request.COOKIES.get(OPENED_COOKIE) == value:
        return
    response.set_cookie(
        OPENED_COOKIE,
        value,
        max_age=settings.SESSION_COOKIE_AGE + int(services.STASH_LIFETIME.total_seconds()),
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )


def opened_by(request, pk: int) -> str | None:
    """The session id of the signed cookie when it names draft ``pk``, else None."""
    try:
        opened_pk, browser = signing.loads(
            request.COOKIES.get(OPENED_COOKIE, ""),
            salt=OPENED_SALT,
            max_age=settings.SESSION_COOKIE_AGE + int(services.STASH_LIFETIME.total_seconds()),
        )
    except (signing.BadSignature, TypeError, ValueError):
        return None
    return str(browser) if opened_pk == pk else None


def _derived_rows(plan, spec, answers, lang) -> list[dict]:
    def names(keys) -> str:
        labels = [plan.field(k).label.get(lang) if plan.field(k) else k for k in keys]
        return answer_words.join(labels, lang)

    return [
        {
            "label": d.spec.label.get(lang),
            "computable": d.computable,
            "value": answer_words.number_text(plan.scheme, d.spec.code, d.value, lang)
            if d.value is not None
            else "",
            "missing": bool(d.missing),
            "missing_labels": names(d.missing),
            "zero_labels": names(d.zero),
        }
        for d in derived_values(spec, answers)
    ]


def _step_shown(step_key: str, wizard: AssessmentWizard) -> bool:
    return wizard.plan.step(step_key).shown(wizard.assessment.answers)


def _condition_attr(spec) -> str:
    if not spec.conditions:
        return ""
    return json.dumps([condition_to_dict(c) for c in spec.conditions])


def _conflict_rows(plan, changes, lang):
    if changes is None:
        return None
    rows = []
    for change in changes:
        spec = plan.field(change.key)
        label = spec.label.get(lang) if spec else change.key
        rows.append(
            {
                "label": label,
                "before": answer_words.answer_text(plan.scheme, change.key, change.before, lang),
                "after": answer_words.answer_text(plan.scheme, change.key, change.after, lang),
                "by": change.saved_by,
                "at": change.saved_at,
            }
        )
    return rows


def _merged_message(plan, changes, lang) -> str:
    labels = []
    for change in changes[:5]:
        spec = plan.field(change.key)
        labels.append(spec.label.get(lang) if spec else change.key)
    more = len(changes) - len(labels)
    text = answer_words.join(labels, lang) + (f" (+{more})" if more > 0 else "")
    return _(
        "Meanwhile this self-assessment was saved elsewhere; these answers changed there and "
        "were kept: %(items)s."
    ) % {"items": text}


# Evidence files: one full-size file per request (a bigger body is refused before it is read).
wizard_view = accepts_uploads(lambda: settings.PORTAL_MAX_UPLOAD_BYTES)(AssessmentWizard.as_view())


@login_required
def resume(request: HttpRequest, pk: int) -> HttpResponse:
    """The step the draft was left at (from the dashboard, on any device)."""
    assessment = selectors.assessment_for(request.user, pk)
    if assessment.status == Assessment.Status.SUBMITTED:
        return redirect("wizard:results", pk=assessment.submission.pk)
    if assessment.status != Assessment.Status.OPEN:
        raise Http404
    plan = services.plan_for(assessment)
    visible = [s.key for s in plan.visible_steps(assessment.answers)]
    step = assessment.current_step if assessment.current_step in visible else visible[0]
    return redirect("wizard:step", pk=pk, step=step)


@login_required
def restore(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    """After signing in again: apply the answers posted when the session had expired."""
    assessment = selectors.assessment_for(request.user, pk)
    same_browser = request.COOKIES.get(STASH_COOKIE) == token
    usable = same_browser and assessment.status == Assessment.Status.OPEN
    stash = services.take_stash(token, assessment) if usable else None
    if stash is None:
        messages.warning(
            request, _("The answers you sent before signing in again could not be found.")
        )
        return redirect("wizard:resume", pk=pk)
    data = QueryDict(mutable=True)
    for key, values in stash.data.items():
        data.setlist(key, values)
    # Keep the user on the step: the restored input is saved without forcing validation.
    if data.get("wizard_action") in (None, "next", "exit", "review") and not data.get(
        "wizard_goto_step"
    ):
        data["wizard_action"] = "save"
    request.method = "POST"
    request.POST = data
    response = wizard_view(request, pk=pk, step=stash.step)
    response.delete_cookie(STASH_COOKIE)
    if response.status_code in (301, 302):
        messages.success(
            request, _("You were signed out; the answers you sent have been saved now.")
        )
    return response


# --------------------------------------------------------------------------- review and submit


@login_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = selectors.assessment_for(request.user, pk)
    if assessment.status == Assessment.Status.SUBMITTED:
        return redirect("wizard:results", pk=assessment.submission.pk)
    if assessment.status != Assessment.Status.OPEN:
        raise Http404
    lang = text_lang()
    plan = services.plan_for(assessment)
    evidence = list(assessment.evidence.all())
    steps, problems = selectors.review(plan, assessment, lang, evidence)
    return render(
        request,
        "assessments/wizard/review.html",
        {
            "assessment": assessment,
            "steps": steps,
            "problems": problems,
            "progress": selectors.progress(plan, assessment),
            "scheme_title": assessment.scheme_version.title,
        },
    )


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = selectors.assessment_for(request.user, pk)
    try:
        submission = services.submit(
            assessment.pk,
            enterprise=assessment.enterprise,
            user=request.user,
            language=get_language() or "zh-hans",
        )
    except services.NotReady as exc:
        messages.error(request, exc.messages[0])
        return redirect("wizard:review", pk=pk)
    return redirect("wizard:results", pk=submission.pk)


# --------------------------------------------------------------------------- results


@login_required
def results_view(request: HttpRequest, pk: int) -> HttpResponse:
    submission = selectors.submission_for(request.user, pk)
    context = results.build(submission, text_lang())
    return render(request, "assessments/results.html", context)


# --------------------------------------------------------------------------- evidence


@login_required
def evidence_download(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = selectors.evidence_for(request.user, pk)
    return protected_file_response(
        evidence.file, filename=evidence.original_name, content_type=evidence.content_type
    )
