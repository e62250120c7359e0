"""Admin registration: issuing authorities as snippets."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from cms.models import IssuingAuthority


class IssuingAuthorityViewSet(SnippetViewSet):
    model = IssuingAuthority
    icon = "group"
    menu_label = _("Issuing authorities")
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["name_zh", "name_en", "region"]
    list_filter = []
    search_fields = ["name_zh", "name_en"]


register_snippet(IssuingAuthorityViewSet)
