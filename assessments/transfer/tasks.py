"""django-tasks tasks: the immediate backend runs them in-process, the database backend in
``manage.py db_worker``. Arguments are the job's id only (JSON-serialisable)."""

from __future__ import annotations

from django_tasks import task

from assessments.transfer import jobs


@task()
def validate_import(job_id: str) -> None:
    """Check an uploaded registry file (dry run) and store the preview on the job."""
    jobs.run_guarded(jobs.run_validation, job_id)


@task()
def run_import(job_id: str) -> None:
    """Import a confirmed registry file in one transaction."""
    jobs.run_guarded(jobs.run_import, job_id)


@task()
def run_export(job_id: str) -> None:
    """Write an export file and attach it to the job for download."""
    jobs.run_guarded(jobs.run_export, job_id)
