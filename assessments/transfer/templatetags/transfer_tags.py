"""``{% load transfer_tags %}{% if request.user|can_transfer %}…{% endif %}``: show the import
and export link only to the roles that may use it (administrators and lead reviewers)."""

from django import template

from assessments.transfer.permissions import can_transfer as _can_transfer

register = template.Library()


@register.filter
def can_transfer(user) -> bool:
    return _can_transfer(user)
