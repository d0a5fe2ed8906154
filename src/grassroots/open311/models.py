"""Open311 API keys: issued, named, revoked and rate-limited by the system admin."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.cases.choices import Channel


class ApiKey(models.Model):
    """A client's key. Only its SHA-256 is stored; its cases are filed as `account`."""

    name = models.CharField(_("名称"), max_length=60, unique=True)
    prefix = models.CharField(_("前缀"), max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("账号")
    )
    channel = models.CharField(
        _("来源渠道"), max_length=12, choices=Channel.choices, default=Channel.API
    )
    per_minute = models.PositiveIntegerField(_("每分钟请求上限"), default=60)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("Open311 密钥")
        verbose_name_plural = _("Open311 密钥")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
