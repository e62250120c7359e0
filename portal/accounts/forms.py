from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, SetPasswordMixin, UserCreationForm
from django.core.validators import MaxLengthValidator
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.accounts import divisions, selectors, verification
from portal.accounts.choices import EnterpriseSize, Industry
from portal.accounts.credit_code import CreditCodeCheck, Problem, check_credit_code
from portal.accounts.models import Enterprise, Region
from portal.accounts.validators import credit_code_error, normalise_phone, validate_phone
from portal.core.forms import (
    IdentifierField,
    NormalisedForm,
    NormalisedInputMixin,
    NormalisedModelForm,
)

User = get_user_model()


class _ProvinceGroupedIterator(ModelChoiceIterator):
    """Yields the cities as <optgroup>s per province."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        groups: dict[str, list] = {}
        for region in self.queryset:
            groups.setdefault(region.province.name, []).append(self.choice(region))
        yield from groups.items()


class RegionChoiceField(forms.ModelChoiceField):
    """Cities grouped by province, in the current language."""

    iterator = _ProvinceGroupedIterator

    def __init__(self, **kwargs) -> None:
        super().__init__(queryset=selectors.cities(), **kwargs)

    def label_from_instance(self, obj: Region) -> str:
        return obj.name


class EnterpriseFields(NormalisedModelForm):
    """The enterprise part of registration, and the profile an owner edits later.

    Registration (an unsaved instance) never says whether a credit code is already registered:
    the registration service deals with that by e-mail. On the profile (a saved instance) a
    code that another enterprise holds is refused. The region defaults from the code; a region
    that does not agree with the code is allowed (firms move) and recorded as a reason for a
    reviewer to verify the record (:meth:`verification_reasons`).
    """

    credit_code = IdentifierField(
        label=_("Unified social credit code"),
        max_length=40,
        help_text=_("18 characters, as printed on the business licence (营业执照)."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    code_is_genuine = forms.BooleanField(
        label=_("My code is genuine"),
        required=False,
        help_text=_(
            "Tick only if the code is printed exactly like this on your business licence. A few "
            "codes issued in early pilot regions fail the check, and codes of divisions since "
            "abolished or renamed carry region digits that are no longer listed; your "
            "enterprise will be registered and flagged for verification by a reviewer."
        ),
    )
    region = RegionChoiceField(
        label=_("Region (province and city)"),
        required=False,
        help_text=_(
            "Filled in from the credit code. If the enterprise has moved, choose where it is "
            "now: a reviewer will then verify the record."
        ),
    )
    founded_on = forms.DateField(
        label=_("Date founded"), widget=forms.DateInput(attrs={"type": "date"})
    )
    industry = forms.ChoiceField(
        label=_("Industry (GB/T 4754 section)"), choices=[("", "---------"), *Industry.choices]
    )
    size = forms.ChoiceField(label=_("Size"), choices=[("", "---------"), *EnterpriseSize.choices])

    class Meta:
        model = Enterprise
        fields = [
            "name",
            "credit_code",
            "region",
            "industry",
            "size",
            "founded_on",
            "contact_name",
            "contact_phone",
        ]
        field_classes = {"contact_phone": IdentifierField}
        labels = {
            "name": _("Enterprise name"),
            "contact_name": _("Contact person"),
            "contact_phone": _("Contact phone"),
        }
        help_texts = {
            "name": _("The full registered name."),
            "contact_phone": _("A mobile number or a landline with area code, e.g. 027-12345678."),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.code_check: CreditCodeCheck | None = None
        self._saved_code = self.instance.credit_code if self.instance.pk else None
        self._saved_region_id = self.instance.region_id if self.instance.pk else None
        self.fields["credit_code"].widget.attrs["data-region-target"] = self["region"].auto_id

    @property
    def code_problem(self) -> Problem | None:
        return self.code_check.problem if self.code_check else None

    @property
    def _code_unchanged(self) -> bool:
        return self.code_check is not None and self.code_check.code == self._saved_code

    def clean_credit_code(self) -> str:
        check = check_credit_code(self.cleaned_data.get("credit_code", ""))
        self.code_check = check
        if check.problem and not self._code_unchanged:
            if not check.problem.overridable:
                raise credit_code_error(check)
            if not self.data.get(self.add_prefix("code_is_genuine")):
                raise credit_code_error(check, hint=True)
        if self.instance.pk and not self._code_unchanged:
            others = Enterprise.objects.filter(credit_code=check.code).exclude(pk=self.instance.pk)
            if others.exists():
                raise forms.ValidationError(
                    _(
                        "Another enterprise is registered with this credit code. If the code is "
                        "yours, ask the reviewers of your region to look into it."
                    ),
                    code="duplicate",
                )
        return check.code

    def clean(self) -> dict:
        cleaned = super().clean()
        if "credit_code" in cleaned and not cleaned.get("region") and "region" not in self.errors:
            region = selectors.default_region_for(self.code_check.code[2:8])
            if region is None:
                self.add_error(
                    "region",
                    forms.ValidationError(
                        _("Choose the region: it cannot be read from this credit code."),
                        code="required",
                    ),
                )
            else:
                cleaned["region"] = region
        return cleaned

    def validate_unique(self) -> None:
        # On registration the service, not the form, deals with a code already registered.
        if self.instance.pk:
            super().validate_unique()

    def clean_founded_on(self) -> dt.date:
        founded = self.cleaned_data["founded_on"]
        if founded > timezone.localdate():
            raise forms.ValidationError(_("The founding date cannot be in the future."))
        if founded.year < 1900:
            raise forms.ValidationError(_("Enter a founding date after 1900."))
        return founded

    def clean_contact_phone(self) -> str:
        phone = normalise_phone(self.cleaned_data["contact_phone"])
        validate_phone(phone)
        return phone

    @property
    def offers_override(self) -> bool:
        """Whether to show the "my code is genuine" box (the code may be a genuine one)."""
        return (
            self.is_bound
            and not self._code_unchanged
            and bool(self.code_problem and self.code_problem.overridable)
        )

    @property
    def code_overridden(self) -> bool:
        """A code whose check characters fail, declared genuine (and newly entered)."""
        return bool(
            self.code_check
            and not self._code_unchanged
            and {Problem.ORG_CHECK, Problem.CHECK_CHARACTER} & set(self.code_check.problems)
        )

    def verification_reasons(self) -> list[dict]:
        """Why a reviewer should verify what this (valid) form saves; empty when nothing new."""
        reasons: list[dict] = []
        check = self.code_check
        code_changed = not self._code_unchanged
        if code_changed and self._saved_code:
            reasons.append(verification.reason(verification.CODE_CHANGED, old=self._saved_code))
        if code_changed and self.code_overridden:
            reasons.append(verification.reason(verification.CODE_CHECK))
        if code_changed and Problem.REGION_UNKNOWN in check.problems:
            reasons.append(
                verification.reason(verification.REGION_UNKNOWN, division=check.code[2:8])
            )
        region = self.cleaned_data["region"]
        division = check.code[2:8]
        region_changed = region.pk != self._saved_region_id
        if (code_changed or region_changed) and not selectors.region_agrees(region, division):
            reasons.append(
                verification.reason(
                    verification.REGION_MISMATCH,
                    division=division,
                    division_name=divisions.name(division),
                    region=region.code,
                    region_name=region.full_name,
                )
            )
        return reasons

    def registration_data(self) -> dict:
        """The cleaned enterprise as JSON, kept with a registration until it is confirmed."""
        data = self.cleaned_data
        return {
            "name": data["name"],
            "credit_code": data["credit_code"],
            "region": data["region"].code,
            "industry": data["industry"],
            "size": data["size"],
            "founded_on": data["founded_on"].isoformat(),
            "contact_name": data["contact_name"],
            "contact_phone": data["contact_phone"],
            "code_check_failed": self.code_overridden,
            "verification_reasons": self.verification_reasons(),
        }


class AccountFields(NormalisedForm):
    """The account part of registration: only the e-mail address.

    The password is chosen on the page the confirmation link opens, so a registration made
    with someone else's address can never become an account with a password the registrant
    knows. New accounts sign in with their e-mail address (their user name is derived from it
    and never has to be typed), so registration never refuses a user name as taken.
    """

    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("We send a confirmation link to this address; you sign in with it afterwards."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class ConfirmRegistrationForm(SetPasswordMixin, NormalisedForm):
    """The page the confirmation link opens: choose the password, then the account exists."""

    password1, password2 = SetPasswordMixin.create_password_fields()

    def __init__(self, *args, email: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self) -> dict:
        self.validate_passwords()
        cleaned = super().clean()
        self.validate_password_for_user(User(email=self.email, username=self.email))
        return cleaned


class ResendConfirmationForm(NormalisedForm):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)


class InvitationForm(NormalisedForm):
    email = forms.EmailField(label=_("Colleague's e-mail address"))

    def __init__(self, *args, enterprise: Enterprise, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.enterprise = enterprise

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if self.enterprise.memberships.filter(user__email__iexact=email).exists():
            raise forms.ValidationError(_("This person is already a member of your enterprise."))
        if self.enterprise.invitations.pending().filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _("An invitation to this address is still pending. Revoke it to send a new one.")
            )
        return email


class AcceptInvitationForm(NormalisedInputMixin, UserCreationForm):
    """Creates the account of an invited colleague (the e-mail comes from the invitation)."""

    class Meta:
        model = User
        fields = ["username"]


class LoginForm(NormalisedInputMixin, AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "The user name or password is not correct. Note that after several failed "
            "attempts sign-in is blocked for a while."
        ),
    }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("E-mail address or user name")
        # AuthenticationForm only sets the widget's maxlength: validate it too, so that an
        # over-long name is refused before authentication records the attempt (django-axes
        # stores it in a 255-character column).
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))


__all__ = [
    "AcceptInvitationForm",
    "AccountFields",
    "ConfirmRegistrationForm",
    "EnterpriseFields",
    "InvitationForm",
    "LoginForm",
    "ResendConfirmationForm",
]
