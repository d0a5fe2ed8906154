"""The scheduler's tick, and the loop that drives it.

`Scheduler.tick(now)`:

1. takes or renews the lease (`lease.lease_hold`), which records the heartbeat; a scheduler
   that does not hold it stands by and does nothing else;
2. on taking the lease over, closes the runs its previous holder left unfinished (retried);
3. starts every registered job that is due and not running, each claimed in one conditional
   UPDATE (`state.job_claim`) and run as ``call_command(command, *args)`` in a thread of its own
   (or in the caller's thread: `threaded=False`, used by tests and ``scheduler --once``).

A job that raises or exits non-zero is caught, described without personal data
(`describe_failure`), logged, recorded and retried after a bounded backoff; nothing a job does
stops the scheduler. `Scheduler.run_until(stop)` runs the tick on APScheduler's
BackgroundScheduler every ``SCHEDULER_TICK_SECONDS`` on whole multiples of it (…:00, :10, :20),
so a minute job starts within one tick of its minute. APScheduler decides *when* (its triggers
parse the crontab lines, in Asia/Shanghai); the database decides *who* and *what is due*,
because APScheduler 3 keeps its schedule per process and cannot share it between servers.
"""

from __future__ import annotations

import datetime
import io
import logging
import os
import secrets
import socket
import threading
import time
import traceback
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import close_old_connections, connections
from django.utils import timezone

import grassroots
from grassroots.core.scheduler.lease import lease_hold, lease_release
from grassroots.core.scheduler.registry import JobSpec, registry
from grassroots.core.scheduler.state import (
    ERROR_MAX,
    job_claim,
    job_finish,
    jobs_interrupted,
    states_prepare,
)

logger = logging.getLogger("grassroots.scheduler")


def make_holder() -> str:
    """A name for this scheduler process: host, process id and a random suffix."""
    return f"{socket.gethostname()[:80]}:{os.getpid()}:{secrets.token_hex(3)}"


_PACKAGE = str(Path(grassroots.__file__).resolve().parent) + os.sep


def _where(exc: BaseException) -> str:
    """The innermost line of our code the exception came through (else the innermost line)."""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if f.filename.startswith(_PACKAGE)] or frames
    if not ours:
        return "?"
    frame = ours[-1]
    return f"{frame.filename.removeprefix(_PACKAGE)}:{frame.lineno}"


def describe_failure(exc: BaseException, stderr: str = "") -> str:
    """What went wrong, fit for logs and the job's state: never a library's exception message.

    Database and driver errors quote the values of the rows they concern (names, ID numbers),
    so an exception is named by its type and the line of our code it came through. A command's
    own CommandError message and the last line it wrote to stderr before a non-zero exit are
    kept: our commands write counts and row ids there, never personal data (SECURITY.md 16).
    """
    if isinstance(exc, SystemExit):
        lines = [line for line in stderr.splitlines() if line.strip()]
        text = f"exit status {exc.code}" + (f": {lines[-1].strip()}" if lines else "")
    elif isinstance(exc, CommandError):
        text = f"CommandError: {exc}"
    else:
        text = f"{type(exc).__name__} at {_where(exc)}"
    return text[:ERROR_MAX]


def tick_trigger(now: datetime.datetime, seconds: int) -> IntervalTrigger:
    """Every `seconds` on whole multiples of it within the minute (…:00, :10, :20 for 10)."""
    return IntervalTrigger(
        seconds=seconds, start_date=now.replace(second=0, microsecond=0), timezone=now.tzinfo
    )


@dataclass(frozen=True)
class TickReport:
    """What one tick did: whether this scheduler held the lease and which jobs it started."""

    at: datetime.datetime
    leader: bool
    started: list[str] = field(default_factory=list)


