"""Background tasks of the reports app (django-tasks; the pattern is described in
``portal/core/tasks.py``)."""

from __future__ import annotations

from django_tasks import task


@task()
def build_report_file_task(report_id: int) -> str:
    """Render and store the report file ``report_id``; returns its final status."""
    # Imported here: ``services`` imports this module to enqueue the task, so importing it at the
    # top would make an import circle.
    from assessments.reports.services import build_report_file

    report = build_report_file(report_id)
    return report.status if report else "missing"
