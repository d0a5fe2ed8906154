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

    `seq` numbers the rows 1, 2, 3 … without gaps. `hash` is, for `version` 2, an HMAC (under the
    audit key, never in the database) over the version, `seq`, the previous row's hash and this
    row's content; rows written before the chain was keyed are `version` 1 (plain SHA-256) and
    end at an ``audit.chain_keyed`` row. Editing, deleting or recomputing any row breaks the
    chain or a checkpoint outside the database; `grassroots audit-verify` finds the first break.
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
    seq = models.PositiveBigIntegerField(_("序号"), unique=True)
    version = models.PositiveSmallIntegerField(_("链版本"))
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
    """The single row locked while appending to the audit chain: it serialises the appends.

    `seq` and `last_hash` are the last row's; `version` the chain version new rows get.
    `anchor_seq`/`anchor_hash` are where the kept chain starts: 0 and the genesis hash until
    retention prunes old rows, then the checkpoint the prune kept (also in the checkpoint file).
    """

    last_hash = models.CharField(max_length=64, default="0" * 64)
    seq = models.PositiveBigIntegerField(default=0)
    version = models.PositiveSmallIntegerField(default=2)
    anchor_seq = models.PositiveBigIntegerField(default=0)
    anchor_hash = models.CharField(max_length=64, default="0" * 64)

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


class ThrottleCounter(models.Model):
    """One rate-limit counter of `core.throttle` when the database is its store.

    `bucket` is the SHA-256 of the counted key (an address or username is never stored);
    `hits` counts the hits of the window that closes at `expires_at` (epoch seconds). Rows
    whose window closed are only history: the next hit restarts them, `throttle-purge` drops them.
    """

    bucket = models.CharField(max_length=64, primary_key=True)
    hits = models.PositiveIntegerField(default=0)
    expires_at = models.FloatField(db_index=True)

    def __str__(self) -> str:
        return f"{self.bucket[:8]} {self.hits}"


class ApiToken(models.Model):
    """An API token of a user: only the SHA-256 of its key is stored, with its first characters.

    A token answers until `expires_at` (`API_TOKEN_HOURS` after issue) unless `revoked_at` is
    set (by its owner's `DELETE /api/v1/auth/token/`, by the logout of the browser session it was
    issued in, `session_key`, or by the security administrator). Written only by `core.tokens`.
    """

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("账号")
    )
    prefix = models.CharField(_("前缀"), max_length=8)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("签发时间"))
    expires_at = models.DateTimeField(_("过期时间"))
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    # The browser session signed in when the token was asked for: its logout revokes the token.
    session_key = models.CharField(max_length=40, blank=True, db_index=True)
    source = models.CharField(_("来源"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}…"


# The scheduler's tables live in their own module of the scheduler package (docs/operations.md).
# The second factor's recovery codes and the password history (core.otp, core.passwords).
from grassroots.core.models_security import PasswordHistory, RecoveryCode  # noqa: E402, F401
from grassroots.core.scheduler.models import JobState, SchedulerLease  # noqa: E402, F401
