"""Forms of the review workspace and the firm's application pages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from assessments import engine
from assessments.presentation import labels, numbers
from assessments.review.models import (
    Certificate,
    ItemReview,
    MaterialCheck,
    Objection,
    State,
)
from assessments.review.services import ItemInput
from assessments.review.transitions import PLAIN_REVIEWER_ACTIONS, TRANSITIONS
from portal.accounts.choices import Industry
from portal.core.forms import IdentifierField, NormalisedForm
from portal.core.i18n import text_lang
from portal.core.text import validate_single_line
from portal.core.uploads import EVIDENCE, check_upload

NOTE_LABEL = _("Internal note (reviewers only, never shown to the firm)")
MESSAGE_LABEL = _("Message to the firm (the firm sees it)")
TEXT_LIMIT = 4000


def _text(label, *, required: bool = False, rows: int = 3, limit: int = TEXT_LIMIT, **kw):
    return forms.CharField(
        label=label,
        required=required,
        max_length=limit,
        widget=forms.Textarea(attrs={"rows": rows}),
        **kw,
    )


def _evidence_field(label, *, required: bool = False, help_text=None) -> forms.FileField:
    return forms.FileField(
        label=label,
        required=required,
        help_text=help_text
        or _("PDF, image or Office document, up to the size limit of the portal."),
        widget=forms.ClearableFileInput(attrs={"accept": EVIDENCE.html_accept}),
    )


def _checked(form: forms.Form, name: str) -> None:
    """Replace an uploaded file in ``cleaned_data`` by its checked upload (or an error)."""
    upload = form.cleaned_data.get(name)
    if upload:
        try:
            form.cleaned_data[name] = check_upload(
                upload, EVIDENCE, limit=settings.PORTAL_MAX_UPLOAD_BYTES
            )
        except ValidationError as err:
            form.add_error(name, err)


class VersionField(forms.IntegerField):
    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(min_value=1, **kwargs)


class ApplyForm(NormalisedForm):
    submission = forms.TypedChoiceField(
        label=_("Self-assessment to apply with"), coerce=int, widget=forms.RadioSelect
    )
    confirm = forms.BooleanField(
        label=_("I confirm that the answers and evidence are true and complete."), required=True
    )

    def __init__(self, *args, submissions=(), materials=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.materials = list(materials)
        for material in self.materials:
            self.fields[f"material_{material.code}"] = _evidence_field(
                material.title, required=material.required, help_text=material.help or None
            )
        self.order_fields(["submission", *[f"material_{m.code}" for m in self.materials]])
        self.fields["submission"].choices = [
            (
                s.pk,
                _("%(date)s · %(total)s points · %(level)s")
                % {
                    "date": s.submitted_at.strftime("%Y-%m-%d"),
                    "total": numbers.points(s.total),
                    "level": labels.level_label_of(s, text_lang()),
                },
            )
            for s in submissions
        ]
        if len(self.fields["submission"].choices) == 1:
            self.fields["submission"].initial = self.fields["submission"].choices[0][0]

    def clean(self):
        data = super().clean()
        for material in self.materials:
            _checked(self, f"material_{material.code}")
        return data

    def material_uploads(self) -> dict:
        return {
            m.code: self.cleaned_data[f"material_{m.code}"]
            for m in self.materials
            if self.cleaned_data.get(f"material_{m.code}")
        }

    def material_fields(self):
        return [self[f"material_{m.code}"] for m in self.materials]


# Sort key -> label; the orderings are in selectors.order_queue.
SORTS = {
    "workflow": _("Workflow order (stage, then longest waiting)"),
    "-created": _("Newest first"),
    "created": _("Oldest first"),
    "deadline": _("Deadline (soonest first)"),
    "-score": _("Highest score first"),
    "score": _("Lowest score first"),
    "enterprise": _("Enterprise name (pinyin)"),
}


class QueueFilterForm(NormalisedForm):
    q = forms.CharField(
        label=_("Enterprise name or credit code"),
        required=False,
        max_length=200,
        help_text=_("Any part of the name or the code; several words must all match."),
    )
    programme = forms.TypedChoiceField(
        label=_("Programme"), required=False, coerce=int, empty_value=None
    )
    state = forms.ChoiceField(label=_("State"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)
    industry = forms.ChoiceField(label=_("Industry"), required=False)
    level = forms.ChoiceField(label=_("Level"), required=False)
    score_min = forms.DecimalField(
        label=_("Score from"), required=False, min_value=0, decimal_places=2
    )
    score_max = forms.DecimalField(
        label=_("Score to"), required=False, min_value=0, decimal_places=2
    )
    mine = forms.BooleanField(label=_("Assigned to me"), required=False)
    overdue = forms.BooleanField(label=_("Changes overdue"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), required=False)

    def __init__(self, *args, programmes=(), regions=(), levels=(), **kwargs):
        super().__init__(*args, **kwargs)
        anything = [("", _("Any"))]
        self.fields["programme"].choices = anything + [(p.pk, p.title) for p in programmes]
        self.fields["state"].choices = anything + list(State.choices)
        self.fields["region"].choices = anything + [(r.code, r.full_name) for r in regions]
        self.fields["industry"].choices = anything + list(Industry.choices)
        self.fields["level"].choices = anything + list(levels)
        self.fields["sort"].choices = list(SORTS.items())

    def clean(self):
        data = super().clean()
        low, high = data.get("score_min"), data.get("score_max")
        if low is not None and high is not None and low > high:
            raise ValidationError(_("“Score from” must not be above “Score to”."))
        return data


class TransitionForm(NormalisedForm):
    action = forms.ChoiceField(
        choices=[
            (a, TRANSITIONS[a].label)
            for a in (*PLAIN_REVIEWER_ACTIONS, "withdraw", "request_reconsideration")
        ]
    )
    reason = _text(_("Reason (recorded in the audit trail and sent to the firm)"))
    note = _text(NOTE_LABEL, rows=2)
    override_reason = _text(
        _("Override reason (lead reviewers; recorded in the audit trail and the export)"),
        rows=2,
    )
    version = VersionField()


class ReconsiderationForm(NormalisedForm):
    reason = _text(_("Why should the decision be reconsidered?"), required=True, rows=5)
    evidence = _evidence_field(_("Evidence (optional)"))
    version = VersionField()

    def clean(self):
        data = super().clean()
        _checked(self, "evidence")
        return data


class NoteForm(NormalisedForm):
    text = _text(NOTE_LABEL, required=True, rows=2)


class MessageForm(NormalisedForm):
    text = _text(MESSAGE_LABEL, required=True, rows=2)


class MaterialCheckForm(NormalisedForm):
    """Complete or incomplete, with a reason, for each required material."""

    version = VersionField()

    def __init__(self, *args, materials=(), checks=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.materials = list(materials)
        checks = checks or {}
        choices = [
            (MaterialCheck.Status.COMPLETE, MaterialCheck.Status.COMPLETE.label),
            (MaterialCheck.Status.INCOMPLETE, MaterialCheck.Status.INCOMPLETE.label),
        ]
        for material in self.materials:
            check = checks.get(material.pk)
            self.fields[f"status_{material.pk}"] = forms.ChoiceField(
                label=material.title,
                choices=choices,
                required=False,
                widget=forms.RadioSelect,
                initial=check.status if check else None,
            )
            self.fields[f"reason_{material.pk}"] = forms.CharField(
                label=_("Reason (what is missing or wrong)"),
                required=False,
                max_length=2000,
                initial=check.reason if check else "",
            )

    def clean(self):
        data = super().clean()
        for material in self.materials:
            if data.get(
                f"status_{material.pk}"
            ) == MaterialCheck.Status.INCOMPLETE and not data.get(f"reason_{material.pk}"):
                self.add_error(f"reason_{material.pk}", _("Say what is missing or wrong."))
        return data

    def rows(self):
        for material in self.materials:
            yield material, self[f"status_{material.pk}"], self[f"reason_{material.pk}"]

    def results(self) -> dict[int, tuple[str, str]]:
        out = {}
        for material in self.materials:
            status = self.cleaned_data.get(f"status_{material.pk}")
            if status:
                out[material.pk] = (status, self.cleaned_data.get(f"reason_{material.pk}") or "")
        return out


class ExpertAssignForm(NormalisedForm):
    experts = forms.TypedMultipleChoiceField(
        label=_("Experts"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    version = VersionField()

    def __init__(self, *args, experts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["experts"].choices = [
            (u.pk, u.get_full_name() or u.get_username()) for u in experts
        ]


class _PointsForm(NormalisedForm):
    """Points per applicable scored item (0 to the item's maximum)."""

    def add_points(self, rows, initial) -> None:
        self.point_rows = [r for r in rows if r.kind == "item" and r.max_value is not None]
        for row in self.point_rows:
            self.fields[f"points_{row.code}"] = forms.DecimalField(
                label=_("Points for %(code)s") % {"code": row.reference},
                min_value=Decimal(0),
                max_value=row.max_value,
                decimal_places=2,
                required=False,
                initial=initial.get(row.code),
            )

    def points(self) -> dict:
        return {r.code: self.cleaned_data.get(f"points_{r.code}") for r in self.point_rows}

    def bound_points(self):
        for row in self.point_rows:
            yield row, self[f"points_{row.code}"]


class ExpertScoreForm(_PointsForm):
    note = _text(NOTE_LABEL, rows=3)
    no_conflict = forms.BooleanField(
        label=_(
            "I declare that I have no conflict of interest with this enterprise (no relative "
            "works there, I have not advised it in the last three years, I hold no stake in it)."
        ),
        required=True,
    )

    def __init__(self, *args, rows=(), initial_points=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_points(rows, initial_points or {})


class ConsensusForm(_PointsForm):
    reason = _text(
        _("Reason for the consensus (needed when the experts differ by more than the threshold)"),
        rows=3,
    )
    version = VersionField()

    def __init__(self, *args, rows=(), initial_points=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_points(rows, initial_points or {})


class ObjectionForm(NormalisedForm):
    """An objection to an application under public notice (anyone, signed out)."""

    name = forms.CharField(label=_("Your name"), max_length=100, validators=[validate_single_line])
    organisation = forms.CharField(
        label=_("Organisation (optional)"),
        max_length=200,
        required=False,
        validators=[validate_single_line],
    )
    contact = IdentifierField(
        label=_("Telephone or e-mail"),
        max_length=200,
        help_text=_("The bureau uses it only to contact you about the objection."),
        validators=[validate_single_line],
    )
    text = _text(
        _("Your objection: what is wrong, and how do you know?"),
        required=True,
        rows=6,
        min_length=10,
    )
    evidence = _evidence_field(_("Evidence (optional)"))

    def clean(self):
        data = super().clean()
        _checked(self, "evidence")
        return data


class ObjectionAnswerForm(NormalisedForm):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=Objection.Outcome.choices, widget=forms.RadioSelect
    )
    answer = _text(_("Answer (the reasons; recorded in the audit trail)"), required=True)


class BulkAssignForm(NormalisedForm):
    ids = forms.TypedMultipleChoiceField(coerce=int, label=_("Applications"))
    assignee = forms.TypedChoiceField(label=_("Assign the ticked applications to"), coerce=int)

    def __init__(self, *args, ids=(), reviewers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ids"].choices = [(i, str(i)) for i in ids]
        self.fields["assignee"].choices = [
            (u.pk, u.get_full_name() or u.get_username()) for u in reviewers
        ]


class AssignForm(forms.Form):
    assignee = forms.TypedChoiceField(
        label=_("Assign to"), coerce=int, required=False, empty_value=None
    )
    version = VersionField()

    def __init__(self, *args, reviewers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [("", _("Nobody (release)"))] + [
            (u.pk, u.get_full_name() or u.get_username()) for u in reviewers
        ]


class ConflictForm(NormalisedForm):
    note = forms.CharField(
        label=_("What is the conflict?"),
        help_text=_(
            "For example: a relative works there, or you advised the firm in the last three years."
        ),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


class CertificateStatusForm(NormalisedForm):
    action = forms.ChoiceField(
        label=_("Action"),
        choices=[("suspend", _("Suspend")), ("reinstate", _("Reinstate")), ("revoke", _("Revoke"))],
    )
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000
    )


class ItemReviewForm(NormalisedForm):
    """Per item: adjusted points (scored items) or a decision with its reason (bonus: accept or
    strike out; veto: confirm or raise), an internal note, a message to the firm, and "reopen";
    then either save, or request changes (补正) with what is needed and a deadline."""

    op = forms.ChoiceField(choices=[("save", "save"), ("return", "return")])
    reason = _text(
        _("What the firm must do (sent to the firm)"),
        help_text=_("Needed when you request changes."),
    )
    deadline = forms.DateField(
        label=_("Deadline for the changes"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    materials = forms.MultipleChoiceField(
        label=_("Materials to send again"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = _text(NOTE_LABEL, rows=2)
    version = VersionField()

    def __init__(self, *args, rows=(), materials=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = list(rows)
        self.fields["materials"].choices = [(m.code, m.title) for m in materials]
        if not materials:
            del self.fields["materials"]
        for row in self.rows:
            ref = row.reference
            if row.kind == "item":
                self.fields[f"points_{row.code}"] = forms.DecimalField(
                    label=_("Adjusted points for %(code)s") % {"code": ref},
                    required=False,
                    min_value=Decimal(0),
                    max_value=row.max_value,
                    decimal_places=2,
                    initial=row.adjusted_points,
                )
            elif row.kind == "veto" or row.claimed:
                choices = (
                    [ItemReview.Decision.ACCEPTED, ItemReview.Decision.STRUCK]
                    if row.kind == "bonus"
                    else [ItemReview.Decision.CONFIRMED, ItemReview.Decision.RAISED]
                )
                self.fields[f"decision_{row.code}"] = forms.ChoiceField(
                    label=_("Decision on %(code)s") % {"code": ref},
                    required=False,
                    choices=[("", _("Not decided"))] + [(c.value, c.label) for c in choices],
                    initial=row.decision,
                )
                self.fields[f"reason_{row.code}"] = forms.CharField(
                    label=_("Reason for the decision on %(code)s") % {"code": ref},
                    required=False,
                    max_length=2000,
                    initial=row.decision_reason,
                    widget=forms.Textarea(attrs={"rows": 1}),
                )
            self.fields[f"note_{row.code}"] = forms.CharField(
                label=_("Internal note on %(code)s") % {"code": ref},
                required=False,
                max_length=2000,
                initial=row.note,
                widget=forms.Textarea(attrs={"rows": 1}),
            )
            self.fields[f"message_{row.code}"] = forms.CharField(
                label=_("Message to the firm on %(code)s") % {"code": ref},
                required=False,
                max_length=2000,
                initial=row.message,
                widget=forms.Textarea(attrs={"rows": 1}),
            )
            self.fields[f"reopen_{row.code}"] = forms.BooleanField(
                label=_("Ask the firm to change %(code)s") % {"code": ref}, required=False
            )

    def _field(self, name: str):
        return self[name] if name in self.fields else None

    def bound_row_fields(self):
        for row in self.rows:
            names = ("points", "decision", "reason", "note", "message")
            fields = [self._field(f"{name}_{row.code}") for name in names]
            yield {
                "row": row,
                "fields": [f for f in fields if f is not None],
                "reopen": self[f"reopen_{row.code}"],
            }

    def clean(self):
        data = super().clean()
        for row in self.rows:
            decision = data.get(f"decision_{row.code}")
            if (
                decision in (ItemReview.Decision.STRUCK, ItemReview.Decision.RAISED)
                and not (data.get(f"reason_{row.code}") or "").strip()
            ):
                self.add_error(
                    f"reason_{row.code}",
                    _("Give the reason for this decision; the firm sees it."),
                )
        if data.get("op") == "return":
            if not self.reopened() and not data.get("materials"):
                raise ValidationError(_("Tick at least one item or material the firm must change."))
            if not (data.get("reason") or "").strip():
                self.add_error("reason", _("Tell the firm what to change."))
        return data

    def reviews(self) -> dict[str, ItemInput]:
        out = {}
        for row in self.rows:
            get = self.cleaned_data.get
            out[row.code] = ItemInput(
                points=get(f"points_{row.code}") if row.kind == "item" else None,
                note=(get(f"note_{row.code}") or "").strip(),
                message=(get(f"message_{row.code}") or "").strip(),
                decision=get(f"decision_{row.code}") or "",
                decision_reason=(get(f"reason_{row.code}") or "").strip(),
            )
        return out

    def reopened(self) -> list[str]:
        return [row.code for row in self.rows if self.cleaned_data.get(f"reopen_{row.code}")]

    def messages(self) -> dict[str, str]:
        return {row.code: self.cleaned_data.get(f"message_{row.code}") or "" for row in self.rows}


@dataclass(frozen=True)
class FieldInfo:
    """What a form field for one answer key needs: kind, label and options in one language."""

    key: str
    kind: str
    label: str
    help: str = ""
    unit: str | None = None
    options: tuple[tuple[str, str], ...] = ()
    required: bool = True
    integer: bool = False
    min: Decimal | None = None
    max: Decimal | None = None


def field_infos(scheme: engine.Scheme, lang: str) -> dict[str, FieldInfo]:
    """Every answer key of the scheme with its label, kind and options in ``lang``."""
    kinds = {f.key: f for f in scheme.answer_fields}
    out: dict[str, FieldInfo] = {}

    def spec(key: str):
        f = kinds.get(key)
        return (
            (f.kind, f.required, f.integer, f.min, f.max)
            if f
            else ("choice", True, False, None, None)
        )

    for item in scheme.inputs:
        kind, required, integer, mn, mx = spec(item.code)
        out[item.code] = FieldInfo(
            item.code, kind, item.label.get(lang), item.help.get(lang),
            numbers.unit_text(item.unit, lang),
            tuple((o.code, o.label.get(lang)) for o in item.options), required, integer, mn, mx,
        )  # fmt: skip
    for item in scheme.items:
        if item.expression is not None or item.code not in kinds:
            continue
        kind, required, integer, mn, mx = spec(item.code)
        out[item.code] = FieldInfo(
            item.code, kind, item.text.get(lang), item.help.get(lang),
            numbers.unit_text(item.unit, lang),
            tuple((o.code, o.label.get(lang)) for o in item.options), required, integer, mn, mx,
        )  # fmt: skip
    for bonus in scheme.bonus.items if scheme.bonus else ():
        out[bonus.code] = FieldInfo(
            bonus.code, "boolean", bonus.label.get(lang), bonus.help.get(lang), required=False
        )
    for veto in scheme.vetoes:
        out[veto.code] = FieldInfo(veto.code, "boolean", veto.label.get(lang), veto.help.get(lang))
    return out


def answer_field(info: FieldInfo) -> forms.Field:
    """A form field for one answer key (numbers, dates, yes/no, choices)."""
    common = {"label": info.label, "help_text": info.help, "required": info.required}
    if info.kind == "number":
        field = forms.DecimalField(
            min_value=info.min,
            max_value=info.max,
            decimal_places=0 if info.integer else None,
            **common,
        )
        if info.unit:
            field.help_text = f"{info.help} ({info.unit})".strip()
        return field
    if info.kind == "date":
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if info.kind == "boolean":
        return forms.TypedChoiceField(
            choices=[("", "—"), ("yes", _("Yes")), ("no", _("No"))],
            coerce=lambda v: v == "yes",
            empty_value=None,
            **common,
        )
    if info.kind == "multi":
        return forms.MultipleChoiceField(
            choices=info.options, widget=forms.CheckboxSelectMultiple, **common
        )
    return forms.ChoiceField(choices=[("", "—"), *info.options], **common)


def initial_value(info: FieldInfo, value):
    if value is None:
        return None
    if info.kind == "boolean":
        return "yes" if value else "no"
    return value


class ResubmitForm(NormalisedForm):
    """The reopened answers only; every other answer stays as submitted."""

    comment = forms.CharField(
        label=_("Note to the reviewer"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )
    version = VersionField()

    def __init__(
        self,
        *args,
        infos: dict[str, FieldInfo],
        keys,
        answers: dict,
        codes=(),
        materials=(),
        references=None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.keys = list(keys)
        self.codes = list(codes)
        self.materials = list(materials)
        references = references or {}
        for key in self.keys:
            info = infos.get(key) or FieldInfo(key, "number", key)
            field = answer_field(info)
            field.initial = initial_value(info, answers.get(key))
            self.fields[f"answer_{key}"] = field
        for code in self.codes:
            self.fields[f"evidence_{code}"] = forms.FileField(
                label=_("New evidence for %(code)s (optional)")
                % {"code": references.get(code, code)},
                help_text=_("PDF, image or Office document; it is added to the evidence you sent."),
                required=False,
                widget=forms.ClearableFileInput(attrs={"accept": EVIDENCE.html_accept}),
            )
        for material in self.materials:
            self.fields[f"material_{material.code}"] = _evidence_field(
                _("New file: %(material)s") % {"material": material.title}, required=True
            )
        # Keep the comment last.
        self.order_fields(
            [f"answer_{k}" for k in self.keys]
            + [f"evidence_{c}" for c in self.codes]
            + [f"material_{m.code}" for m in self.materials]
            + ["comment", "version"]
        )

    def clean(self):
        data = super().clean()
        for code in self.codes:
            upload = data.get(f"evidence_{code}")
            if upload:
                try:
                    data[f"evidence_{code}"] = check_upload(
                        upload, EVIDENCE, limit=settings.PORTAL_MAX_UPLOAD_BYTES
                    )
                except ValidationError as err:
                    self.add_error(f"evidence_{code}", err)
        for material in self.materials:
            _checked(self, f"material_{material.code}")
        return data

    def material_uploads(self) -> dict:
        return {
            m.code: self.cleaned_data[f"material_{m.code}"]
            for m in self.materials
            if self.cleaned_data.get(f"material_{m.code}")
        }

    def evidence(self) -> dict:
        """Checked uploads by item code."""
        return {
            code: self.cleaned_data[f"evidence_{code}"]
            for code in self.codes
            if self.cleaned_data.get(f"evidence_{code}")
        }

    def answers(self) -> dict:
        out = {}
        for key in self.keys:
            value = self.cleaned_data.get(f"answer_{key}")
            if isinstance(value, Decimal):
                value = int(value) if value == value.to_integral_value() else str(value)
            elif isinstance(value, dt.date):
                value = value.isoformat()
            elif value == "" or value == []:
                value = None
            out[key] = value
        return out


CERTIFICATE_STATUS_CHOICES = Certificate.Status.choices
