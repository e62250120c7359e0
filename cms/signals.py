"""Keep the search documents and the cached public pages in step with published content."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_migrate, post_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from cms import fulltext
from cms.cache import bump_content_version


@receiver(page_published)
def _page_published(sender, instance, **kwargs) -> None:
    fulltext.index_page(instance)
    bump_content_version()


@receiver(page_unpublished)
def _page_unpublished(sender, instance, **kwargs) -> None:
    fulltext.remove_page(instance.pk)
    bump_content_version()


@receiver(page_slug_changed)
@receiver(post_page_move)
def _page_moved(sender, **kwargs) -> None:
    bump_content_version()


@receiver(post_delete)
def _page_deleted(sender, instance, **kwargs) -> None:
    if isinstance(instance, Page):
        bump_content_version()


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def _restriction_changed(sender, **kwargs) -> None:
    # A restricted page must leave the shared cache and the public results at once.
    bump_content_version()


@receiver(post_save, sender="cms.IssuingAuthority")
def _authority_saved(sender, instance, created: bool, **kwargs) -> None:
    if not created:
        # Its names are part of its policies' searchable metadata.
        fulltext.index_pages(instance.policies.live())
    bump_content_version()


@receiver(post_migrate)
def _index_unindexed_pages(sender, **kwargs) -> None:
    """After ``migrate``: write the documents of live pages that have none (an upgraded
    database, or pages published before search documents existed)."""
    if getattr(sender, "name", "") == "cms":
        fulltext.rebuild(only_missing=True)
