"""The public notice (公示) in public: the list of applications under notice, objections lodged
online by anyone, and the reviewers' answers (every objection is answered before recognition).

An objection carries the objector's name, contact details and text, and optionally one evidence
file (checked by content). Lodging is rate-limited per address (``portal.core.ratelimit``), each
field is bounded, and an application takes at most ``MAX_OBJECTIONS`` objections.
"""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from assessments.review import notifications, permissions
from assessments.review.errors import PermissionRefused, TransitionError
from assessments.review.models import Application, Objection, ReviewEvent, State
from assessments.review.transitions import reviewer_refusal
from portal.accounts.models import User
from portal.core.uploads import CheckedUpload

MAX_OBJECTIONS = 200
# Objections per address and hour (portal.core.ratelimit).
RATE_LIMIT = 5
RATE_WINDOW = 3600


def under_notice() -> QuerySet[Application]:
    """Applications under public notice, newest notice first (what /publicity/ lists)."""
    return (
        Application.objects.filter(state=State.PUBLIC_NOTICE)
        .select_related(
            "enterprise__region__parent", "programme__scheme_version__scheme", "submission"
        )
        .order_by("-notice_starts_on", "sort_name", "pk")
    )


def application_under_notice(pk: int) -> Application:
    try:
        return under_notice().get(pk=pk)
    except (Application.DoesNotExist, ValueError):
        raise Http404 from None


def lodge(
    application: Application,
    *,
    name: str,
    contact: str,
    organisation: str,
    text: str,
    evidence: CheckedUpload | None,
) -> Objection:
    """Record an objection during the notice and tell the reviewers."""
    if application.state != State.PUBLIC_NOTICE:
        raise TransitionError(_("This application is no longer under public notice."))
    if application.notice_ends_on and timezone.localdate() > application.notice_ends_on:
        raise TransitionError(_("The objection period of this application has ended."))
    with transaction.atomic():
        # Count under a row lock on the application, so the cap holds for concurrent requests.
        Application.objects.select_for_update().filter(pk=application.pk).first()
        if application.objections.count() >= MAX_OBJECTIONS:
            raise TransitionError(
                _(
                    "This application has received the most objections the portal accepts; "
                    "contact the bureau directly."
                )
            )
        objection = Objection(
            application=application,
            name=name.strip(),
            contact=contact.strip(),
            organisation=organisation.strip(),
            text=text.strip(),
            language=get_language() or "zh-hans",
        )
        if evidence is not None:
            objection.evidence_name = evidence.name
            objection.evidence_type = evidence.content_type
            objection.evidence_size = len(evidence.content)
            objection.evidence_sha256 = hashlib.sha256(evidence.content).hexdigest()
            objection.evidence.save(evidence.name, ContentFile(evidence.content), save=False)
        objection.save()
        ReviewEvent.objects.create(
            application=application,
            actor=None,
            action="objection_lodged",
            from_state=application.state,
            to_state=application.state,
            internal=True,
            data={"objection": objection.pk, "evidence": bool(evidence)},
        )
        notifications.objection_lodged(application, objection)
    return objection


def answer(objection: Objection, reviewer: User, outcome: str, text: str) -> Objection:
    """A reviewer's answer: the objection is dismissed or upheld, with the reasons."""
    application = objection.application
    why = reviewer_refusal(application, reviewer)
    if why:
        raise PermissionRefused(why)
    if objection.is_answered:
        raise TransitionError(_("This objection has been answered."))
    if outcome not in Objection.Outcome.values:
        raise TransitionError(_("Choose whether the objection is dismissed or upheld."))
    text = (text or "").strip()
    if not text:
        raise TransitionError(_("Give the reasons for the answer."))
    with transaction.atomic():
        updated = Objection.objects.filter(pk=objection.pk, answered_at__isnull=True).update(
            outcome=outcome, answer=text, answered_by=reviewer, answered_at=timezone.now()
        )
        if updated != 1:
            raise TransitionError(_("This objection has been answered."))
        ReviewEvent.objects.create(
            application=application,
            actor=reviewer,
            action="objection_answered",
            from_state=application.state,
            to_state=application.state,
            reason=text,
            internal=True,
            data={"objection": objection.pk, "outcome": outcome},
        )
    objection.refresh_from_db()
    return objection


def objection_for_reviewer(user: User, application: Application, pk: int) -> Objection:
    if not permissions.in_scope(user, application):
        raise Http404
    try:
        return application.objections.get(pk=pk)
    except (Objection.DoesNotExist, ValueError):
        raise Http404 from None
