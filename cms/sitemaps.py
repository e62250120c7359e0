"""A sitemap that lists the pages of every language tree, not only the default one."""

from __future__ import annotations

from django.db.models import Q
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page


class LocalisedSitemap(Sitemap):
    """Wagtail's sitemap covers the site root's tree; this adds the root's translations."""

    def items(self):
        root = self.get_wagtail_site().root_page
        roots = Page.objects.filter(translation_key=root.translation_key, depth=root.depth)
        tree = Q()
        for localized_root in roots:
            tree |= Q(path__startswith=localized_root.path)
        return (
            Page.objects.filter(tree)
            .live()
            .public()
            .order_by("path")
            .defer_streamfields()
            .specific()
        )
