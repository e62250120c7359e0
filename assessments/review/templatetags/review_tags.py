"""Template helpers of the review pages."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

from assessments.review import selectors
from assessments.review.transitions import TRANSITIONS

register = template.Library()

OTHER_ACTIONS = {
    "apply": _("Applied"),
    "assign": _("Assigned"),
    "unassign": _("Assignment released"),
    "items_reviewed": _("Items reviewed"),
    "conflict_declared": _("Conflict of interest declared"),
    "certificate_issued": _("Certificate issued"),
    "certificate_suspend": _("Certificate suspended"),
    "certificate_reinstate": _("Certificate reinstated"),
    "certificate_revoke": _("Certificate revoked"),
    "note": _("Internal note"),
    "message": _("Message to the firm"),
    "materials_checked": _("Materials checked"),
    "experts_assigned": _("Experts assigned"),
    "expert_removed": _("Expert removed from the panel"),
    "expert_scored": _("Expert submitted a score"),
    "consensus": _("Consensus score set"),
    "objection_lodged": _("Objection lodged"),
    "objection_answered": _("Objection answered"),
    "change_reminder": _("Reminder of the deadline sent"),
    "change_overdue": _("Deadline for changes passed"),
}


@register.filter
def event_label(event) -> str:
    transition = TRANSITIONS.get(event.action)
    if transition is not None:
        return str(transition.label)
    return str(OTHER_ACTIONS.get(event.action, event.action))


@register.filter
@register.simple_tag
def programmes_announced_by(page):
    """Programmes a CMS notice page announces (for its "apply now" links)."""

    return list(selectors.programmes_announced_by(page))
