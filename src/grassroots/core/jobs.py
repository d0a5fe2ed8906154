"""The core app's periodic jobs (run by the scheduler, `grassroots.core.scheduler`)."""

from django.utils.translation import gettext_lazy as _

from grassroots.core.scheduler import register

# Nightly, at a quiet hour (Asia/Shanghai), after the figures' check.
register(
    "audit-verify",
    schedule="40 3 * * *",
    description=_("校验审计日志哈希链"),
)

# Nightly, before the checks: an encrypted archive, the newest GRASSROOTS_BACKUP_KEEP kept.
register(
    "backup",
    schedule="30 2 * * *",
    description=_("备份数据库与附件（加密归档）"),
)
