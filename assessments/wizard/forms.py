"""Step forms generated from the step plan, and the conversions between form data and answers.

Every field is optional at the Django level; :meth:`StepForm.clean` requires the answers that
are required *and shown* (their conditions hold on the saved answers merged with this step's
input), so hidden fields never block a step and "back", "jump" and "save and exit" can store
unfinished input without validating it.

Given the scheme, the form also checks its consistency rules on the merged answers: a broken
rule (e.g. more invention applications than applications in total) is shown on every field of
the step that the rule reads, with the scheme's message saying what must hold. Each of those
answers is valid on its own and is still saved; the rule blocks "next" and the submission.
Firm facts (:mod:`.facts`) are not fields: they come from the enterprise record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments import engine
from assessments.engine.conditions import condition_keys
from assessments.engine.numbers import normalized, parse_number
from assessments.engine.validation import INCONSISTENT
from assessments.presentation import numbers
from portal.core.forms import IDENTIFIER, NormalisedInputMixin, figure_error
from portal.core.text import FigureError, parse_figure

from .facts import fact_keys
from .steps import FieldSpec, StepSpec

YES = "yes"
NO = "no"

REQUIRED_MESSAGE = _("Answer this question.")
# Figures are counts, percentages and amounts in 10,000 RMB: 15 whole digits is plenty, and
# keeps every value inside the 28-digit decimal context the engine computes in.
MAX_INTEGER_DIGITS = 15
MAX_DECIMAL_PLACES = 6


def without_nul(text: str) -> str:
    """``text`` without NUL characters (PostgreSQL rejects them in text and JSON)."""
    return text.replace("\x00", "")


def _fmt(value: Decimal) -> str:
    return format(normalized(value), "f")


class NumberAnswerField(forms.CharField):
    """A figure: decimal text as people type it (full-width digits, thousands separators such as
    "1,200,000", "1，200，000" or "1 200 000"; see :func:`portal.core.text.parse_figure`),
    range-checked."""

    input_kind = IDENTIFIER

    def __init__(self, *, integer: bool, min_value: Decimal | None, max_value: Decimal | None,
                 **kwargs: Any) -> None:  # fmt: skip
        self.integer = integer
        # Figures are never negative unless the scheme allows it explicitly.
        self.min_value = Decimal(0) if min_value is None else min_value
        self.max_value = max_value
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {"inputmode": "numeric" if integer else "decimal", "autocomplete": "off"}
        )

    def to_python(self, value: Any) -> str | None:
        too_long = forms.ValidationError(
            _(
                "Enter a number with at most %(whole)s digits before the decimal point "
                "and %(places)s after it."
            ),
            code="too_long",
            params={"whole": MAX_INTEGER_DIGITS, "places": MAX_DECIMAL_PLACES},
        )
        try:
            number = parse_figure(super().to_python(value))
        except FigureError as exc:
            raise (too_long if exc.code == "too_long" else figure_error(exc)) from None
        if number is None:
            return None
        _sign, digits, exponent = number.as_tuple()
        places = -exponent if exponent < 0 else 0
        if len(digits) - places > MAX_INTEGER_DIGITS or places > MAX_DECIMAL_PLACES:
            raise too_long
        if self.integer and number != number.to_integral_value():
            raise forms.ValidationError(_("Enter a whole number."), code="not_integer")
        low, high = self.min_value, self.max_value
        if (number < low) or (high is not None and number > high):
            if high is None:
                message = _("Enter a number of at least %(min)s.")
            else:
                message = _("Enter a number between %(min)s and %(max)s.")
            raise forms.ValidationError(
                message,
                code="out_of_range",
                params={"min": _fmt(low), "max": _fmt(high) if high is not None else ""},
            )
        return _fmt(number)


class DateAnswerField(forms.CharField):
    """An ISO date that is not in the future."""

    input_kind = IDENTIFIER
    widget = forms.DateInput(attrs={"type": "date"})

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str | None:
        text = super().to_python(value)
        if not text:
            return None
        try:
            day = dt.date.fromisoformat(text.strip())
        except ValueError:
            raise forms.ValidationError(
                _("Enter a date in the form YYYY-MM-DD, for example 2016-05-01."), code="invalid"
            ) from None
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."), code="future")
        return day.isoformat()


class YesNoField(forms.TypedChoiceField):
    widget = forms.RadioSelect

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(
            choices=[(YES, _("Yes")), (NO, _("No"))],
            coerce=lambda v: v == YES,
            empty_value=None,
            **kwargs,
        )


def _options(spec: FieldSpec, lang: str) -> list[tuple[str, str]]:
    return [
        (o.code, o.label.get(lang))
        for o in spec.options
        if not (o.na and not spec.na_allowed and spec.kind == "conformity")
    ]


def make_field(spec: FieldSpec, lang: str) -> forms.Field:
    label = spec.label.get(lang)
    help_text = spec.help.get(lang)
    unit_words = numbers.unit_text(spec.unit, lang)
    if unit_words:
        unit = _("Unit: %(unit)s") % {"unit": unit_words}
        help_text = f"{help_text} {unit}".strip()
    common = {"label": label, "help_text": help_text, "required": False}
    if spec.kind == "number":
        return NumberAnswerField(
            integer=spec.integer, min_value=spec.min, max_value=spec.max, **common
        )
    if spec.kind == "date":
        return DateAnswerField(**common)
    if spec.kind == "boolean":
        return YesNoField(**common)
    if spec.kind == "multi":
        return forms.MultipleChoiceField(
            choices=_options(spec, lang), widget=forms.CheckboxSelectMultiple, **common
        )
    return forms.ChoiceField(choices=_options(spec, lang), widget=forms.RadioSelect, **common)


class StepForm(NormalisedInputMixin, forms.Form):
    """The form of one wizard step."""

    def __init__(self, *args: Any, step: StepSpec, lang: str = "zh",
                 context_answers: Mapping[str, Any] | None = None,
                 scheme: engine.Scheme | None = None, on: dt.date | None = None,
                 **kwargs: Any) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        self.step = step
        self.lang = lang
        self.scheme = scheme
        self.on = on
        self.context_answers = dict(context_answers or {})
        self.specs: dict[str, FieldSpec] = {}
        self.field_values: dict[str, Any] = {}
        facts = fact_keys(scheme) if scheme is not None else frozenset()
        for spec in step.fields:
            if spec.key in facts:
                continue  # from the enterprise record, shown read-only
            # A field whose condition reads only other steps' answers is left out when it does
            # not hold; one that reads this step's answers is rendered (and hidden by script).
            own_keys = set(step.keys)
            if not spec.shown(self.context_answers) and not _reads(spec, own_keys):
                continue
            self.specs[spec.key] = spec
            field = make_field(spec, lang)
            field.answer_required = spec.required
            field.spec = spec
            self.fields[spec.key] = field

    def merged_answers(self) -> dict[str, Any]:
        """Saved answers with this step's valid input on top (for conditions)."""
        merged = dict(self.context_answers)
        for key in self.specs:
            merged.pop(key, None)
        values = self.field_values or getattr(self, "cleaned_data", None) or {}
        for key, value in values.items():
            if value not in (None, "", []):
                merged[key] = value
        return merged

    def shown_keys(self) -> list[str]:
        merged = self.merged_answers()
        return [k for k, spec in self.specs.items() if spec.shown(merged)]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        shown = set(self.shown_keys())
        for key, spec in self.specs.items():
            if key not in shown:
                cleaned.pop(key, None)
                continue
            if spec.required and key not in self.errors and cleaned.get(key) in (None, "", []):
                self.add_error(key, forms.ValidationError(REQUIRED_MESSAGE, code="required"))
        # Valid on their own: kept (and saved) even when a consistency rule below fails.
        self.field_values = dict(cleaned)
        for key, message in self.rule_errors().items():
            if key in self.fields and key not in self.errors:
                self.add_error(key, forms.ValidationError(message, code=INCONSISTENT))
        return cleaned

    def rule_errors(self) -> dict[str, str]:
        """The scheme's broken consistency rules, as a message for each field of this step.

        A rule reading keys on other steps is shown on the fields it reads here.
        """
        if self.scheme is None or not self.scheme.rules:
            return {}
        merged = self.merged_answers()
        out: dict[str, str] = {}
        for error in engine.validate_answers(self.scheme, merged, self.on):
            if error.code != INCONSISTENT or not error.rule:
                continue
            message = self.scheme.rule(error.rule).message.get(self.lang)
            for key in error.keys:
                if key in self.specs:
                    out.setdefault(key, message)
        return out

    def valid_answers(self) -> dict[str, Any]:
        """The answers of this step that are valid and shown, in the engine's format.

        Available after validation even when other fields of the step have errors.
        """
        self.is_valid()
        shown = set(self.shown_keys())
        out: dict[str, Any] = {}
        for key, value in self.field_values.items():
            if key in shown and value not in (None, "", []):
                out[key] = list(value) if isinstance(value, list | tuple) else value
        return out

    def raw_data(self) -> dict[str, list[str]]:
        """This step's posted values (including invalid ones), keyed by prefixed field name.

        The same shape formtools keeps as step data, so it can bind the form again. NUL
        characters are dropped: no browser sends them and PostgreSQL's JSON cannot store them.
        """
        out: dict[str, list[str]] = {}
        if not self.is_bound:
            return out
        for key in self.specs:
            name = self.add_prefix(key)
            values = self.data.getlist(name) if hasattr(self.data, "getlist") else None
            if values is None:
                raw = self.data.get(name)
                values = [] if raw is None else (raw if isinstance(raw, list) else [raw])
            out[name] = [without_nul(str(v)) for v in values]
        return out


