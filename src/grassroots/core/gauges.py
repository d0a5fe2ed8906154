"""The core app's scrape-time metrics (`core.observability.gauges`): the task queue and the
scheduler. Two queries each; numbers, times and job names only."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.apps import apps
from django.db.models import Count, Min, Q
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.metrics_core import Metric

from grassroots.core.observability.gauges import register, timestamp
from grassroots.core.scheduler.lease import LEASE
from grassroots.core.scheduler.models import JobState, SchedulerLease
from grassroots.core.scheduler.registry import registry


@register("tasks")
def task_backlog(now: datetime.datetime) -> Iterator[Metric]:
    """The database queue of background tasks (``GRASSROOTS_TASKS=database``): tasks due and
    waiting for a worker, the longest wait among them, and tasks running."""
    if not apps.is_installed("django_tasks_db"):
        return
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult, get_date_max

    never = get_date_max()
    due = Q(run_after=never) | Q(run_after__lte=now)
    counts = DBTaskResult.objects.aggregate(
        waiting=Count("id", filter=Q(status=TaskResultStatus.READY) & due),
        running=Count("id", filter=Q(status=TaskResultStatus.RUNNING)),
        oldest=Min("enqueued_at", filter=Q(status=TaskResultStatus.READY) & due),
    )
    waiting = GaugeMetricFamily(
        "grassroots_tasks_waiting", "Background tasks due and waiting for a worker."
    )
    waiting.add_metric([], counts["waiting"])
    yield waiting
    running = GaugeMetricFamily("grassroots_tasks_running", "Background tasks being run now.")
    running.add_metric([], counts["running"])
    yield running
    oldest = GaugeMetricFamily(
        "grassroots_tasks_oldest_wait_seconds",
        "How long the longest-waiting due task has waited (0: none waits).",
    )
    oldest.add_metric(
        [], max(0.0, (now - counts["oldest"]).total_seconds()) if counts["oldest"] else 0
    )
    yield oldest


@register("scheduler")
def scheduler(now: datetime.datetime) -> Iterator[Metric]:
    """The scheduler's heartbeat and each registered job's last run, success and failures."""
    beat = SchedulerLease.objects.filter(name=LEASE).values_list("heartbeat_at", flat=True).first()
    heartbeat = GaugeMetricFamily(
        "grassroots_scheduler_heartbeat_timestamp_seconds",
        "The last tick of the scheduler holding the lease, in Unix time (0: never).",
    )
    heartbeat.add_metric([], timestamp(beat))
    yield heartbeat

    jobs = [job.name for job in registry.jobs()]
    states = {s.name: s for s in JobState.objects.filter(name__in=jobs)}
    families = {
        "last_run": GaugeMetricFamily(
            "grassroots_scheduler_job_last_run_timestamp_seconds",
            "When the job last started, in Unix time (0: never).",
            labels=["job"],
        ),
        "last_success": GaugeMetricFamily(
            "grassroots_scheduler_job_last_success_timestamp_seconds",
            "When the job last finished successfully, in Unix time (0: never).",
            labels=["job"],
        ),
        "duration": GaugeMetricFamily(
            "grassroots_scheduler_job_last_duration_seconds",
            "How long the job's last finished run took.",
            labels=["job"],
        ),
        "failures": GaugeMetricFamily(
            "grassroots_scheduler_job_consecutive_failures",
            "Failed or interrupted runs of the job since its last success.",
            labels=["job"],
        ),
        "running": GaugeMetricFamily(
            "grassroots_scheduler_job_running",
            "1 while a run of the job is in progress.",
            labels=["job"],
        ),
    }
    for name in jobs:
        state = states.get(name)
        families["last_run"].add_metric([name], timestamp(state.last_started_at if state else None))
        families["last_success"].add_metric(
            [name], timestamp(state.last_success_at if state else None)
        )
        duration = state.last_duration_ms if state and state.last_duration_ms is not None else 0
        families["duration"].add_metric([name], duration / 1000)
        families["failures"].add_metric([name], state.consecutive_failures if state else 0)
        families["running"].add_metric([name], 1 if state and state.running_since else 0)
    yield from families.values()
