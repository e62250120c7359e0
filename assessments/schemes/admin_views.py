"""Scheme versions in the Wagtail admin: browse every version, edit drafts, publish.

Published versions are read-only: "New draft version" copies one into the next version number,
which editors can change (as JSON, or later via the spreadsheet round trip) and moderators
publish.
"""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton

from assessments.models import SchemeVersion
from assessments.schemes import services
from portal.core.jsontext import BoundedJSONField


class DefinitionForm(forms.ModelForm):
    """Edit a draft's definition as JSON; validated by the engine before it is saved."""

    definition = BoundedJSONField(  # size, depth and NUL limits before anything is parsed
        label=gettext_lazy("Definition (JSON)"),
        widget=forms.Textarea(attrs={"rows": 30, "style": "font-family: monospace"}),
        help_text=gettext_lazy("The documented scheme format; see docs/schemes.md."),
    )

    class Meta:
        model = SchemeVersion
        fields = ["definition", "change_note"]

    def clean_definition(self):
        definition = self.cleaned_data["definition"]
        if not isinstance(definition, dict):
            raise ValidationError(_("The definition must be a JSON object."))
        if self.instance.pk:
            definition = {**definition, "version": self.instance.version}
        services.validate_definition(definition)
        return definition


class SchemeVersionEditView(generic.EditView):
    def dispatch(self, request, *args, **kwargs):
        version = get_object_or_404(SchemeVersion, pk=kwargs["pk"])
        if version.status != SchemeVersion.Status.DRAFT:
            messages.warning(
                request,
                _("Published versions cannot be changed. Create a new draft version instead."),
            )
            return redirect("assessments_schemeversion:inspect", version.pk)
        return super().dispatch(request, *args, **kwargs)

    def save_instance(self):
        return services.update_draft(
            self.object, self.form.cleaned_data["definition"], user=self.request.user
        )


class SchemeVersionInspectView(generic.InspectView):
    template_name = "assessments/admin/schemeversion_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sections"] = self.object.sections.prefetch_related("items")
        context["definition_json"] = json.dumps(
            self.object.definition, ensure_ascii=False, indent=2
        )
        return context

    @cached_property
    def header_buttons(self):
        buttons = []
        user = self.request.user
        version = self.object
        if version.status == SchemeVersion.Status.DRAFT:
            buttons.append(HeaderButton(_("Edit draft"), url=self.get_edit_url(), icon_name="edit"))
            if user.has_perm(services.PUBLISH_PERMISSION):
                buttons.append(
                    HeaderButton(
                        _("Publish"),
                        url=reverse("assessments_schemeversion:publish", args=[version.pk]),
                        icon_name="upload",
                    )
                )
        if user.has_perm("assessments.add_schemeversion"):
            buttons.append(
                HeaderButton(
                    _("New draft version"),
                    url=reverse("assessments_schemeversion:new_draft", args=[version.pk]),
                    icon_name="copy",
                )
            )
        return buttons


def _confirm(request, version, *, action: str, title: str, message: str):
    return TemplateResponse(
        request,
        "assessments/admin/schemeversion_confirm.html",
        {"version": version, "action": action, "page_title": title, "message": message},
    )


def new_draft_view(request, pk: int):
    if not request.user.has_perm("assessments.add_schemeversion"):
        raise PermissionDenied
    version = get_object_or_404(SchemeVersion, pk=pk)
    if request.method == "POST":
        draft = services.new_draft_from(
            version, user=request.user, change_note=request.POST.get("change_note", "")
        )
        messages.success(request, _("Draft version %(n)s created.") % {"n": draft.version})
        return redirect("assessments_schemeversion:inspect", draft.pk)
    return _confirm(
        request,
        version,
        action="new_draft",
        title=_("New draft version"),
        message=_(
            "This copies version %(n)s into a new draft version. Submissions stay pinned to "
            "the version they were scored with."
        )
        % {"n": version.version},
    )


def publish_view(request, pk: int):
    if not request.user.has_perm(services.PUBLISH_PERMISSION):
        raise PermissionDenied
    version = get_object_or_404(SchemeVersion, pk=pk)
    if request.method == "POST":
        try:
            services.publish(version, user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Version %(n)s published.") % {"n": version.version})
        return redirect("assessments_schemeversion:inspect", version.pk)
    return _confirm(
        request,
        version,
        action="publish",
        title=_("Publish this version"),
        message=_(
            "Once published, version %(n)s can no longer be changed and firms can start "
            "assessments with it."
        )
        % {"n": version.version},
    )


class SchemeVersionViewSet(ModelViewSet):
    model = SchemeVersion
    icon = "list-ul"
    menu_label = gettext_lazy("Assessment schemes")
    menu_order = 250
    add_to_admin_menu = True
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = ["definition", "change_note"]
    list_display = ["__str__", "scheme", "version", "status", "published_at"]
    list_filter = ["status", "scheme"]
    search_fields = ["title_zh", "title_en", "scheme__code"]
    inspect_view_fields = [
        "scheme",
        "version",
        "status",
        "title_zh",
        "title_en",
        "change_note",
        "created_at",
        "created_by",
        "published_at",
        "published_by",
    ]
    edit_view_class = SchemeVersionEditView
    inspect_view_class = SchemeVersionInspectView

    def get_form_class(self, for_update=False):
        return DefinitionForm

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("new-draft/<int:pk>/", new_draft_view, name="new_draft"),
            path("publish/<int:pk>/", publish_view, name="publish"),
        ]
