"""Accounts, the audit log and login throttling: the pieces every app relies on."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A staff member. Residents are not users; staff without a login have an unusable password."""

    full_name = models.CharField(_("姓名"), max_length=60, blank=True)
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)
    # Set when an administrator chose the password (initial or reset): the user must replace it
    # before doing anything else (PasswordChangeRequiredMiddleware, the API's permission).
    must_change_password = models.BooleanField(_("须修改密码"), default=False)

    class Meta:
        verbose_name = _("账号")
        verbose_name_plural = _("账号")

    def __str__(self) -> str:
        return self.full_name or self.username


class AuditEvent(models.Model):
    """One append-only, hash-chained audit row (SECURITY.md 17–18).

    `hash` = SHA-256 over the previous row's hash and this row's content, so editing or deleting
    any row breaks the chain from there on; `grassroots audit-verify` finds the first break.
    Rows are written only by `core.audit.audit_record`.
    """

    at = models.DateTimeField(_("时间"), db_index=True)
    actor = models.ForeignKey(
        User,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    actor_name = models.CharField(_("操作人账号"), max_length=150, blank=True)
    action = models.CharField(_("操作"), max_length=60, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=60, blank=True)
    object_id = models.CharField(_("对象"), max_length=64, blank=True)
    result = models.CharField(_("结果"), max_length=20, default="ok")
    source = models.CharField(_("来源"), max_length=100, blank=True)
    changes = models.JSONField(_("变更"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        ordering = ["id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_name} {self.action}"


class AuditHead(models.Model):
    """The single row locked while appending to the audit chain: it serialises the appends."""

    last_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return self.last_hash


class LoginThrottle(models.Model):
    """Failed logins per username, for the lockout of SECURITY.md 3."""

    username = models.CharField(max_length=150, unique=True)
    failures = models.PositiveIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.username


class LoginSession(models.Model):
    """One signed-in browser session of a user, so that it can be listed and ended.

    Written by `core.accounts.session_opened` at login and removed at logout or when an
    administrator ends it; the session itself lives in Django's session store under `key`.
    """

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="login_sessions", verbose_name=_("账号")
    )
    key = models.CharField(max_length=40, unique=True)
    started_at = models.DateTimeField(_("登录时间"))
    source = models.CharField(_("来源"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("登录会话")
        verbose_name_plural = _("登录会话")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.started_at:%Y-%m-%d %H:%M}"


# The scheduler's tables live in their own module of the scheduler package (docs/operations.md).
# The second factor's recovery codes and the password history (core.otp, core.passwords).
from grassroots.core.models_security import PasswordHistory, RecoveryCode  # noqa: E402, F401
from grassroots.core.scheduler.models import JobState, SchedulerLease  # noqa: E402, F401
