"""Import jobs: store an upload, check it, preview, write — in the background, with progress.

The only code that writes `ImportJob`. A job moves queued → validating → preview | done | failed,
and preview → applying → done | failed (or back to preview when the registry changed after the
preview). The web page and the command drive the same functions; the web page runs them through
django_tasks (`people.ledger.tasks`), so an import survives the page being closed.

Progress: between stages the job row carries status and counts; while rows are read, checked or
written, a small JSON file beside the upload carries the live count (the write runs in one
transaction, whose updates to the job row nobody else could see before it commits).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
import os
import secrets
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import connection
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from grassroots.areas.models import Area
from grassroots.areas.scope import scope_for
from grassroots.core.audit import audit_record, audit_source
from grassroots.core.errors import Conflict, NotFound
from grassroots.core.i18n import in_source_language
from grassroots.core.models import User
from grassroots.core.roles import Perm
from grassroots.people.auditlog import PeopleAuditAction
from grassroots.people.errors import PeopleErrorCode
from grassroots.people.ledger.apply import NEEDS_CONFIRMATION, WRITTEN, Outcome, ledger_import
from grassroots.people.ledger.columns import HOUSEHOLDS
from grassroots.people.ledger.layout import LedgerFile, LedgerFileError
from grassroots.people.ledger.reader import iter_rows, max_import_bytes, open_ledger, size_problem
from grassroots.people.ledger.report import write_report
from grassroots.people.ledger.spool import SpoolWriter
from grassroots.people.ledger.validate import RowChecker
from grassroots.people.models_ledger import ImportJob, ImportMode, ImportStatus

log = logging.getLogger(__name__)

KEEP_PROBLEMS = 200
KEEP_CHANGES = 500
STAGES = {
    "reading": gettext_lazy("正在读取"),
    "checking": gettext_lazy("正在核对"),
    "writing": gettext_lazy("正在写入"),
}

Tick = Callable[[str, int, int], None]


def imports_dir() -> Path:
    """``MEDIA_ROOT/imports``, created (mode 700, as MEDIA_ROOT if missing) if missing."""
    Path(settings.MEDIA_ROOT).mkdir(parents=True, exist_ok=True, mode=0o700)
    path = Path(settings.MEDIA_ROOT) / "imports"
    path.mkdir(exist_ok=True, mode=0o700)
    return path


def _file(job: ImportJob, suffix: str) -> Path:
    return imports_dir() / (Path(job.upload_path).stem + suffix)


def job_create(
    *,
    actor: User | None,
    upload: IO[bytes],
    filename: str,
    mode: str = ImportMode.ALL_OR_NOTHING,
    within: Area | None = None,
    source: str = "",
) -> ImportJob:
    """Store `upload` under ``MEDIA_ROOT/imports/`` and create a queued job.

    Forbidden (403) without IMPORT_PEOPLE, NotFound when `within` is out of scope; an empty or
    oversized file is a LedgerFileError and leaves nothing behind.
    """
    if actor is not None:
        scope_for(actor).require(Perm.IMPORT_PEOPLE)
        if within is not None:
            scope_for(actor).require_area(Perm.IMPORT_PEOPLE, within, "area")
    if mode not in ImportMode.values:
        mode = ImportMode.ALL_OR_NOTHING
    suffix = Path(filename).suffix.lower()
    suffix = suffix if suffix in (".xlsx", ".csv", ".xls", ".xlsm", ".txt") else ".bin"
    path = imports_dir() / f"{secrets.token_hex(16)}{suffix}"
    digest, size, cap = hashlib.sha256(), 0, max_import_bytes()
    with path.open("wb") as out:
        os.chmod(path, 0o600)
        while chunk := upload.read(1 << 20):
            size += len(chunk)
            if size > cap:
                break
            digest.update(chunk)
            out.write(chunk)
    problem = size_problem(size)
    if problem is not None:
        path.unlink(missing_ok=True)
        raise problem
    return ImportJob.objects.create(
        actor=actor,
        within=within,
        mode=mode,
        filename=Path(filename).name[:200],
        upload_path=str(path.relative_to(Path(settings.MEDIA_ROOT))),
        file_sha256=digest.hexdigest(),
        size=size,
        source=source[:100],
    )


def job_start(job: ImportJob) -> None:
    """Queue the check of `job` (and its write, when nothing existing changes)."""
    from grassroots.people.ledger.tasks import validate_import

    validate_import.enqueue(job.pk)


def job_get(*, actor: User, pk: Any) -> ImportJob:
    """One of the actor's own jobs; anyone else's is NotFound, like a missing one."""
    try:
        number = int(pk)
    except (TypeError, ValueError):
        raise NotFound("import_job") from None
    job = ImportJob.objects.select_related("within").filter(pk=number, actor=actor).first()
    if job is None:
        raise NotFound("import_job")
    return job


def job_list(*, actor: User, limit: int = 20) -> list[ImportJob]:
    """The actor's most recent jobs; a running one cut off by a restart shows as interrupted."""
    rows = list(ImportJob.objects.filter(actor=actor).select_related("within")[:limit])
    for job in rows:
        if job.running:
            job_progress(job)
    return rows


