"""Improvement plans: what a firm means to do about the gaps of one submission.

A plan belongs to one submission (its gaps and path to the next level are the plan's
targets) and to that submission's enterprise. Each action addresses one target item and has an
owner (a member of the enterprise), a due date, a status and notes. A reminder is recorded per
action and due date, so that the daily reminder run sends each at most once.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from assessments.models import Submission
from portal.accounts.models import Enterprise
from portal.core.text import validate_single_line

TITLE_MAX = 200
NOTES_MAX = 2000


class Plan(models.Model):
    """The improvement plan made from one submission."""

    submission = models.OneToOneField(
        Submission,
        verbose_name=_("submission"),
        on_delete=models.CASCADE,
        related_name="improvement_plan",
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="improvement_plans",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("improvement plan")
        verbose_name_plural = _("improvement plans")

    def __str__(self) -> str:
        return f"{self.enterprise_id} · {self.submission_id}"


class Action(models.Model):
    """One thing to do about one item of the plan's submission."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    OPEN = (Status.PLANNED, Status.IN_PROGRESS)

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="actions"
    )
    item = models.CharField(_("item"), max_length=64)
    title = models.CharField(_("action"), max_length=TITLE_MAX, validators=[validate_single_line])
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="plan_actions",
    )
    due_on = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    notes = models.TextField(_("notes"), max_length=NOTES_MAX, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last changed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["plan", "due_on", "pk"]
        verbose_name = _("improvement action")
        verbose_name_plural = _("improvement actions")
        indexes = [models.Index(fields=["status", "due_on"], name="plans_action_open_due")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN


class Reminder(models.Model):
    """A reminder e-mailed to an action's owner before its due date (one per due date)."""

    action = models.ForeignKey(
        Action, verbose_name=_("action"), on_delete=models.CASCADE, related_name="reminders"
    )
    due_on = models.DateField(_("due date"))
    recipient = models.EmailField(_("sent to"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("plan reminder")
        verbose_name_plural = _("plan reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["action", "due_on"], name="plans_one_reminder_per_due_date"
            )
        ]

    def __str__(self) -> str:
        return f"{self.action_id} · {self.due_on}"
