"""Background tasks of the portal core (django-tasks: run immediately in-process by default,
queued in the database for ``manage.py db_worker`` with ``TASKS_BACKEND=database``).

Every task of the project follows one pattern (docs/architecture.md): a thin wrapper named after
the service it runs plus ``_task``, which imports that service inside the function; services
enqueue it with ``transaction.on_commit`` so that a rolled-back change never runs its task.
"""

from __future__ import annotations

from django_tasks import task


@task()
def send_plain_mail_task(subject: str, body: str, recipients: list[str]) -> int:
    # The service is imported here, as in every task module: services import their tasks to
    # enqueue them, so importing the service at the top would make an import circle.
    from portal.core.mail import send_plain_mail

    return send_plain_mail(subject, body, recipients)
