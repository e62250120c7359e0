"""Registrations of the CMS: issuing authorities as snippets, the demo pages and the page
benchmarks."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from cms.choosers import authority_chooser, region_chooser
from cms.models import IssuingAuthority
from portal.core import hooks as portal_hooks
from portal.core.benchmarks import Benchmark


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


def load_demo(stdout, style) -> None:
    # Imported when the demo is loaded: only ``manage.py load_demo`` needs it.
    from cms import demo

    demo.load(stdout, style)


def cms_benchmark(quick: bool = False) -> list[dict]:
    # Imported when the benchmark runs: it uses the test client.
    from cms.benchmark import cms_benchmark as run

    return run(quick)


@hooks.register("register_admin_viewset")
def register_choosers() -> list:
    # The policy form's region and authority choosers (modal with search, "create" tab).
    return [region_chooser, authority_chooser]


# Before review: load_demo publishes the notice a demo programme links to.
hooks.register(portal_hooks.DEMO_CONTENT, load_demo, order=30)
hooks.register(portal_hooks.BENCHMARKS, Benchmark("cms", cms_benchmark), order=20)
