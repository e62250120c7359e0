from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.core.validators import MaxLengthValidator
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.accounts import selectors
from portal.accounts.choices import EnterpriseSize, Industry
from portal.accounts.credit_code import Problem, check_credit_code
from portal.accounts.models import Enterprise, Region

User = get_user_model()

PHONE_RE = re.compile(r"^(?:\+?86[- ]?)?(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(?:-\d{1,6})?)$")

CREDIT_CODE_MESSAGES = {
    Problem.EMPTY: _("Enter the 18-character unified social credit code."),
    Problem.LENGTH: _("A unified social credit code has 18 characters; you entered %(detail)s."),
    Problem.FORBIDDEN_LETTER: _(
        "The letters I, O, Z, S and V never occur in a unified social credit code "
        "(found: %(detail)s). Check for the digits 1, 0, 2, 5 or the letter U."
    ),
    Problem.INVALID_CHARACTER: _(
        "The code may only contain digits and capital letters (found: %(detail)s)."
    ),
    Problem.REGION_DIGITS: _(
        "Characters 3–8 are the six-digit administrative division code (found: %(detail)s)."
    ),
    Problem.ORG_CHECK: _(
        "Character 17 (the organisation-code check character) does not match; it should be "
        "%(detail)s. Please check the code for a typing error."
    ),
    Problem.CHECK_CHARACTER: _(
        "The last character (the check character) does not match the code; it should be "
        "%(detail)s. Please check the code for a typing error."
    ),
}


def credit_code_error(problem: Problem, detail: str) -> forms.ValidationError:
    return forms.ValidationError(
        CREDIT_CODE_MESSAGES[problem], code=problem.value, params={"detail": detail}
    )


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


class EnterpriseFields(forms.ModelForm):
    """The enterprise part of registration (also used to edit the profile)."""

    credit_code = forms.CharField(
        label=_("Unified social credit code"),
        max_length=40,
        help_text=_("18 characters, as printed on the business licence (营业执照)."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    code_is_genuine = forms.BooleanField(
        label=_("My code is genuine"),
        required=False,
        help_text=_(
            "Tick only if the code is printed exactly like this on your business licence. "
            "A few codes issued in early pilot regions fail the check; your enterprise will be "
            "registered and flagged for verification by a reviewer."
        ),
    )
    region = RegionChoiceField(label=_("Region (province and city)"))
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
        self.code_problem: Problem | None = None

    def clean_credit_code(self) -> str:
        result = check_credit_code(self.cleaned_data.get("credit_code", ""))
        self.code_problem = result.problem
        if result.problem and not result.problem.overridable:
            raise credit_code_error(result.problem, result.detail)
        if result.problem and not self.data.get(self.add_prefix("code_is_genuine")):
            raise credit_code_error(result.problem, result.detail)
        existing = Enterprise.objects.filter(credit_code=result.code)
        if self.instance.pk:
            existing = existing.exclude(pk=self.instance.pk)
        if existing.exists():
            raise forms.ValidationError(
                _(
                    "An enterprise with this credit code is already registered. Ask its owner "
                    "to invite you from the enterprise dashboard."
                ),
                code="duplicate",
            )
        return result.code

    def clean_founded_on(self) -> dt.date:
        founded = self.cleaned_data["founded_on"]
        if founded > timezone.localdate():
            raise forms.ValidationError(_("The founding date cannot be in the future."))
        if founded.year < 1900:
            raise forms.ValidationError(_("Enter a founding date after 1900."))
        return founded

    def clean_contact_phone(self) -> str:
        phone = self.cleaned_data["contact_phone"].strip().replace(" ", "")
        if not PHONE_RE.match(phone):
            raise forms.ValidationError(
                _("Enter a mobile number (11 digits) or a landline with area code.")
            )
        return phone

    @property
    def code_overridden(self) -> bool:
        return self.code_problem is not None and self.code_problem.overridable


class AccountFields(UserCreationForm):
    """The account part of registration."""

    class Meta:
        model = User
        fields = ["username", "email"]
        labels = {"email": _("E-mail address")}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["username"].help_text = _(
            "Letters, digits and @/./+/-/_ only; you sign in with it."
        )

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _(
                    "An account with this e-mail address already exists. Sign in or reset the password."
                )
            )
        return email


class InvitationForm(forms.Form):
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


class AcceptInvitationForm(UserCreationForm):
    """Creates the account of an invited colleague (the e-mail comes from the invitation)."""

    class Meta:
        model = User
        fields = ["username"]


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "The user name or password is not correct. Note that after several failed "
            "attempts sign-in is blocked for a while."
        ),
    }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # AuthenticationForm only sets the widget's maxlength: validate it too, so that an
        # over-long name is refused before authentication records the attempt (django-axes
        # stores it in a 255-character column).
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))


__all__ = [
    "AcceptInvitationForm",
    "AccountFields",
    "EnterpriseFields",
    "InvitationForm",
    "LoginForm",
]
