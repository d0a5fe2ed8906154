"""`grassroots import-residents FILE`: import a household/resident ledger (.xlsx or .csv).

Options: ``--area CODE`` limits the import to that area's subtree, ``--valid-only`` writes only
the valid rows whose whole household is valid, ``--yes`` applies updates of existing residents
without asking, ``--as USERNAME`` acts as that account (within its scope; default: the system).

Runs the same job as the web page, in the foreground, with a progress bar on stderr. Exit code 1
when nothing was written (the error report's location is printed), 0 otherwise.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from grassroots.areas.models import Area
from grassroots.core.audit import audit_source
from grassroots.core.errors import DomainError
from grassroots.core.models import User
from grassroots.people.ledger import jobs
from grassroots.people.models_ledger import ImportJob, ImportMode, ImportStatus

BAR = 30
STAGES = {"reading": "读取", "checking": "核对", "writing": "写入"}


class _Bar:
    """A one-line progress bar on stderr, redrawn at most ten times a second."""

    def __init__(self, stream: Any) -> None:
        self.stream, self.last, self.shown = stream, 0.0, False

    def __call__(self, stage: str, processed: int, total: int) -> None:
        now = time.monotonic()
        if now - self.last < 0.1:
            return
        self.last = now
        filled = BAR * min(processed, total) // total if total else 0
        bar = "#" * filled + "-" * (BAR - filled)
        of = f"/{total}" if total else ""
        self.stream.write(f"\r{STAGES.get(stage, stage)} [{bar}] {processed}{of}   ", ending="")
        self.stream.flush()
        self.shown = True

    def end(self) -> None:
        if self.shown:
            self.stream.write("")
            self.shown = False


class Command(BaseCommand):
    help = "Import households and residents from a .xlsx or .csv ledger; all or nothing by default."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--area", help="limit the import to this area code's subtree")
        parser.add_argument("--valid-only", action="store_true", help="write only valid households")
        parser.add_argument("--yes", action="store_true", help="apply updates without asking")
        parser.add_argument("--as", dest="username", help="act as this account (default: system)")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = self._actor(options["username"])
        within = self._area(options["area"])
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        bar = _Bar(self.stderr)
        try:
            with audit_source("command:import-residents"), path.open("rb") as fh:
                job = jobs.job_create(
                    actor=actor,
                    upload=fh,
                    filename=path.name,
                    mode=ImportMode.VALID_ONLY
                    if options["valid_only"]
                    else ImportMode.ALL_OR_NOTHING,
                    within=within,
                    source="command:import-residents",
                )
            job = jobs.job_validate(job.pk, tick=bar)
            bar.end()
            if job.status == ImportStatus.PREVIEW:
                self._preview(job)
                if not options["yes"] and not self._confirmed():
                    jobs.job_cancel(actor=None, job=job)
                    raise CommandError("cancelled: nothing was written")
                job = jobs.job_confirm(actor=None, job=job, digest=job.preview["digest"])
                job = jobs.job_apply(job.pk, tick=bar)
                bar.end()
        except DomainError as exc:
            bar.end()
            raise CommandError(str(exc.message)) from None
        self._result(job)

    def _actor(self, username: str | None) -> User | None:
        if not username:
            return None
        actor = User.objects.filter(username=username, is_active=True).first()
        if actor is None:
            raise CommandError(f"no active account named {username!r}")
        return actor

    def _area(self, code: str | None) -> Area | None:
        if not code:
            return None
        area = Area.objects.filter(code=code).first()
        if area is None:
            raise CommandError(f"no area with code {code!r}")
        return area

    def _preview(self, job: ImportJob) -> None:
        preview = job.preview
        self.stdout.write(f"{preview['total_changes']} registered records would change:")
        for entry in preview["changes"]:
            head = f"  {entry['sheet']} row {entry['row']} {entry['name']} {entry['id']}".rstrip()
            self.stdout.write(head)
            for ch in entry["changes"]:
                self.stdout.write(f"      {ch['label']}: {ch['old']} -> {ch['new']}")
        if preview["total_changes"] > len(preview["changes"]):
            self.stdout.write(
                f"  ... and {preview['total_changes'] - len(preview['changes'])} more"
            )

    def _confirmed(self) -> bool:
        if not sys.stdin.isatty():
            return False
        self.stdout.write("Apply these changes? [y/N] ", ending="")
        return input().strip().lower() in ("y", "yes")

    def _result(self, job: ImportJob) -> None:
        counts = (
            f"rows {job.total}, created {job.created}, updated {job.updated}, "
            f"unchanged {job.unchanged}, households created {job.households_created}, "
            f"households updated {job.households_updated}, errors {job.errors}, "
            f"skipped {job.skipped}"
        )
        if job.status != ImportStatus.DONE:
            lines = [job.message or "nothing was written", counts]
            lines += [
                f"  {p['sheet']} row {p['row']}, {p['column']}: {p['message']}"
                for p in job.problems[:20]
            ]
            if job.report_path:
                lines.append(f"error report: {Path(settings.MEDIA_ROOT) / job.report_path}")
            raise CommandError("\n".join(lines))
        if job.report_path:
            self.stdout.write(f"error report: {Path(settings.MEDIA_ROOT) / job.report_path}")
        self.stdout.write(f"imported: {counts}")
