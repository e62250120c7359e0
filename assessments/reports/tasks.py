"""Background rendering (django-tasks): immediate by default, ``db_worker`` in production."""

from __future__ import annotations

from django_tasks import task


@task()
def render_report(report_id: int) -> str:
    """Render and store the report file ``report_id``; returns its final status."""
    from .services import build_report_file

    report = build_report_file(report_id)
    return report.status if report else "missing"