def _reads(spec: FieldSpec, keys: set[str]) -> bool:
    return any(condition_keys(c) & keys for c in spec.conditions)


# --------------------------------------------------------------------------- conversions


def raw_from_answer(spec: FieldSpec, value: Any) -> list[str]:
    """The form representation of an engine answer (for pre-filled and demo drafts)."""
    if value is None:
        return []
    if spec.kind == "boolean":
        return [YES if value is True else NO]
    if spec.kind == "multi":
        return [str(v) for v in value]
    if spec.kind == "number":
        number = parse_number(value)
        return [_fmt(number)] if number is not None else [str(value)]
    return [str(value)]


def field_name(step_key: str, key: str) -> str:
    """The posted name of a field (formtools prefixes fields with the step name)."""
    return f"{step_key}-{key}"


def initial_from_raw(step: StepSpec, raw: Mapping[str, list[str]] | None) -> dict[str, Any]:
    """Initial values for an unbound form showing stored input (no validation errors on GET)."""
    out: dict[str, Any] = {}
    for spec in step.fields:
        name = field_name(step.key, spec.key)
        values = raw.getlist(name) if hasattr(raw, "getlist") else (raw or {}).get(name) or []
        if spec.kind == "multi":
            out[spec.key] = list(values)
        elif values:
            out[spec.key] = values[0]
    return out
