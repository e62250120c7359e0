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
from assessments.review.models import Certificate, State
from assessments.review.transitions import PLAIN_REVIEWER_ACTIONS, TRANSITIONS
from portal.accounts.choices import Industry
from portal.core.i18n import text_lang
from portal.core.uploads import EVIDENCE, check_upload


class VersionField(forms.IntegerField):
    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(min_value=1, **kwargs)


class ApplyForm(forms.Form):
    submission = forms.TypedChoiceField(
        label=_("Self-assessment to apply with"), coerce=int, widget=forms.RadioSelect
    )
    confirm = forms.BooleanField(
        label=_("I confirm that the answers and evidence are true and complete."), required=True
    )

    def __init__(self, *args, submissions=(), **kwargs):
        super().__init__(*args, **kwargs)
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


SORTS = {
    "-created": ("-created_at", _("Newest first")),
    "created": ("created_at", _("Oldest first")),
    "-score": ("-score", _("Highest score first")),
    "score": ("score", _("Lowest score first")),
    "enterprise": ("enterprise__name", _("Enterprise name")),
    "state": ("state", _("State")),
}


class QueueFilterForm(forms.Form):
    q = forms.CharField(label=_("Enterprise name or credit code"), required=False)
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
    sort = forms.ChoiceField(label=_("Sort by"), required=False)

    def __init__(self, *args, programmes=(), regions=(), levels=(), **kwargs):
        super().__init__(*args, **kwargs)
        anything = [("", _("Any"))]
        self.fields["programme"].choices = anything + [(p.pk, p.title) for p in programmes]
        self.fields["state"].choices = anything + list(State.choices)
        self.fields["region"].choices = anything + [(r.code, r.full_name) for r in regions]
        self.fields["industry"].choices = anything + list(Industry.choices)
        self.fields["level"].choices = anything + list(levels)
        self.fields["sort"].choices = [(k, label) for k, (_o, label) in SORTS.items()]

    def clean(self):
        data = super().clean()
        low, high = data.get("score_min"), data.get("score_max")
        if low is not None and high is not None and low > high:
            raise ValidationError(_("“Score from” must not be above “Score to”."))
        return data


class TransitionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[(a, TRANSITIONS[a].label) for a in (*PLAIN_REVIEWER_ACTIONS, "withdraw")]
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )
    version = VersionField()


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


class ConflictForm(forms.Form):
    note = forms.CharField(
        label=_("What is the conflict?"),
        help_text=_(
            "For example: a relative works there, or you advised the firm in the last three years."
        ),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


class CertificateStatusForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Action"),
        choices=[("suspend", _("Suspend")), ("reinstate", _("Reinstate")), ("revoke", _("Revoke"))],
    )
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000
    )


class ItemReviewForm(forms.Form):
    """Adjusted points, comment and "reopen" per item, plus the request-changes reason."""

    op = forms.ChoiceField(choices=[("save", "save"), ("return", "return")])
    reason = forms.CharField(
        label=_("Message to the firm"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        help_text=_("Needed when you request changes: what must the firm do?"),
    )
    version = VersionField()

    def __init__(self, *args, rows=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = list(rows)
        for row in self.rows:
            if row.kind == "item":
                self.fields[f"points_{row.code}"] = forms.DecimalField(
                    label=_("Adjusted points for %(code)s") % {"code": row.code},
                    required=False,
                    min_value=Decimal(0),
                    max_value=row.max_value,
                    decimal_places=2,
                    initial=row.adjusted_points,
                )
            self.fields[f"comment_{row.code}"] = forms.CharField(
                label=_("Comment on %(code)s") % {"code": row.code},
                required=False,
                max_length=2000,
                initial=row.comment,
                widget=forms.Textarea(attrs={"rows": 1}),
            )
            self.fields[f"reopen_{row.code}"] = forms.BooleanField(
                label=_("Ask the firm to change %(code)s") % {"code": row.code}, required=False
            )

    def bound_row_fields(self):
        for row in self.rows:
            yield (
                row,
                self[f"points_{row.code}"] if row.kind == "item" else None,
                self[f"comment_{row.code}"],
                self[f"reopen_{row.code}"],
            )

    def clean(self):
        data = super().clean()
        if data.get("op") == "return":
            if not self.reopened():
                raise ValidationError(_("Tick at least one item the firm must change."))
            if not (data.get("reason") or "").strip():
                self.add_error("reason", _("Tell the firm what to change."))
        return data

    def reviews(self) -> dict:
        return {
            row.code: (
                self.cleaned_data.get(f"points_{row.code}") if row.kind == "item" else None,
                (self.cleaned_data.get(f"comment_{row.code}") or "").strip(),
            )
            for row in self.rows
        }

    def reopened(self) -> list[str]:
        return [row.code for row in self.rows if self.cleaned_data.get(f"reopen_{row.code}")]

    def comments(self) -> dict[str, str]:
        return {row.code: self.cleaned_data.get(f"comment_{row.code}") or "" for row in self.rows}


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


class ResubmitForm(forms.Form):
    """The reopened answers only; every other answer stays as submitted."""

    comment = forms.CharField(
        label=_("Note to the reviewer"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )
    version = VersionField()

    def __init__(self, *args, infos: dict[str, FieldInfo], keys, answers: dict, codes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.keys = list(keys)
        self.codes = list(codes)
        for key in self.keys:
            info = infos.get(key) or FieldInfo(key, "number", key)
            field = answer_field(info)
            field.initial = initial_value(info, answers.get(key))
            self.fields[f"answer_{key}"] = field
        for code in self.codes:
            self.fields[f"evidence_{code}"] = forms.FileField(
                label=_("New evidence for %(code)s (optional)") % {"code": code},
                help_text=_("PDF, image or Office document; it is added to the evidence you sent."),
                required=False,
                widget=forms.ClearableFileInput(attrs={"accept": EVIDENCE.html_accept}),
            )
        # Keep the comment last.
        self.order_fields(
            [f"answer_{k}" for k in self.keys]
            + [f"evidence_{c}" for c in self.codes]
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
        return data

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
