"""NormalisedInputMixin: every field gets the normalisation of its kind before validation."""

from decimal import Decimal

from django import forms
from django.http import QueryDict
from django.utils import translation
from django.utils.datastructures import MultiValueDict

from portal.core.forms import (
    FIGURE,
    IDENTIFIER,
    RAW,
    TEXT,
    IdentifierField,
    NormalisedForm,
    input_kind,
)


class SampleForm(NormalisedForm):
    code = IdentifierField(required=False)
    name = forms.CharField(required=False)
    email = forms.EmailField(required=False)
    amount = forms.DecimalField(required=False)
    count = forms.IntegerField(required=False)
    password = forms.CharField(required=False, strip=False, widget=forms.PasswordInput)
    choice = forms.ChoiceField(required=False, choices=[("a1", "A1")])
    when = forms.DateField(required=False)


def bound(**data):
    query = QueryDict(mutable=True)
    query.update(data)
    return SampleForm(query)


def test_kinds_follow_the_field_type():
    fields = SampleForm.base_fields
    assert input_kind(fields["code"]) == IDENTIFIER
    assert input_kind(fields["name"]) == TEXT
    assert input_kind(fields["email"]) == IDENTIFIER
    assert input_kind(fields["amount"]) == FIGURE
    assert input_kind(fields["password"]) == RAW
    assert input_kind(fields["when"]) == IDENTIFIER


def test_each_kind_is_normalised_before_validation():
    form = bound(
        code="\u3000ＡＢ－１２\u200b",
        name="\u3000某某（分公司）\u200b",
        email="ｗａｎｇ＠ｅｘａｍｐｌｅ．ｃｏｍ",
        amount="１，２００．５",
        count="1 200 000",
        password=" ｐａｓｓ ",
        choice="ａ１",
        when="２０２４－０３－０１",
    )
    assert form.is_valid(), form.errors
    data = form.cleaned_data
    assert data["code"] == "AB-12"
    assert data["name"] == "某某（分公司）"
    assert data["email"] == "wang@example.com"
    assert data["amount"] == Decimal("1200.5")
    assert data["count"] == 1200000
    assert data["password"] == " ｐａｓｓ "  # passwords are never touched
    assert data["choice"] == "a1"
    assert str(data["when"]) == "2024-03-01"


def test_a_malformed_figure_gets_the_figure_message():
    form = bound(amount="12,5")
    with translation.override("en"):
        assert not form.is_valid()
        errors = [str(e) for e in form.errors["amount"]]
    assert errors == [
        "Commas or spaces may only separate thousands (1,200,000); use a point for decimals (12.5)."
    ]


def test_stored_step_data_is_normalised_too():
    form = SampleForm(MultiValueDict({"code": ["ＡＢ"], "count": ["１，０００"]}))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["code"] == "AB" and form.cleaned_data["count"] == 1000
