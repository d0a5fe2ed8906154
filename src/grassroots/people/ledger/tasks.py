"""Background tasks of ledger imports (django_tasks): thin wrappers around `jobs`.

Each takes a job id and returns the job's status; running one twice does nothing the second time
(a job is claimed by its status). Which backend runs them is the ``TASKS`` setting: in-process
threads by default (`grassroots.core.tasks.ThreadBackend`), ``django_tasks_db``'s DatabaseBackend
with ``grassroots db_worker`` in production, ImmediateBackend in tests.
"""

from __future__ import annotations

from django_tasks import task

from grassroots.people.ledger import jobs


@task()
def validate_import(job_id: int) -> str:
    """Check an uploaded ledger; write it at once when nothing existing changes."""
    return str(jobs.job_validate(job_id).status)


@task()
def apply_import(job_id: int) -> str:
    """Write a ledger whose preview the user confirmed."""
    return str(jobs.job_apply(job_id).status)
