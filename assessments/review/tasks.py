"""Background tasks of the review app (django-tasks; the pattern is described in
``portal/core/tasks.py``). E-mail notifications use the portal's ``send_plain_mail_task``."""

from __future__ import annotations

from django_tasks import task


@task()
def render_certificate_pdf_task(certificate_id: int) -> bool:
    # Imported here: ``certificates`` imports this module to enqueue the task, so importing it at
    # the top would make an import circle.
    from assessments.review.certificates import render_certificate_pdf

    return render_certificate_pdf(certificate_id)
