from __future__ import annotations

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from portal.core.forms import IdentifierField, NormalisedForm
from portal.core.uploads import PDF_FILES, check_upload


def max_upload_bytes() -> int:
    return settings.REPORTS_VERIFY_MAX_BYTES


class VerifyUploadForm(NormalisedForm):
    """A PDF a visitor holds, to compare byte for byte with the issued one."""

    file = forms.FileField(
        label=_("PDF file to check"),
        help_text=_("The file is compared with the genuine PDF and not kept."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    @staticmethod
    def too_large_message() -> str:
        return _("The file is too large (at most %(size)s).") % {
            "size": filesizeformat(max_upload_bytes())
        }

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_upload(upload, PDF_FILES, limit=max_upload_bytes())
        return upload


class VerifyCodeForm(NormalisedForm):
    code = IdentifierField(
        label=_("Verification code"),
        max_length=40,
        help_text=_("The code printed on the cover of the report or certificate."),
    )
