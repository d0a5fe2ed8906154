"""`grassroots scheduler`: run the periodic jobs of every app until stopped (SIGINT/SIGTERM).

Run one per server if you like: only the holder of the database lease runs jobs, the others
stand by and take over within the lease's TTL when it stops. ``--once`` runs one tick in the
foreground (jobs due now run before it returns); ``--list`` shows each job and its state.
"""

from __future__ import annotations

import signal
import threading
from types import FrameType
from typing import Any

from django.core.management import get_commands
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from grassroots.core.scheduler.registry import registry
from grassroots.core.scheduler.runner import Scheduler
from grassroots.core.scheduler.selectors import job_statuses, scheduler_status


def _at(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S") if value else "-"


class Command(BaseCommand):
    help = "Run the registered periodic jobs (one scheduler per database acts; others stand by)."

    def add_arguments(self, parser: CommandParser) -> None:
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--once", action="store_true", help="run one tick and exit")
        mode.add_argument("--list", action="store_true", help="show the jobs and their state")

    def handle(self, *args: Any, **options: Any) -> None:
        jobs = registry.jobs()
        known = get_commands()
        unknown = [j.name for j in jobs if j.command not in known]
        if unknown:
            raise CommandError(f"jobs naming unknown commands: {', '.join(unknown)}")
        if options["list"]:
            self._list()
            return
        if options["once"]:
            report = Scheduler(threaded=False).tick()
            if not report.leader:
                self.stdout.write("another scheduler holds the lease: nothing run")
            else:
                self.stdout.write("ran: " + (", ".join(report.started) or "nothing due"))
            return
        stop = threading.Event()

        def on_signal(signum: int, frame: FrameType | None) -> None:
            stop.set()

        signal.signal(signal.SIGINT, on_signal)
        signal.signal(signal.SIGTERM, on_signal)
        scheduler = Scheduler()
        self.stderr.write(
            f"scheduler {scheduler.holder}: {len(jobs)} job(s): "
            + ", ".join(f"{j.name} [{j.schedule}]" for j in jobs)
        )
        scheduler.run_until(stop)
        self.stderr.write(f"scheduler {scheduler.holder} stopped")

    def _list(self) -> None:
        status = scheduler_status()
        beat = _at(status.last_heartbeat)
        self.stdout.write(f"last heartbeat {beat}" + (" (STALE)" if status.stale else ""))
        for job in job_statuses():
            outcome = job.last_outcome.value if job.last_outcome else "never run"
            line = (
                f"{job.name:<18} [{job.schedule}] {job.command_line}\n"
                f"    last {_at(job.last_started_at)} {outcome}"
                + (f" ({job.last_duration_ms} ms)" if job.last_duration_ms is not None else "")
                + (
                    f", {job.consecutive_failures} failure(s) in a row"
                    if job.consecutive_failures
                    else ""
                )
                + (", running" if job.running else "")
                + f"; next {_at(job.next_run_at)}"
            )
            if job.last_error:
                line += f"\n    error: {job.last_error}"
            self.stdout.write(line)
