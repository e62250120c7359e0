"""Forms of the import and export pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.models import SchemeVersion
from assessments.transfer.files import UploadError, check_spreadsheet, max_upload_bytes
from portal.core.forms import NormalisedForm


class ImportForm(NormalisedForm):
    file = forms.FileField(
        label=_("Registry file"),
        help_text=_(
            "An .xlsx or .csv file with the columns of the registry export (Chinese or English "
            "headers), at most %(size)s MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = self.fields["file"].help_text % {
            "size": f"{max_upload_bytes() / (1024 * 1024):.0f}"
        }

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            self.format = check_spreadsheet(upload, upload.name, upload.size)
        except UploadError as exc:
            raise forms.ValidationError(str(exc), code="upload") from None
        return upload


class ExportForm(NormalisedForm):
    format = forms.ChoiceField(
        label=_("File type"),
        choices=[("xlsx", _("Excel (.xlsx)")), ("csv", _("CSV (.csv)"))],
        initial="xlsx",
        widget=forms.RadioSelect,
    )
    lang = forms.ChoiceField(
        label=_("Column headers"),
        choices=[("zh", _("Chinese")), ("en", _("English"))],
        initial="zh",
        widget=forms.RadioSelect,
    )


class DossierExportForm(NormalisedForm):
    lang = forms.ChoiceField(
        label=_("Language of the dossiers"),
        choices=[("zh", _("Chinese")), ("en", _("English"))],
        initial="zh",
        widget=forms.RadioSelect,
    )


class SubmissionExportForm(ExportForm):
    scheme_version = forms.ModelChoiceField(
        label=_("Scheme version"),
        queryset=SchemeVersion.objects.none(),
        empty_label=None,
    )
    field_order = ["scheme_version", "format", "lang"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scheme_version"].queryset = (
            SchemeVersion.objects.filter(status=SchemeVersion.Status.PUBLISHED)
            .select_related("scheme")
            .order_by("scheme__code", "-version")
        )
        self.fields["scheme_version"].label_from_instance = lambda v: (
            f"{v.scheme.title} · v{v.version}"
        )


class ConfirmImportForm(NormalisedForm):
    valid_only = forms.BooleanField(
        label=_("Import the valid rows only and skip the rows with errors"), required=False
    )


class SchemeImportForm(NormalisedForm):
    base = forms.ModelChoiceField(
        label=_("Version the sheet was exported from"),
        queryset=SchemeVersion.objects.none(),
        empty_label=None,
    )
    file = forms.FileField(
        label=_("Edited scheme sheet (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["base"].queryset = SchemeVersion.objects.select_related("scheme").order_by(
            "scheme__code", "-version"
        )
        self.fields["base"].label_from_instance = lambda v: (
            f"{v.scheme.title} · v{v.version} ({v.get_status_display()})"
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            fmt = check_spreadsheet(upload, upload.name, upload.size)
        except UploadError as exc:
            raise forms.ValidationError(str(exc), code="upload") from None
        if fmt != "xlsx":
            raise forms.ValidationError(
                _("Scheme items are imported from the .xlsx file of their export."), code="type"
            )
        return upload


class ConfirmSchemeForm(NormalisedForm):
    change_note = forms.CharField(
        label=_("Change note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown with the draft in the scheme admin, e.g. why bands were changed."),
    )