def job_confirm(*, actor: User | None, job: ImportJob, digest: str) -> ImportJob:
    """Accept the preview the user saw (`digest`) and queue the write.

    Conflict (409) unless the job waits for confirmation of exactly that preview.
    """
    if actor is not None and job.actor_id != actor.pk:
        raise NotFound("import_job")
    changed = ImportJob.objects.filter(
        pk=job.pk, status=ImportStatus.PREVIEW, preview__digest=digest
    ).update(status=ImportStatus.APPLYING, confirmed_at=timezone.now())
    if not changed:
        raise Conflict(PeopleErrorCode.PREVIEW_CHANGED, _("该预览已失效，请刷新页面后重新核对"))
    job.refresh_from_db()
    return job


def job_cancel(*, actor: User | None, job: ImportJob) -> ImportJob:
    """Drop a job waiting for confirmation; nothing is written. Conflict (409) otherwise."""
    if actor is not None and job.actor_id != actor.pk:
        raise NotFound("import_job")
    if job.status != ImportStatus.PREVIEW:
        raise Conflict(PeopleErrorCode.NOT_CANCELLABLE, _("只能取消待确认的导入"))
    # Stored in the source language; pages translate it (core.i18n.translate_stored).
    _finish(job, ImportStatus.FAILED, message=gettext_noop("已取消，未写入任何数据"))
    return job


def job_enqueue_apply(job: ImportJob) -> None:
    from grassroots.people.ledger.tasks import apply_import

    apply_import.enqueue(job.pk)


def job_validate(job_id: int, *, tick: Tick | None = None) -> ImportJob:
    """Check a queued job's file; write it at once when nothing existing changes.

    Runs once per job (a queued job only); never raises: every outcome ends in the job row.
    """
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.VALIDATING, started_at=timezone.now()
    )
    job = ImportJob.objects.select_related("actor", "within").get(pk=job_id)
    if not claimed:
        return job
    return _guarded(job, lambda: _validate(job, _Progress(job, tick)))


def job_apply(job_id: int, *, tick: Tick | None = None) -> ImportJob:
    """Write a confirmed job (status applying), or show its preview again if the registry moved."""
    # Claimed once per confirmation: a task delivered twice finds started_at past confirmed_at.
    claimed = ImportJob.objects.filter(
        pk=job_id, status=ImportStatus.APPLYING, started_at__lt=F("confirmed_at")
    ).update(started_at=timezone.now())
    job = ImportJob.objects.select_related("actor", "within").get(pk=job_id)
    if not claimed:
        return job
    progress = _Progress(job, tick)
    return _guarded(job, lambda: _run(job, progress, str(job.preview.get("digest", ""))))


def _guarded(job: ImportJob, body: Callable[[], ImportJob]) -> ImportJob:
    try:
        # Messages and problems are stored in the source language, whoever started the job;
        # pages translate them when they show them.
        with audit_source(job.source or "task:import"), in_source_language():
            return body()
    except Exception as exc:
        # The type only: messages of database errors may quote values (SECURITY.md 16).
        log.error("import job %s broke off: %s", job.pk, type(exc).__name__)
        _finish(job, ImportStatus.FAILED, message=_("导入中断，未写入任何数据，请重新上传"))
        return job


