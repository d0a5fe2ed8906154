"""Each job's state in the database: created when first seen, claimed when due, then finished.

Only the lease holder calls these, but none relies on that alone: a claim is a conditional
UPDATE, so two schedulers that both believed they held the lease (one stalled past its TTL)
still cannot start the same due time twice.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q

from grassroots.core.scheduler.choices import Outcome
from grassroots.core.scheduler.models import JobState
from grassroots.core.scheduler.registry import JobSpec

logger = logging.getLogger("grassroots.scheduler")

ERROR_MAX = 500


def retry_delay(failures: int) -> datetime.timedelta:
    """The wait before retrying after `failures` failures in a row: doubling, bounded.

    1 → base (60 s), 2 → 2 × base, 3 → 4 × base … never more than the cap (30 minutes).
    """
    base = settings.SCHEDULER_RETRY_BASE_SECONDS
    cap = settings.SCHEDULER_RETRY_MAX_SECONDS
    exponent = min(max(failures, 1) - 1, 30)
    return datetime.timedelta(seconds=min(base * 2**exponent, cap))


def states_prepare(specs: Iterable[JobSpec], *, now: datetime.datetime) -> dict[str, JobState]:
    """The state of each job, creating it (first due: the schedule's next time) when new.

    A job whose schedule changed in code is due at the new schedule's next time.
    """
    specs = list(specs)
    states = {s.name: s for s in JobState.objects.filter(name__in=[j.name for j in specs])}
    missing = [
        JobState(name=j.name, schedule=j.schedule, next_run_at=j.next_due(now))
        for j in specs
        if j.name not in states
    ]
    if missing:
        JobState.objects.bulk_create(missing, ignore_conflicts=True)
        states = {s.name: s for s in JobState.objects.filter(name__in=[j.name for j in specs])}
    for job in specs:
        state = states[job.name]
        if state.schedule != job.schedule:
            state.schedule, state.next_run_at = job.schedule, job.next_due(now)
            JobState.objects.filter(pk=state.pk).update(
                schedule=state.schedule, next_run_at=state.next_run_at
            )
    return states


def job_claim(job: JobSpec, *, now: datetime.datetime, holder: str) -> bool:
    """Start `job` if it is due and not running: True for exactly one caller per due time.

    Moves `next_run_at` to the schedule's next time after `now`, so however many due times
    passed while nobody ran the job, it runs once now (coalesced).
    """
    claimed = (
        JobState.objects.filter(name=job.name, next_run_at__lte=now)
        .filter(Q(running_since__isnull=True) | Q(running_holder=holder))
        .update(
            next_run_at=job.next_due(now),
            running_since=now,
            running_holder=holder,
            last_started_at=now,
        )
    )
    return claimed == 1


def job_finish(
    name: str,
    *,
    started_at: datetime.datetime,
    finished_at: datetime.datetime,
    error: str | None,
    outcome: Outcome | None = None,
) -> JobState:
    """Record a run's end; a failure (any `error`) makes the job due again after `retry_delay`."""
    duration_ms = max(0, round((finished_at - started_at).total_seconds() * 1000))
    with transaction.atomic():
        state = JobState.objects.select_for_update().get(name=name)
        state.running_since, state.running_holder = None, ""
        state.last_finished_at, state.last_duration_ms = finished_at, duration_ms
        state.run_count = F("run_count") + 1
        if error is None:
            state.last_outcome, state.last_error = Outcome.OK, ""
            state.last_success_at, state.consecutive_failures = finished_at, 0
        else:
            state.last_outcome = outcome or Outcome.FAILED
            state.last_error = error[:ERROR_MAX]
            state.consecutive_failures += 1
            state.failure_count = F("failure_count") + 1
            state.next_run_at = finished_at + retry_delay(state.consecutive_failures)
        state.save()
    state.refresh_from_db()
    return state


def jobs_interrupted(
    *, holder: str, now: datetime.datetime, names: Iterable[str] | None = None
) -> list[str]:
    """Close the runs that never finished (their scheduler stopped): retried like failures.

    With `names`, those of `holder` (it stops with them still running); without, every run
    left by another holder (called when taking the lease over).
    """
    rows = JobState.objects.filter(running_since__isnull=False)
    if names is None:
        rows = rows.exclude(running_holder=holder)
    else:
        rows = rows.filter(running_holder=holder, name__in=list(names))
    closed = []
    for state in rows:
        job_finish(
            state.name,
            started_at=state.running_since or now,
            finished_at=now,
            error="interrupted: the scheduler running it stopped",
            outcome=Outcome.INTERRUPTED,
        )
        logger.warning("job %s: its last run never finished; retrying", state.name)
        closed.append(state.name)
    return closed
