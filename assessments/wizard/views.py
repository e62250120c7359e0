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
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from formtools.wizard.forms import ManagementForm
from formtools.wizard.views import NamedUrlWizardView, StepsHelper

from assessments import presentation
from assessments.engine.conditions import condition_to_dict
from assessments.models import Assessment
from assessments.presentation import answers as answer_words
from assessments.schemes.selectors import (
    SchemeNotFound,
    SchemeRetired,
    get_version,
    version_for_new_drafts,
)
from portal.core import ratelimit
from portal.core.downloads import protected_file_response
from portal.core.i18n import text_lang
from portal.core.requests import accepts_uploads
from portal.core.uploads import EVIDENCE

from . import introduction, results, selectors, services
from .facts import fact_keys
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
    """Start (or resume) the enterprise's draft for the version new drafts use.

    ``carry_from=<submission id>`` pre-fills it: from the last submission of the same scheme,
    or from an older edition's (GB/T 29490-2013 → 2023). A retired scheme cannot be started.
    """
    enterprise = selectors.user_enterprise(request.user)
    try:
        version = version_for_new_drafts(code)
    except SchemeNotFound:
        raise Http404 from None
    except SchemeRetired as exc:
        messages.error(request, exc.retirement.reason.get(text_lang()))
        return redirect("dashboard:home")
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
                "%(n)s answers were carried over. They are marked “to confirm”: check each "
                "one and continue."
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
        if request.method == "GET":
            opened(request, assessment)
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
            "scheme": self.plan.scheme,
            "on": timezone.localdate(),
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
        facts = fact_keys(self.plan.scheme)
        step_confirm = set(spec.keys) & set(self.assessment.to_confirm or [])
        context.update(
            {
                "fact_rows": [
                    {
                        "key": f.key,
                        "label": f.label.get(self.lang),
                        "value": presentation.answer_text(
                            self.plan.scheme, f.key, self.assessment.answers.get(f.key), self.lang
                        ),
                    }
                    for f in spec.fields
                    if f.key in facts
                ],
                "show_profile": index == 0 or any(f.key in facts for f in spec.fields),
                "enterprise": self.assessment.enterprise,
                "is_owner": _is_owner(self.request.user),
                "notes": selectors.carry_notes(self.assessment, self.lang) if step_confirm else [],
                "retired": selectors.retired(self.assessment, self.lang),
                "saved_text": saved_text(
                    self.assessment.updated_at, started=not self.assessment.revision
                ),
                "autosave_url": reverse(
                    "wizard:autosave", kwargs={"pk": self.assessment.pk, "step": spec.key}
                ),
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


def opened(request: HttpRequest, assessment: Assessment) -> None:
    """What opening a draft does first: carry it to the newest version (and say so), and
    bring its firm facts in line with the enterprise record."""
    if services.prepare_draft(assessment, request.user):
        messages.info(
            request,
            _(
                "This self-assessment now follows version %(version)s of the scheme. Your "
                "answers were carried over; those whose meaning changed are marked “to "
                "confirm”."
            )
            % {"version": assessment.scheme_version.version},
        )


def saved_text(when, *, started: bool = False) -> str:
    """ "Saved 14:05" (today) or "Saved 2026-05-03 14:05", in local time; "Started …" for a
    draft nobody has saved yet."""
    if when is None:
        return ""
    local = timezone.localtime(when)
    if local.date() == timezone.localdate():
        stamp = date_format(local, "H:i")
    else:
        stamp = date_format(local, "Y-m-d H:i")
    if started:
        return _("Started %(time)s") % {"time": stamp}
    return _("Saved %(time)s") % {"time": stamp}


def _is_owner(user) -> bool:
    membership = getattr(user, "membership", None)
    return bool(membership and membership.is_owner)


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
    opened(request, assessment)
    plan = services.plan_for(assessment)
    visible = [s.key for s in plan.visible_steps(assessment.answers)]
    step = assessment.current_step if assessment.current_step in visible else visible[0]
    return redirect("wizard:step", pk=pk, step=step)


@login_required
@require_POST
def autosave(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """Save one step's fields as the user types (the page's script; JSON answer).

    The same save as the step's own "save" button: the step's raw input and its valid
    answers, with the revision check. Never validates "required" and never moves on. A save
    that would overwrite answers changed elsewhere is refused (409): the page then asks the
    user to save with the button, which shows what changed.
    """
    assessment = selectors.assessment_for(request.user, pk)
    if assessment.status != Assessment.Status.OPEN:
        return JsonResponse({"saved": False, "message": _("This self-assessment is closed.")},
                            status=409)  # fmt: skip
    plan = services.plan_for(assessment)
    try:
        spec = plan.step(step)
    except KeyError:
        raise Http404 from None
    lang = text_lang()
    form = StepForm(
        data=request.POST,
        prefix=step,
        step=spec,
        lang=lang,
        context_answers=assessment.answers,
        scheme=plan.scheme,
        on=timezone.localdate(),
    )
    try:
        base_revision = int(request.POST.get("revision", ""))
    except ValueError:
        base_revision = -1
    result = services.save_step(
        assessment,
        step=spec,
        raw=form.raw_data(),
        step_answers=form.valid_answers(),
        current_step=assessment.current_step or step,
        base_revision=base_revision,
        user=request.user,
    )
    if result.conflict:
        return JsonResponse(
            {
                "saved": False,
                "conflict": True,
                "message": _(
                    "Not saved: this step was changed elsewhere meanwhile. Use “Save” to "
                    "see what changed."
                ),
            },
            status=409,
        )
    return JsonResponse(
        {
            "saved": True,
            "revision": assessment.revision,
            "text": saved_text(assessment.updated_at),
        }
    )


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


def _review_context(request, assessment, *, posted=None, pending=()) -> dict:
    lang = text_lang()
    plan = services.plan_for(assessment)
    evidence = list(assessment.evidence.all())
    steps, problems = selectors.review(plan, assessment, lang, evidence)
    warnings = []
    if not problems:
        posted = posted or {}
        for row in presentation.warning_rows(
            plan.scheme, services.current_warnings(assessment), assessment.answers, lang
        ):
            warnings.append(
                {
                    "row": row,
                    "confirmed": posted.get(f"confirm-{row.code}") == "yes",
                    "explanation": posted.get(f"explain-{row.code}", ""),
                    "error": row.code in pending,
                }
            )
    retired = selectors.retired(assessment, lang)
    return {
        "assessment": assessment,
        "steps": steps,
        "problems": problems,
        "warnings": warnings,
        "explanation_max": services.EXPLANATION_MAX_LENGTH,
        "notes": selectors.carry_notes(assessment, lang, details=True),
        "retired": retired,
        "progress": selectors.progress(plan, assessment),
        "scheme_title": assessment.scheme_version.title,
        "saved_text": saved_text(assessment.updated_at, started=not assessment.revision),
        "enterprise": assessment.enterprise,
        "is_owner": _is_owner(request.user),
    }


@login_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = selectors.assessment_for(request.user, pk)
    if assessment.status == Assessment.Status.SUBMITTED:
        return redirect("wizard:results", pk=assessment.submission.pk)
    if assessment.status != Assessment.Status.OPEN:
        raise Http404
    opened(request, assessment)
    return render(request, "assessments/wizard/review.html", _review_context(request, assessment))


def _confirmations(post: QueryDict) -> dict[str, str]:
    """The warnings the firm ticked on the review page: code → explanation ("" for none)."""
    out = {}
    for key in list(post)[:200]:
        code = key.removeprefix("confirm-")
        if key.startswith("confirm-") and post.get(key) == "yes" and len(code) <= 32:
            text = post.get(f"explain-{code}", "").strip()
            out[code] = text[: services.EXPLANATION_MAX_LENGTH]
    return out


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = selectors.assessment_for(request.user, pk)
    confirmed = _confirmations(request.POST)
    try:
        submission = services.submit(
            assessment.pk,
            enterprise=assessment.enterprise,
            user=request.user,
            language=get_language() or "zh-hans",
            confirmed=confirmed,
        )
    except services.WarningsNotConfirmed as exc:
        # Shown again with what was typed: no explanation is lost.
        assessment = selectors.assessment_for(request.user, pk)
        context = _review_context(request, assessment, posted=request.POST, pending=exc.codes)
        context["submit_error"] = exc.messages[0]
        return render(request, "assessments/wizard/review.html", context, status=400)
    except services.NotReady as exc:
        messages.error(request, exc.messages[0])
        return redirect("wizard:review", pk=pk)
    return redirect("wizard:results", pk=submission.pk)


# --------------------------------------------------------------------------- discard, convert


@login_required
def discard(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: ask (what will be lost); POST: close the draft for good."""
    assessment = selectors.assessment_for(request.user, pk)
    if assessment.status == Assessment.Status.SUBMITTED:
        return redirect("wizard:results", pk=assessment.submission.pk)
    if assessment.status != Assessment.Status.OPEN:
        raise Http404
    if request.method == "POST":
        if services.discard(assessment, request.user):
            messages.success(
                request,
                _("The draft of “%(title)s” was discarded.")
                % {"title": assessment.scheme_version.title},
            )
        return redirect("dashboard:home")
    plan = services.plan_for(assessment)
    return render(
        request,
        "assessments/wizard/discard.html",
        {
            "assessment": assessment,
            "scheme_title": assessment.scheme_version.title,
            "progress": selectors.progress(plan, assessment),
            "evidence_count": assessment.evidence.count(),
            "saved_text": saved_text(assessment.updated_at, started=not assessment.revision),
        },
    )


@login_required
@require_POST
def convert(request: HttpRequest, pk: int) -> HttpResponse:
    """Turn a draft of a retired edition into a draft of the current one (one action)."""
    assessment = selectors.assessment_for(request.user, pk)
    if assessment.status != Assessment.Status.OPEN:
        raise Http404
    try:
        draft = services.convert_retired_draft(assessment, request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("wizard:resume", pk=pk)
    messages.success(
        request,
        _(
            "Your answers were carried into “%(title)s” and are marked “to confirm”: check "
            "each one and continue."
        )
        % {"title": draft.scheme_version.title},
    )
    return redirect("wizard:resume", pk=draft.pk)


# --------------------------------------------------------------------------- introduction


def _intro_version(code: str):
    try:
        return get_version(code)
    except SchemeNotFound:
        raise Http404 from None


def intro(request: HttpRequest, code: str) -> HttpResponse:
    """What a scheme measures, the time it takes, documents to have at hand, the level rules
    and every question (public: a firm may read it before it registers)."""
    version = _intro_version(code)
    lang = text_lang()
    scheme = version.engine_scheme
    record = version.scheme.retirement
    retired = record if record and record.applies(timezone.localdate()) else None
    draft = None
    if request.user.is_authenticated:
        draft = selectors.open_draft(request.user, version.scheme)
    return render(
        request,
        "assessments/wizard/intro.html",
        {
            "version": version,
            "intro": introduction.introduction(version, lang),
            "thresholds": presentation.level_thresholds(scheme, lang),
            "retired": retired.reason.get(lang) if retired else "",
            "draft": draft,
        },
    )


def questions(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """The question list as PDF or XLSX (made once per version and language, then cached)."""
    if fmt not in introduction.FORMATS:
        raise Http404
    version = _intro_version(code)
    lang = text_lang()
    content = introduction.question_file(version, fmt, lang)
    response = HttpResponse(
        content,
        content_type="application/pdf"
        if fmt == "pdf"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{introduction.file_name(version, fmt, lang)}"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


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