def _validate(job: ImportJob, progress: _Progress) -> ImportJob:
    upload = Path(settings.MEDIA_ROOT) / job.upload_path
    ledger: LedgerFile | None = None
    try:
        ledger = open_ledger(upload, filename=job.filename)
        job.total = ledger.row_estimate or 0
        ImportJob.objects.filter(pk=job.pk).update(total=job.total)
        _spool(job, ledger, progress)
        return _run(job, progress, "", ledger)
    except LedgerFileError as exc:
        audit_record(
            actor=job.actor,
            action=PeopleAuditAction.IMPORT,
            object_type="import_job",
            object_id=job.pk,
            result="rejected",
            changes={"sha256": job.file_sha256, "file_error": exc.code},
        )
        job.problems = [p.as_dict() for p in exc.problems[:KEEP_PROBLEMS]]
        _finish(job, ImportStatus.FAILED, message=str(exc.message))
        return job
    finally:
        if ledger is not None:
            ledger.close()


def _spool(job: ImportJob, ledger: LedgerFile, progress: _Progress) -> None:
    checker = RowChecker(actor=job.actor, within=job.within, today=timezone.localdate())
    count = 0
    with SpoolWriter(_file(job, ".spool.jsonl")) as out:
        for raw in iter_rows(ledger):
            out.add(checker.household(raw) if raw.sheet == HOUSEHOLDS else checker.resident(raw))
            count += 1
            if count % 500 == 0:
                progress("reading", count)
    job.total = count
    ImportJob.objects.filter(pk=job.pk).update(total=count, processed=count)


def _run(
    job: ImportJob, progress: _Progress, confirmed: str, ledger: LedgerFile | None = None
) -> ImportJob:
    outcome = ledger_import(
        actor=job.actor,
        spool=_file(job, ".spool.jsonl"),
        within=job.within,
        valid_only=job.valid_only,
        file_sha256=job.file_sha256,
        job_id=job.pk,
        confirmed=confirmed,
        tick=progress,
    )
    _record(job, outcome)
    if outcome.plan.problems and ledger is not None:
        report = _file(job, ".report.xlsx")
        write_report(ledger, outcome.plan.problems, report)
        job.report_path = str(report.relative_to(Path(settings.MEDIA_ROOT)))
    if outcome.status == WRITTEN:
        skipped = _("已导入无误的户；有错误的行及其所在户的其他行已跳过，见下方问题和错误报告")
        _finish(job, ImportStatus.DONE, message=skipped if outcome.plan.problems else "")
    elif outcome.status == NEEDS_CONFIRMATION:
        message = _("预览之后台账已有变化，请重新核对修改后再确认") if outcome.stale else ""
        _finish(job, ImportStatus.PREVIEW, message=message)
    else:
        message = _("文件中有 %(n)d 行有错误，未导入任何数据。请下载错误报告，改正后重新上传。") % {
            "n": outcome.plan.counts.errors
        }
        # The plan's counts are what would have been written; nothing was.
        job.created = job.updated = job.households_created = job.households_updated = 0
        _finish(job, ImportStatus.FAILED, message=message)
    return job


def _record(job: ImportJob, outcome: Outcome) -> None:
    plan, c = outcome.plan, outcome.plan.counts
    job.total, job.processed = c.rows, c.rows
    job.errors, job.skipped, job.unchanged = c.errors, c.skipped, c.unchanged
    job.created, job.updated = c.created, c.updated
    job.households_created, job.households_updated = c.households_created, c.households_updated
    job.problems = [p.as_dict() for p in plan.problem_list()[:KEEP_PROBLEMS]]
    fields: dict[str, int] = {}
    for entry in plan.changes:
        for ch in entry["changes"]:
            fields[ch["label"]] = fields.get(ch["label"], 0) + 1
    job.preview = {
        "digest": plan.digest,
        "changes": plan.changes[:KEEP_CHANGES],
        "total_changes": len(plan.changes),
        "fields": fields,
    }


