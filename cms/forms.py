"""Filter and search forms of the policy library (GET forms; invalid values are ignored)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cms.choices import NOT_YET_IN_FORCE, NOT_YET_IN_FORCE_LABEL, PolicyCategory, Validity
from cms.search import MAX_QUERY_CHARS
from portal.core.forms import NormalisedForm

SORT_CHOICES = [("newest", _("Newest first")), ("oldest", _("Oldest first"))]


class PolicyFilterForm(NormalisedForm):
    category = forms.ChoiceField(label=_("Category"), required=False)
    authority = forms.TypedChoiceField(
        label=_("Issuing authority"), required=False, coerce=int, empty_value=None
    )
    region = forms.ChoiceField(label=_("Region"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    validity = forms.ChoiceField(label=_("Validity"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES)

    FILTER_FIELDS = ("category", "authority", "region", "year", "validity")

    def __init__(self, data=None, *, choices: dict[str, list], **kwargs) -> None:
        super().__init__(data, **kwargs)
        any_label = ("", _("All"))
        self.fields["category"].choices = [any_label, *PolicyCategory.choices]
        valid, *others = Validity.choices  # 效力 today: "not yet in force" follows the dates
        self.fields["validity"].choices = [
            any_label,
            valid,
            (NOT_YET_IN_FORCE, NOT_YET_IN_FORCE_LABEL),
            *others,
        ]
        self.fields["authority"].choices = [any_label, *choices["authorities"]]
        self.fields["region"].choices = [any_label, *choices["regions"]]
        self.fields["year"].choices = [any_label, *[(y, str(y)) for y in choices["years"]]]

    def filters(self) -> dict[str, Any]:
        """The valid, non-empty filter values (an invalid value is dropped, not an error)."""

        if not self.is_bound:
            return {}
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        values = {name: cleaned.get(name) for name in self.FILTER_FIELDS if cleaned.get(name)}
        if cleaned.get("sort"):
            values["sort"] = cleaned["sort"]
        return values

    def active_filters(self) -> dict[str, Any]:
        return {k: v for k, v in self.filters().items() if k != "sort"}


class SearchForm(PolicyFilterForm):
    q = forms.CharField(label=_("Search"), required=False, max_length=MAX_QUERY_CHARS, strip=True)

    field_order = ["q", "category", "authority", "region", "year", "validity"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["sort"]

    @property
    def query(self) -> str:
        if not self.is_bound:
            return ""
        self.is_valid()
        return getattr(self, "cleaned_data", {}).get("q", "") or ""
