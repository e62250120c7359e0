"""Programmes are managed by editors and administrators in the Wagtail admin."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from assessments.review.models import Programme


class ProgrammeViewSet(SnippetViewSet):
    model = Programme
    icon = "tasks"
    menu_label = _("Programmes")
    menu_order = 310
    add_to_admin_menu = True
    list_display = ["title_zh", "code", "status", "opens_at", "closes_at", "quota"]
    list_filter = ["status"]
    search_fields = ["title_zh", "title_en", "code"]
    ordering = ["-opens_at"]
    panels = [
        MultiFieldPanel(
            [
                FieldPanel("code"),
                FieldRowPanel([FieldPanel("title_zh"), FieldPanel("title_en")]),
                FieldPanel("description_zh"),
                FieldPanel("description_en"),
                FieldPanel("announcement"),
            ],
            heading=_("Call"),
        ),
        MultiFieldPanel(
            [FieldPanel("scheme_version"), FieldPanel("min_level"), FieldPanel("regions")],
            heading=_("Who may apply"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("status"),
                FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
                FieldRowPanel([FieldPanel("objection_days"), FieldPanel("quota")]),
            ],
            heading=_("Window, public notice and quota"),
        ),
    ]


register_snippet(ProgrammeViewSet)
