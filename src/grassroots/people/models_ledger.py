"""The import job of a ledger (台账导入任务): one uploaded file on its way into the registry.

Written only by `people.ledger.jobs`. The uploaded file, the checked rows (identifiers sealed)
and the error report live under ``MEDIA_ROOT/imports/``; the upload and the checked rows are
deleted when the job ends. Counts and located problems are kept here; problems never quote a
cell (SECURITY.md 16), and the preview holds masked values only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.areas.models import Area


class ImportStatus(models.TextChoices):
    # Uploaded, waiting for a worker.
    QUEUED = "queued", _("排队中")
    # Reading and checking every row.
    VALIDATING = "validating", _("正在校验")
    # Checked; existing residents would change: waiting for the user to confirm the preview.
    PREVIEW = "preview", _("待确认")
    # Writing, in one transaction.
    APPLYING = "applying", _("正在写入")
    # Written (in valid-rows-only mode, possibly with rows left out).
    DONE = "done", _("已完成")
    # Nothing written: the file or its rows were refused, or the job broke off.
    FAILED = "failed", _("未导入")
    # Cut off by a restart while it ran: nothing written, the upload kept for a retry.
    INTERRUPTED = "interrupted", _("已中断")


class ImportMode(models.TextChoices):
    # The whole file or nothing (SECURITY.md 21).
    ALL_OR_NOTHING = "all", _("全部无误才导入")
    # Only valid rows whose whole household is valid; chosen explicitly, recorded in the audit.
    VALID_ONLY = "valid_only", _("只导入无误的户")


RUNNING = (ImportStatus.QUEUED, ImportStatus.VALIDATING, ImportStatus.APPLYING)


class ImportJob(models.Model):
    """One upload of a household/resident ledger, with its progress, counts and outcome."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("导入人"),
    )
    within = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("导入范围"),
    )
    mode = models.CharField(
        _("导入方式"), max_length=12, choices=ImportMode.choices, default=ImportMode.ALL_OR_NOTHING
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    filename = models.CharField(_("文件名"), max_length=200)
    upload_path = models.CharField(max_length=300, editable=False)
    report_path = models.CharField(max_length=300, blank=True, editable=False)
    file_sha256 = models.CharField(_("文件 SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("文件大小"), default=0)
    source = models.CharField(_("来源"), max_length=100, blank=True)
    total = models.PositiveIntegerField(_("总行数"), default=0)
    processed = models.PositiveIntegerField(_("已处理"), default=0)
    created = models.PositiveIntegerField(_("新增"), default=0)
    updated = models.PositiveIntegerField(_("修改"), default=0)
    unchanged = models.PositiveIntegerField(_("未变"), default=0)
    errors = models.PositiveIntegerField(_("有错误的行"), default=0)
    skipped = models.PositiveIntegerField(_("跳过"), default=0)
    households_created = models.PositiveIntegerField(_("新增户"), default=0)
    households_updated = models.PositiveIntegerField(_("修改户"), default=0)
    message = models.TextField(_("说明"), blank=True)
    problems = models.JSONField(_("问题"), default=list, blank=True)
    preview = models.JSONField(_("修改预览"), default=dict, blank=True)
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    started_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("台账导入任务")
        verbose_name_plural = _("台账导入任务")
        ordering = ["-id"]
        indexes = [models.Index(fields=["actor", "-created_at"], name="importjob_actor_recent")]

    def __str__(self) -> str:
        return f"{self.pk}:{self.status}"

    @property
    def running(self) -> bool:
        return self.status in RUNNING

    @property
    def valid_only(self) -> bool:
        return self.mode == ImportMode.VALID_ONLY
