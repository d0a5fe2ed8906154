"""Reads of the scheduler's state, for pages, `/health/` and ``grassroots scheduler --list``.

System-wide and free of personal data (times, counts, job names), so they take no actor: any
page may show whether the figures are being kept up to date.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.functional import Promise

from grassroots.core.scheduler.choices import Outcome
from grassroots.core.scheduler.lease import LEASE
from grassroots.core.scheduler.models import JobState, SchedulerLease
from grassroots.core.scheduler.registry import registry


@dataclass(frozen=True)
class SchedulerStatus:
    """Whether a scheduler acts on this database.

    `last_heartbeat`: the last tick of whichever scheduler held the lease (None: never).
    `stale`: no heartbeat for more than `stale_after` seconds (``SCHEDULER_STALE_SECONDS``,
    5 minutes), or none ever — periodic jobs are not running and figures are not refreshed.
    """

    last_heartbeat: datetime.datetime | None
    stale: bool
    age_seconds: int | None
    stale_after: int


def scheduler_status(*, now: datetime.datetime | None = None) -> SchedulerStatus:
    """The scheduler's liveness, in one query."""
    now = now or timezone.now()
    stale_after = settings.SCHEDULER_STALE_SECONDS
    beat = SchedulerLease.objects.filter(name=LEASE).values_list("heartbeat_at", flat=True).first()
    if beat is None:
        return SchedulerStatus(
            last_heartbeat=None, stale=True, age_seconds=None, stale_after=stale_after
        )
    age = max(0, int((now - beat).total_seconds()))
    return SchedulerStatus(
        last_heartbeat=beat, stale=age > stale_after, age_seconds=age, stale_after=stale_after
    )


@dataclass(frozen=True)
class JobStatus:
    """One registered job with what its state remembers (None/blank: never ran)."""

    name: str
    command_line: str
    schedule: str
    description: str | Promise
    next_run_at: datetime.datetime | None
    last_started_at: datetime.datetime | None
    last_outcome: Outcome | None
    last_error: str
    last_duration_ms: int | None
    consecutive_failures: int
    running: bool


def job_statuses() -> list[JobStatus]:
    """Every registered job, by name, with its state, in one query."""
    jobs = registry.jobs()
    states = {s.name: s for s in JobState.objects.filter(name__in=[j.name for j in jobs])}
    rows = []
    for job in jobs:
        state = states.get(job.name)
        rows.append(
            JobStatus(
                name=job.name,
                command_line=" ".join((job.command, *job.args)),
                schedule=job.schedule,
                description=job.description,
                next_run_at=state.next_run_at if state else None,
                last_started_at=state.last_started_at if state else None,
                last_outcome=Outcome(state.last_outcome) if state and state.last_outcome else None,
                last_error=state.last_error if state else "",
                last_duration_ms=state.last_duration_ms if state else None,
                consecutive_failures=state.consecutive_failures if state else 0,
                running=bool(state and state.running_since),
            )
        )
    return rows
