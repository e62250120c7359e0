"""The action form of an improvement plan (bounded, normalised input)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.core.forms import NormalisedForm
from portal.core.text import validate_single_line

from .models import NOTES_MAX, TITLE_MAX, Action
from .selectors import person

#: How far ahead a due date may be.
LATEST_DUE = dt.timedelta(days=5 * 366)
EARLIEST_DUE = dt.date(2000, 1, 1)


class OwnerField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return person(obj)


class ActionForm(NormalisedForm):
    item = forms.ChoiceField(label=_("Item"))
    title = forms.CharField(
        label=pgettext_lazy("improvement plan", "Action"),
        max_length=TITLE_MAX,
        validators=[validate_single_line],
        help_text=_("What will be done, in one line, e.g. “Adopt an IP management manual”."),
    )
    owner = OwnerField(
        label=_("Owner"),
        queryset=None,
        empty_label=None,
        help_text=_("A member of your enterprise; reminders go to their e-mail address."),
    )
    due_on = forms.DateField(
        label=_("Due date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Written YYYY-MM-DD. The owner is reminded by e-mail a few days before."),
    )
    status = forms.ChoiceField(label=_("Status"), choices=Action.Status.choices)
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, items: dict[str, str], members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = list(items.items())
        self.fields["owner"].queryset = members

    def clean_due_on(self) -> dt.date:
        due = self.cleaned_data["due_on"]
        latest = timezone.localdate() + LATEST_DUE
        if not EARLIEST_DUE <= due <= latest:
            raise forms.ValidationError(
                _("Enter a due date between %(first)s and %(last)s.")
                % {"first": EARLIEST_DUE.isoformat(), "last": latest.isoformat()}
            )
        return due
