"""Forms normalise what people type before validating it (see :mod:`portal.core.text`).

Every project form inherits :class:`NormalisedInputMixin` (or uses :class:`NormalisedForm` /
:class:`NormalisedModelForm`). Before validation the mixin rewrites the bound data, field by
field, according to the field's *input kind*:

* ``identifier`` — e-mail, user name, slug, date and time, choice, boolean and URL fields, and
  any field with ``input_kind = "identifier"`` (codes, phone numbers): NFKC and trimmed;
* ``figure`` — integer, decimal and float fields: thousands separators removed as well; a
  malformed figure gets the figure error below instead of the field's generic one;
* ``text`` — other character fields (names, explanations, comments): zero-width and control
  characters removed, ends trimmed, characters otherwise kept;
* ``raw`` — passwords, files, JSON: left exactly as sent.

A field can say what it is with an ``input_kind`` attribute. The normalised data is what the
form shows again when it has errors, so nothing the user typed is lost, only tidied.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import UsernameField
from django.forms.fields import BaseTemporalField
from django.utils.translation import gettext_lazy as _

from portal.core.text import (
    FigureError,
    canonical_figure,
    clean_free_text,
    normalise_identifier,
    parse_figure,
)

IDENTIFIER = "identifier"
FIGURE = "figure"
TEXT = "text"
RAW = "raw"

FIGURE_MESSAGES = {
    "invalid": _("Enter a number, for example 1200 or 12.5 (without units)."),
    "separators": _(
        "Commas or spaces may only separate thousands (1,200,000); use a point for decimals (12.5)."
    ),
    "too_long": _("This number is too long."),
}

_IDENTIFIER_FIELDS = (
    forms.EmailField,
    UsernameField,
    forms.SlugField,
    forms.URLField,
    forms.UUIDField,
    forms.GenericIPAddressField,
    BaseTemporalField,
    forms.ChoiceField,  # includes ModelChoiceField, TypedChoiceField, MultipleChoiceField
    forms.BooleanField,
    forms.NullBooleanField,
)
_FIGURE_FIELDS = (forms.IntegerField, forms.DecimalField, forms.FloatField)
_RAW_WIDGETS = (forms.PasswordInput, forms.FileInput)


def input_kind(field: forms.Field) -> str:
    """How a field's input is normalised (its ``input_kind`` attribute wins)."""
    kind = getattr(field, "input_kind", None)
    if kind:
        return kind
    if isinstance(field, forms.FileField | forms.JSONField) or isinstance(
        field.widget, _RAW_WIDGETS
    ):
        return RAW
    if isinstance(field, _FIGURE_FIELDS):
        return FIGURE
    if isinstance(field, _IDENTIFIER_FIELDS):
        return IDENTIFIER
    if isinstance(field, forms.CharField):
        return TEXT
    return RAW


def figure_error(error: FigureError) -> forms.ValidationError:
    return forms.ValidationError(FIGURE_MESSAGES[error.code], code=error.code)


_NORMALISERS = {IDENTIFIER: normalise_identifier, FIGURE: canonical_figure, TEXT: clean_free_text}


def _keys(form: forms.BaseForm, name: str, field: forms.Field) -> list[str]:
    html_name = form.add_prefix(name)
    widget = field.widget
    if isinstance(widget, forms.MultiWidget):
        return [f"{html_name}{suffix}" for suffix in widget.widgets_names]
    return [html_name]


def _apply(normalise, value: Any) -> Any:
    return normalise(value) if isinstance(value, str) else value


def normalised_data(form: forms.BaseForm, data) -> tuple[Any, dict[str, FigureError]]:
    """A normalised copy of ``data`` and the figures that could not be read, by field name."""
    data = data.copy()
    bad_figures: dict[str, FigureError] = {}
    for name, field in form.fields.items():
        kind = input_kind(field)
        normalise = _NORMALISERS.get(kind)
        if normalise is None or field.disabled:
            continue
        for key in _keys(form, name, field):
            if key not in data:
                continue
            if hasattr(data, "setlist"):
                values = [_apply(normalise, v) for v in data.getlist(key)]
                raw = data.getlist(key)
                data.setlist(key, values)
            else:
                raw = data[key]
                data[key] = (
                    [_apply(normalise, v) for v in raw]
                    if isinstance(raw, list | tuple)
                    else _apply(normalise, raw)
                )
                raw = raw if isinstance(raw, list | tuple) else [raw]
            if kind == FIGURE:
                for value in raw:
                    try:
                        parse_figure(value if isinstance(value, str) else None)
                    except FigureError as exc:
                        bad_figures.setdefault(name, exc)
    return data, bad_figures


class NormalisedInputMixin:
    """Normalise the bound data by each field's input kind, then validate as usual."""

    def full_clean(self) -> None:
        bad_figures: dict[str, FigureError] = {}
        if self.is_bound and not getattr(self, "_input_normalised", False):
            self.data, bad_figures = normalised_data(self, self.data)
            self._input_normalised = True
        super().full_clean()
        for name, error in bad_figures.items():
            if name in self._errors:  # replace the field's generic "Enter a number."
                self._errors[name] = self.error_class([figure_error(error)], renderer=self.renderer)
                self.cleaned_data.pop(name, None)


class NormalisedForm(NormalisedInputMixin, forms.Form):
    pass


class NormalisedModelForm(NormalisedInputMixin, forms.ModelForm):
    pass


class IdentifierField(forms.CharField):
    """A code, phone number or other identifier typed as text (normalised with NFKC)."""

    input_kind = IDENTIFIER
