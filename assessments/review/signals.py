"""Signal receivers of the review app (imported by ``ReviewConfig.ready``)."""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver

from assessments.review.sorting import refresh_sort_names
from portal.accounts.models import Enterprise


@receiver(post_save, sender=Enterprise, dispatch_uid="review_sort_names")
def enterprise_renamed(sender, instance: Enterprise, created: bool, **kwargs) -> None:
    """Keep the queue's pinyin sort in step with the enterprise's name."""
    if not created:
        refresh_sort_names(instance)
