"""Tables of the second factor and the password history (SECURITY.md 2 and 4).

The TOTP devices themselves are django-otp's (`otp_totp.TOTPDevice`); what it lacks is here:
recovery codes stored only as keyed hashes, and the hashes of an account's recent passwords.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RecoveryCode(models.Model):
    """One single-use recovery code of an account, kept only as a keyed hash (`core.otp`).

    Issued in a batch at enrolment (or when the user asks for new ones, which replaces the batch);
    shown once; `used_at` is set when it is spent and a used code never verifies again.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="recovery_codes",
        verbose_name=_("账号"),
    )
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("生成时间"))
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("恢复码")
        verbose_name_plural = _("恢复码")

    def __str__(self) -> str:
        return f"{self.user_id} {'used' if self.used_at else 'unused'}"


class PasswordHistory(models.Model):
    """The hash of a password an account held, so it cannot be chosen again (`core.passwords`).

    Written whenever a password is saved (Django calls the validators' `password_changed`); only
    the newest `PASSWORD_HISTORY` rows per account are kept.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="password_history",
        verbose_name=_("账号"),
    )
    password = models.CharField(_("密码哈希"), max_length=128)
    set_at = models.DateTimeField(_("设置时间"))

    class Meta:
        verbose_name = _("历史密码")
        verbose_name_plural = _("历史密码")
        ordering = ["-set_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.set_at:%Y-%m-%d}"