def _finish(job: ImportJob, status: str, *, message: str) -> None:
    job.status, job.message = status, message
    if status in (ImportStatus.DONE, ImportStatus.FAILED, ImportStatus.INTERRUPTED):
        job.finished_at = timezone.now()
        _file(job, ".spool.jsonl").unlink(missing_ok=True)
        _file(job, ".progress.json").unlink(missing_ok=True)
    if status != ImportStatus.INTERRUPTED:  # kept for a retry
        (Path(settings.MEDIA_ROOT) / job.upload_path).unlink(missing_ok=True)
    job.save()


def _stale_after(job: ImportJob) -> datetime.timedelta:
    """How long a running job may be silent before it counts as cut off: a started one
    PEOPLE_IMPORT_STALE_SECONDS (it records progress twice a second while it works), a queued
    one no less than the task backlog the health check allows."""
    seconds = settings.PEOPLE_IMPORT_STALE_SECONDS
    if job.status == ImportStatus.QUEUED:
        seconds = max(seconds, settings.TASK_BACKLOG_SECONDS)
    return datetime.timedelta(seconds=seconds)


def _interrupted_if_silent(job: ImportJob, beat: datetime.datetime) -> None:
    if job.running and timezone.now() - beat > _stale_after(job):
        # the one transaction that writes rolled back with its process: nothing was written
        message = gettext_noop("导入任务已中断（服务可能重启过），未写入任何数据，可以重试")
        _finish(job, ImportStatus.INTERRUPTED, message=message)


def job_retry(*, actor: User | None, job: ImportJob) -> ImportJob:
    """Run an interrupted job again from its kept upload, as a new job (queued and started);
    the old one keeps its record and points to the new one. Conflict (409) for any other job
    or when its upload is gone."""
    if actor is not None and job.actor_id != actor.pk:
        raise NotFound("import_job")
    upload = Path(settings.MEDIA_ROOT) / job.upload_path if job.upload_path else None
    if job.status != ImportStatus.INTERRUPTED or upload is None or not upload.is_file():
        raise Conflict(
            PeopleErrorCode.NOT_RETRYABLE, _("只能重试已中断且文件仍在的导入，请重新上传")
        )
    fresh = ImportJob.objects.create(
        actor=job.actor,
        within=job.within,
        mode=job.mode,
        filename=job.filename,
        upload_path=job.upload_path,
        file_sha256=job.file_sha256,
        size=job.size,
        source=job.source,
    )
    ImportJob.objects.filter(pk=job.pk).update(
        upload_path="", message=gettext_noop("导入任务已中断，已重试"), updated_at=timezone.now()
    )
    job_start(fresh)
    return fresh


class _Progress:
    """Records live progress at most twice a second, and at once when the stage changes; also
    calls the command's `tick`."""

    def __init__(self, job: ImportJob, tick: Tick | None) -> None:
        self.job, self.tick, self.last, self.stage = job, tick, 0.0, ""
        self.path = _file(job, ".progress.json")

    def __call__(self, stage: str, processed: int) -> None:
        total = self.job.total
        if self.tick is not None:
            self.tick(stage, processed, total)
        now = time.monotonic()
        if now - self.last < 0.5 and stage == self.stage:
            return
        self.last, self.stage = now, stage
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"stage": stage, "processed": processed, "total": total}))
        tmp.replace(self.path)
        if not connection.in_atomic_block:
            ImportJob.objects.filter(pk=self.job.pk).update(processed=processed)


def job_progress(job: ImportJob) -> dict[str, Any]:
    """What the progress bar shows: stage label, processed, total, percent, and whether it runs.

    A running job silent for longer than `_stale_after` is marked interrupted here.
    """
    live: dict[str, Any] = {}
    path = _file(job, ".progress.json")
    beat = job.updated_at
    if job.running and path.exists():
        try:
            live = json.loads(path.read_text())
            beat = max(beat, datetime.datetime.fromtimestamp(path.stat().st_mtime, tz=datetime.UTC))
        except (OSError, ValueError):
            live = {}
    _interrupted_if_silent(job, beat)
    stage = live.get("stage", "")
    total = int(live.get("total") or job.total or 0)
    processed = int(live.get("processed") or job.processed or 0)
    percent = min(100, processed * 100 // total) if total else 0
    label = STAGES.get(stage) or job.get_status_display()
    return {
        "running": job.running,
        "stage": str(label),
        "processed": processed,
        "total": total,
        "percent": percent,
    }
