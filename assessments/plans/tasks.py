"""Background tasks of improvement plans (django-tasks; the pattern is described in
``portal/core/tasks.py``). The reminders themselves go out through ``send_plain_mail_task``."""

from __future__ import annotations

from django_tasks import task


@task()
def send_plan_reminders_task(days: int | None = None) -> int:
    """Remind the owners of open actions due soon (for a scheduler; see ``send_reminders``)."""
    # Imported here, as in every task module: a service that enqueues a task imports its module,
    # so importing the service at the top would make an import circle.
    from assessments.plans.services import send_reminders

    return send_reminders(days=days)
