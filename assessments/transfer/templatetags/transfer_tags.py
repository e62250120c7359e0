"""``{% load transfer_tags %}{% if request.user|can_transfer %}…{% endif %}``: show the import
and export link only to the roles that may use it (administrators and lead reviewers)."""

from django import template

from assessments.transfer.permissions import can_transfer as _can_transfer

register = template.Library()


@register.filter
def can_transfer(user) -> bool:
    return _can_transfer(user)


@register.filter
def thousands(value) -> str:
    """A count with thousands separators (5000 → "5,000"), as the transfer pages write counts
    in both languages."""
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return "" if value is None else str(value)
