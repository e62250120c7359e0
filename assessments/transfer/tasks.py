"""django-tasks tasks: thin wrappers around the job services in ``assessments.transfer.jobs``.

The immediate backend runs them in-process, the database backend in ``manage.py db_worker``.
Arguments are the job's id only (JSON-serialisable). ``jobs`` enqueues these tasks, so each task
imports it inside its body: the module-level import goes one way only, from jobs to tasks.
"""

from __future__ import annotations

from django_tasks import task


@task()
def validate_import_task(job_id: str) -> None:
    """Check an uploaded registry file (dry run) and store the preview on the job."""
    from assessments.transfer import jobs  # jobs imports this module to enqueue

    jobs.run_guarded(jobs.validate_import_job, job_id)


@task()
def import_enterprises_task(job_id: str) -> None:
    """Import a confirmed registry file in one transaction."""
    from assessments.transfer import jobs  # jobs imports this module to enqueue

    jobs.run_guarded(jobs.import_enterprises_job, job_id)


@task()
def export_task(job_id: str) -> None:
    """Write an export file and attach it to the job for download."""
    from assessments.transfer import jobs  # jobs imports this module to enqueue

    jobs.run_guarded(jobs.export_job, job_id)