class Scheduler:
    """One scheduler process's view: its holder name, its running jobs, whether it leads."""

    def __init__(
        self,
        *,
        holder: str | None = None,
        jobs: list[JobSpec] | None = None,
        threaded: bool = True,
    ) -> None:
        self.holder = holder or make_holder()
        self._jobs = jobs
        self._threaded = threaded
        self._running: dict[str, threading.Thread | None] = {}
        self._lock = threading.Lock()
        self.leader = False
        self._ticked = False

    @property
    def jobs(self) -> list[JobSpec]:
        return self._jobs if self._jobs is not None else registry.jobs()

    def running(self) -> list[str]:
        with self._lock:
            return sorted(self._running)

    def tick(self, now: datetime.datetime | None = None) -> TickReport:
        """Renew or take the lease; if held, start the jobs that are due (see the module doc)."""
        now = now or timezone.now()
        held = lease_hold(holder=self.holder, now=now, seconds=settings.SCHEDULER_LEASE_SECONDS)
        taken = held and not self.leader
        if held and not self.leader:
            logger.info("scheduler %s holds the lease: running the jobs", self.holder)
        elif not held and (self.leader or not self._ticked):
            logger.warning("scheduler %s does not hold the lease: standing by", self.holder)
        self.leader, self._ticked = held, True
        if not held:
            return TickReport(at=now, leader=False)
        if taken:
            jobs_interrupted(holder=self.holder, now=now)
        jobs = self.jobs
        states = states_prepare(jobs, now=now)
        started = []
        for job in jobs:
            with self._lock:
                if job.name in self._running or states[job.name].next_run_at > now:
                    continue
            if not job_claim(job, now=now, holder=self.holder):
                continue
            started.append(job.name)
            self._start(job, now)
        return TickReport(at=now, leader=True, started=started)

    def _start(self, job: JobSpec, now: datetime.datetime) -> None:
        if not self._threaded:
            with self._lock:
                self._running[job.name] = None
            self._run(job, now)
            return
        # A daemon thread: a job still running when the grace period ends does not hold up
        # the process's exit; its run is recorded as interrupted and retried.
        thread = threading.Thread(
            target=self._run, args=(job, now), name=f"job-{job.name}", daemon=True
        )
        with self._lock:
            self._running[job.name] = thread
        thread.start()

    def _run(self, job: JobSpec, started_at: datetime.datetime) -> None:
        began = time.monotonic()
        stdout, stderr = io.StringIO(), io.StringIO()
        error = None
        try:
            call_command(job.command, *job.args, stdout=stdout, stderr=stderr)
        except SystemExit as exc:
            if exc.code not in (None, 0):
                error = describe_failure(exc, stderr.getvalue())
        except Exception as exc:
            error = describe_failure(exc, stderr.getvalue())
        finished_at = started_at + datetime.timedelta(seconds=time.monotonic() - began)
        try:
            state = job_finish(
                job.name, started_at=started_at, finished_at=finished_at, error=error
            )
        except Exception as exc:
            # Left marked as running by this holder, which may claim it again; a successor
            # closes it as interrupted.
            logger.error(
                "job %s: its run could not be recorded (%s)", job.name, describe_failure(exc)
            )
            return
        finally:
            with self._lock:
                self._running.pop(job.name, None)
            if self._threaded:
                connections.close_all()
        if error is not None:
            logger.error(
                "job %s failed (%d in a row): %s; retrying at %s",
                job.name,
                state.consecutive_failures,
                error,
                timezone.localtime(state.next_run_at).isoformat(timespec="seconds"),
            )
        else:
            logger.debug("job %s ran in %d ms", job.name, state.last_duration_ms or 0)

    def _safe_tick(self) -> None:
        close_old_connections()
        try:
            report = self.tick()
            if report.started:
                logger.debug("tick started %s", ", ".join(report.started))
        except Exception as exc:  # the database may be away; the next tick tries again
            logger.error("scheduler tick failed: %s", describe_failure(exc))
        finally:
            close_old_connections()

    def run_until(self, stop: threading.Event) -> None:
        """Tick every ``SCHEDULER_TICK_SECONDS`` until `stop` is set, then `shutdown`."""
        tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        seconds = settings.SCHEDULER_TICK_SECONDS
        now = datetime.datetime.now(tz)
        loop = BackgroundScheduler(
            timezone=tz,
            # One thread for the ticks: they never overlap and keep one database connection.
            executors={"default": ThreadPoolExecutor(1)},
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
        )
        # One tick at once, then on whole multiples of the interval from the minute: an
        # interval trigger counts from its previous run, so the first aligned run sets the phase.
        loop.add_job(self._safe_tick, DateTrigger(now, timezone=tz), id="first-tick")
        loop.add_job(self._safe_tick, tick_trigger(now, seconds), id="tick", name="tick")
        loop.start()
        try:
            while not stop.wait(1.0):
                pass
        finally:
            loop.shutdown(wait=True)
            self.shutdown(grace=settings.SCHEDULER_STOP_GRACE_SECONDS)

    def shutdown(self, *, grace: float, now: datetime.datetime | None = None) -> None:
        """Wait up to `grace` seconds for running jobs, record the rest as interrupted, and
        give the lease up so that a standby takes over at once."""
        deadline = time.monotonic() + grace
        with self._lock:
            threads = [t for t in self._running.values() if t is not None]
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        now = now or timezone.now()
        try:
            left = self.running()
            if left and self.leader:
                jobs_interrupted(holder=self.holder, now=now, names=left)
            if self.leader:
                lease_release(holder=self.holder, now=now)
        except Exception as exc:
            logger.error("scheduler could not release its lease: %s", describe_failure(exc))
        finally:
            self.leader = False
            if self._threaded:
                close_old_connections()
