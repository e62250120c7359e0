"""Invalidate cached CMS lists when pages change."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from cms.cache import bump_content_version


@receiver(page_published)
@receiver(page_unpublished)
@receiver(page_slug_changed)
@receiver(post_page_move)
def _page_changed(sender, **kwargs) -> None:
    bump_content_version()


@receiver(post_delete)
def _page_deleted(sender, instance, **kwargs) -> None:
    if isinstance(instance, Page):
        bump_content_version()


@receiver(post_save, sender="cms.IssuingAuthority")
def _authority_saved(sender, **kwargs) -> None:
    bump_content_version()
