"""Deleting old import jobs and their files (issue 15, defect 9; docs/operations.md).

An upload, its checked rows and its error report hold residents' full ID numbers and phones.
They are needed while the job runs and for a few days after, so the user can fetch the report;
then they go. `imports_purge` is run daily by the ``purge-imports`` job (`people.jobs`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from grassroots.core.audit import audit_record
from grassroots.people.auditlog import PeopleAuditAction
from grassroots.people.ledger.jobs import imports_dir
from grassroots.people.models_ledger import ImportJob

DEFAULT_DAYS = 7


@dataclass(frozen=True)
class Purged:
    """How many job rows and files were deleted."""

    jobs: int
    files: int


def retention_days() -> int:
    """``settings.PEOPLE_IMPORT_RETENTION_DAYS``, default 7."""
    return int(getattr(settings, "PEOPLE_IMPORT_RETENTION_DAYS", DEFAULT_DAYS))


def imports_purge(*, days: int | None = None) -> Purged:
    """Delete every import job untouched for `days` (default `retention_days()`) with all its
    files, and any file under ``MEDIA_ROOT/imports`` as old that no remaining job names.

    A job untouched that long has ended: done, failed, a preview never confirmed, or one cut
    off by a restart (those are marked failed after 15 minutes). The job rows go too (the
    audit log keeps each import's record). When anything was deleted, one audit row records
    the counts and the retention, nothing about the jobs' content.
    """
    days = retention_days() if days is None else days
    cutoff = timezone.now() - datetime.timedelta(days=days)
    folder = imports_dir()
    files = 0
    with transaction.atomic():
        old = list(ImportJob.objects.filter(updated_at__lt=cutoff).values_list("pk", "upload_path"))
        for _pk, upload_path in old:
            for path in folder.glob(Path(upload_path).stem + "*"):
                path.unlink(missing_ok=True)
                files += 1
        ImportJob.objects.filter(pk__in=[pk for pk, _path in old]).delete()
        kept = {Path(p).stem for p in ImportJob.objects.values_list("upload_path", flat=True)}
        for path in folder.iterdir():
            stem = path.name.split(".", 1)[0]
            if path.is_file() and stem not in kept and _older(path, cutoff):
                path.unlink(missing_ok=True)
                files += 1
        if old or files:
            audit_record(
                actor=None,
                actor_name="purge-imports",
                action=PeopleAuditAction.IMPORT_PURGE,
                object_type="import_job",
                changes={"jobs": len(old), "files": files, "days": days},
            )
    return Purged(jobs=len(old), files=files)


def _older(path: Path, cutoff: datetime.datetime) -> bool:
    try:
        mtime = datetime.datetime.fromtimestamp(path.stat().st_mtime, tz=datetime.UTC)
    except FileNotFoundError:
        return False
    return mtime < cutoff
