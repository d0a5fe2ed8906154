"""The scheduler's two tables: the lease (who acts) and each job's state (what ran, what is due).

They belong to the `core` app (imported by `grassroots.core.models`); migration core 0002.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.core.scheduler.choices import Outcome


class SchedulerLease(models.Model):
    """The right to run periodic jobs against this database, held by one scheduler at a time.

    A scheduler holds the lease while `expires_at` is in the future and `holder` names it; it
    renews the lease on every tick (one atomic UPDATE, `lease.lease_hold`) and writes
    `heartbeat_at`, so anyone can tell from this row alone whether a scheduler is alive.
    """

    name = models.CharField(max_length=40, unique=True)
    holder = models.CharField(_("租约持有者"), max_length=120, blank=True)
    acquired_at = models.DateTimeField(_("取得时间"), null=True, blank=True)
    expires_at = models.DateTimeField(_("租约到期"))
    heartbeat_at = models.DateTimeField(_("最近心跳"), null=True, blank=True)

    class Meta:
        verbose_name = _("调度租约")
        verbose_name_plural = _("调度租约")

    def __str__(self) -> str:
        return f"{self.name}: {self.holder or '-'}"


class JobState(models.Model):
    """One registered job's memory across restarts: its last run and when it is next due.

    `next_run_at` is the only thing that decides whether a job runs: a scheduler starts a job
    by moving it forward in one conditional UPDATE (`state.job_claim`), so a due time is
    consumed at most once, and a job missed while no scheduler ran is due once, not once per
    missed time. `last_error` holds the exception's type and place or the command's own last
    error line, never an exception message from a library (they can quote row values).
    """

    name = models.CharField(_("任务名称"), max_length=80, unique=True)
    schedule = models.CharField(_("运行计划"), max_length=120)
    next_run_at = models.DateTimeField(_("下次运行"))
    last_started_at = models.DateTimeField(_("最近开始"), null=True, blank=True)
    last_finished_at = models.DateTimeField(_("最近结束"), null=True, blank=True)
    last_duration_ms = models.PositiveIntegerField(_("最近耗时（毫秒）"), null=True, blank=True)
    last_outcome = models.CharField(
        _("最近结果"), max_length=20, choices=Outcome.choices, blank=True
    )
    last_error = models.CharField(_("最近错误"), max_length=500, blank=True)
    last_success_at = models.DateTimeField(_("最近成功"), null=True, blank=True)
    consecutive_failures = models.PositiveIntegerField(_("连续失败次数"), default=0)
    run_count = models.PositiveIntegerField(_("运行次数"), default=0)
    failure_count = models.PositiveIntegerField(_("失败次数"), default=0)
    # Set while a run is in progress (and by whom): no second run starts meanwhile.
    running_since = models.DateTimeField(null=True, blank=True)
    running_holder = models.CharField(max_length=120, blank=True)

    class Meta:
        verbose_name = _("定时任务状态")
        verbose_name_plural = _("定时任务状态")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
