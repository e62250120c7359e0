"""Registrations of the review app: programmes in the Wagtail admin (managed by editors and
administrators), the applications panel of the company dashboard, certificates verifiable at
/verify/<code>/, the header's links to the review workspace, and the demo applications."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from assessments.reports.verification import RESOLVER_HOOK
from assessments.review import verification
from assessments.review.models import Programme
from assessments.review.panels import applications_panel
from portal.accounts import roles
from portal.accounts.navigation import NavigationLink
from portal.core import hooks as portal_hooks

QUOTA_PERMISSION = "review.change_programme_quota"


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
            [
                FieldPanel("scheme_version"),
                FieldPanel("min_level"),
                # Regions and quotas: lead reviewers and administrators only, never editors.
                FieldPanel("regions", permission=QUOTA_PERMISSION),
            ],
            heading=_("Who may apply"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("status"),
                FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
                FieldRowPanel(
                    [
                        FieldPanel("objection_days"),
                        FieldPanel("quota", permission=QUOTA_PERMISSION),
                    ]
                ),
            ],
            heading=_("Window, public notice and quota"),
        ),
        # What the programme confers: the recognitions per level and the certificates' issuer.
        MultiFieldPanel(
            [
                FieldPanel("issuing_authority"),
                FieldPanel("seal"),
                FieldRowPanel([FieldPanel("validity_years"), FieldPanel("number_prefix")]),
                InlinePanel("recognitions", label=_("Recognition per level"), min_num=0),
            ],
            heading=_("Recognition and certificates"),
        ),
    ]


register_snippet(ProgrammeViewSet)

hooks.register(portal_hooks.DASHBOARD_PANEL, applications_panel, order=20)
hooks.register(RESOLVER_HOOK, verification.resolve, order=20)


def load_demo(stdout, style) -> None:
    # Imported when the demo is loaded: only ``manage.py load_demo`` needs it.
    from assessments.review import demo

    demo.load(stdout, style)


hooks.register(portal_hooks.DEMO_CONTENT, load_demo, order=40)
hooks.register(portal_hooks.NAVIGATION, NavigationLink("review", roles.is_reviewer), order=10)
