"""Writes for improvement plans: actions added and changed (with the audit trail), and the
daily reminders before due dates."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assessments.models import Submission
from assessments.presentation import labels
from portal.accounts.models import Membership, User
from portal.accounts.services import audit
from portal.core.i18n import django_language, text_lang
from portal.core.tasks import send_plain_mail_task
from portal.core.text import subject_line

from .models import Action, Plan, Reminder
from .permissions import can_edit

#: The fields of an action a member sets.
FIELDS = ("item", "title", "owner", "due_on", "status", "notes")


def _check_owner(owner: User | None, plan: Plan) -> None:
    if (
        owner is None
        or not Membership.objects.filter(user=owner, enterprise_id=plan.enterprise_id).exists()
    ):
        raise ValidationError(_("The owner must be a member of your enterprise."))


def _audit_value(value: Any) -> Any:
    if isinstance(value, User):
        return value.pk
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def plan_for_submission(submission: Submission, user: User) -> Plan:
    """The submission's plan, made on first use."""
    plan, created = Plan.objects.get_or_create(
        submission=submission,
        defaults={"enterprise_id": submission.enterprise_id, "created_by": user},
    )
    if created:
        audit(
            "plans.created",
            actor=user,
            enterprise=submission.enterprise,
            plan=plan.pk,
            submission=submission.pk,
        )
    return plan


@transaction.atomic
def add_action(
    submission: Submission,
    membership: Membership,
    *,
    item: str,
    title: str,
    owner: User,
    due_on: dt.date,
    status: str = Action.Status.PLANNED,
    notes: str = "",
) -> Action:
    """Add an action to the submission's plan (any member may)."""
    if membership.enterprise_id != submission.enterprise_id:
        raise PermissionDenied
    user = membership.user
    plan = plan_for_submission(submission, user)
    _check_owner(owner, plan)
    action = Action.objects.create(
        plan=plan,
        item=item,
        title=title,
        owner=owner,
        due_on=due_on,
        status=status,
        notes=notes,
        done_on=timezone.localdate() if status == Action.Status.DONE else None,
        created_by=user,
        updated_by=user,
    )
    Plan.objects.filter(pk=plan.pk).update(updated_at=timezone.now())
    audit(
        "plans.action_added",
        actor=user,
        enterprise=membership.enterprise,
        plan=plan.pk,
        action_id=action.pk,
        **{name: _audit_value(getattr(action, name)) for name in FIELDS},
    )
    return action


@transaction.atomic
def update_action(action: Action, membership: Membership, **values: Any) -> Action:
    """Change an action (see :mod:`.permissions` for who may); records what changed."""
    if not can_edit(membership, action):
        raise PermissionDenied
    # Lock the action's row only: the owner is optional (an outer join PostgreSQL cannot lock).
    action = (
        Action.objects.select_for_update(of=("self",))
        .select_related("plan", "owner")
        .get(pk=action.pk)
    )
    if "owner" in values:
        _check_owner(values["owner"], action.plan)
    changes = {}
    for name, value in values.items():
        if name not in FIELDS:
            raise ValueError(f"not an action field: {name}")
        before = getattr(action, name)
        if before != value:
            changes[name] = [_audit_value(before), _audit_value(value)]
            setattr(action, name, value)
    if not changes:
        return action
    if "status" in changes:
        action.done_on = timezone.localdate() if action.status == Action.Status.DONE else None
    action.updated_by = membership.user
    action.save()
    Plan.objects.filter(pk=action.plan_id).update(updated_at=timezone.now())
    audit(
        "plans.action_changed",
        actor=membership.user,
        enterprise=membership.enterprise,
        plan=action.plan_id,
        action_id=action.pk,
        changes=changes,
    )
    return action


# --------------------------------------------------------------------------- reminders


def plan_url(plan: Plan, lang: str) -> str:
    with translation.override(django_language(lang)):
        path = reverse("plans:detail", kwargs={"pk": plan.submission_id})
    return settings.SITE_URL.rstrip("/") + path


def reminders_due(today: dt.date, days: int) -> QuerySet[Action]:
    """Open actions due within ``days`` (today included) whose owner has no reminder yet for
    the current due date and is still an active member with an address."""
    return (
        Action.objects.filter(
            status__in=Action.OPEN,
            due_on__gte=today,
            due_on__lte=today + dt.timedelta(days=days),
            owner__is_active=True,
            owner__membership__enterprise_id=F("plan__enterprise_id"),
        )
        .exclude(owner__email="")
        .exclude(Exists(Reminder.objects.filter(action=OuterRef("pk"), due_on=OuterRef("due_on"))))
        .select_related("plan__submission__scheme_version", "plan__enterprise", "owner")
        .order_by("due_on", "pk")
    )


def _reminder_message(action: Action, today: dt.date) -> tuple[str, str]:
    plan = action.plan
    submission = plan.submission
    lang = text_lang(submission.language)
    scheme = submission.scheme_version.engine_scheme
    with translation.override(django_language(lang)):
        context = {
            "action": action,
            "owner": action.owner,
            "enterprise": plan.enterprise,
            "item": labels.item_label(scheme, action.item, lang),
            "days": (action.due_on - today).days,
            "url": plan_url(plan, lang),
            "site": settings.SITE_URL,
        }
        subject = render_to_string("plans/email/reminder_subject.txt", context)
        body = render_to_string("plans/email/reminder.txt", context)
    return subject_line(subject), body


def send_reminders(today: dt.date | None = None, days: int | None = None) -> int:
    """E-mail the owner of every open action due within ``days`` (``PLAN_REMINDER_DAYS``).

    Idempotent: a reminder is recorded per action and due date (unique), in the same
    transaction that queues its e-mail, so running this twice a day, or on two machines at
    once, sends each reminder once. Moving the due date makes a new reminder due.
    """
    today = today or timezone.localdate()
    days = settings.PLAN_REMINDER_DAYS if days is None else days
    sent = 0
    for action in reminders_due(today, days):
        subject, body = _reminder_message(action, today)
        address = action.owner.email
        try:
            with transaction.atomic():
                Reminder.objects.create(action=action, due_on=action.due_on, recipient=address)
                transaction.on_commit(
                    lambda s=subject, b=body, a=address: send_plain_mail_task.enqueue(
                        subject=s, body=b, recipients=[a]
                    )
                )
        except IntegrityError:  # another run recorded it meanwhile
            continue
        sent += 1
    return sent
