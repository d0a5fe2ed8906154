"""The series read from the database at scrape time: task backlog, scheduler, rollup lag and
import jobs, and a failing source reported down without hiding the others."""

from __future__ import annotations

import datetime
import math

import pytest
from django.db import DatabaseError
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from grassroots.core.observability import gauges
from grassroots.core.scheduler.lease import lease_hold
from grassroots.core.scheduler.models import JobState
from grassroots.figures.services import figures_refresh
from grassroots.people.models_ledger import ImportJob, ImportStatus
from tests.observability.conftest import sample, scrape

pytestmark = pytest.mark.django_db

MINUTE = datetime.timedelta(minutes=1)


def _task(waited: datetime.timedelta, status: str = TaskResultStatus.READY) -> None:
    task = DBTaskResult.objects.create(
        args_kwargs={"args": [1], "kwargs": {}},
        task_path="grassroots.people.ledger.tasks.validate_import",
        backend_name="default",
        run_after=get_date_max(),
    )
    DBTaskResult.objects.filter(pk=task.pk).update(
        enqueued_at=timezone.now() - waited, status=status
    )


def test_the_task_backlog(metrics_token):
    _task(12 * MINUTE)
    _task(MINUTE)
    _task(MINUTE, TaskResultStatus.RUNNING)
    _task(30 * MINUTE, TaskResultStatus.SUCCESSFUL)
    families = scrape()
    assert sample(families, "grassroots_tasks_waiting") == 2
    assert sample(families, "grassroots_tasks_running") == 1
    assert 12 * 60 <= sample(families, "grassroots_tasks_oldest_wait_seconds") < 13 * 60


def test_an_empty_queue_waits_zero(metrics_token):
    families = scrape()
    assert sample(families, "grassroots_tasks_waiting") == 0
    assert sample(families, "grassroots_tasks_oldest_wait_seconds") == 0


def test_the_scheduler_heartbeat_and_jobs(metrics_token):
    families = scrape()
    assert sample(families, "grassroots_scheduler_heartbeat_timestamp_seconds") == 0
    beat = timezone.now().replace(microsecond=0) - MINUTE
    lease_hold(holder="server-a", now=beat, seconds=45)
    started = beat - 2 * MINUTE
    JobState.objects.create(
        name="sweep",
        schedule="* * * * *",
        next_run_at=beat + MINUTE,
        last_started_at=started,
        last_success_at=started - 5 * MINUTE,
        last_duration_ms=1500,
        consecutive_failures=3,
        running_since=beat,
    )
    families = scrape()
    assert sample(families, "grassroots_scheduler_heartbeat_timestamp_seconds") == beat.timestamp()
    sweep = {"job": "sweep"}
    assert (
        sample(families, "grassroots_scheduler_job_last_run_timestamp_seconds", **sweep)
        == started.timestamp()
    )
    assert (
        sample(families, "grassroots_scheduler_job_last_success_timestamp_seconds", **sweep)
        == (started - 5 * MINUTE).timestamp()
    )
    assert sample(families, "grassroots_scheduler_job_last_duration_seconds", **sweep) == 1.5
    assert sample(families, "grassroots_scheduler_job_consecutive_failures", **sweep) == 3
    assert sample(families, "grassroots_scheduler_job_running", **sweep) == 1
    # Every registered job is listed, run or not.
    jobs = {dict(k[1])["job"] for k in families["grassroots_scheduler_job_running"]}
    assert {"sweep", "refresh-figures", "backup", "purge-imports"} <= jobs
    assert (
        sample(families, "grassroots_scheduler_job_last_run_timestamp_seconds", job="backup") == 0
    )


def test_rollup_lag_never_refreshed_then_refreshed(metrics_token):
    families = scrape()
    assert math.isinf(sample(families, "grassroots_figures_rollup_age_seconds"))
    assert sample(families, "grassroots_figures_refreshed_timestamp_seconds") == 0
    at = timezone.now() - 3 * MINUTE
    figures_refresh(now=at)
    families = scrape()
    assert sample(families, "grassroots_figures_refreshed_timestamp_seconds") == at.timestamp()
    assert 180 <= sample(families, "grassroots_figures_rollup_age_seconds") < 240
    assert sample(families, "grassroots_figures_pending_rows") == 0


def _job(status: str, **fields) -> ImportJob:
    return ImportJob.objects.create(
        status=status,
        filename="台账.xlsx",
        upload_path="imports/x.xlsx",
        file_sha256="0" * 64,
        **fields,
    )


def test_import_jobs_by_state_and_stalled(metrics_token, settings):
    settings.PEOPLE_IMPORT_STALE_SECONDS = 300
    _job(ImportStatus.QUEUED)
    _job(ImportStatus.DONE)
    _job(ImportStatus.DONE)
    silent = _job(ImportStatus.APPLYING)
    ImportJob.objects.filter(pk=silent.pk).update(updated_at=timezone.now() - 10 * MINUTE)
    families = scrape()
    by_state = {s: sample(families, "grassroots_import_jobs", state=s) for s in ImportStatus.values}
    assert by_state == {
        "queued": 1,
        "validating": 0,
        "preview": 0,
        "applying": 1,
        "done": 2,
        "failed": 0,
        "interrupted": 0,
    }
    assert sample(families, "grassroots_import_jobs_stalled") == 1


def test_a_failing_source_is_reported_down_and_the_others_still_answer(metrics_token, monkeypatch):
    sources = gauges.sources()

    def broken(now):
        raise DatabaseError("relation does not exist")

    monkeypatch.setitem(gauges._sources, "imports", broken)
    families = scrape()
    assert sample(families, "grassroots_metrics_source_up", source="imports") == 0
    assert "grassroots_import_jobs" not in families
    assert sample(families, "grassroots_metrics_source_up", source="tasks") == 1
    assert "grassroots_tasks_waiting" in families
    assert set(sources) == {"figures", "imports", "scheduler", "tasks"}
