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
# Anchors the chain outside the database: at most five minutes of rows are unanchored.
register(
    "audit-checkpoint",
    schedule="*/5 * * * *",
    description=_("写入审计日志检查点"),
)
# After the nightly check, so a broken chain is reported before anything is pruned.
register(
    "audit-prune",
    schedule="50 3 * * *",
    description=_("清理超过保留期的审计记录"),
)
# Hourly: counters of closed windows are history (a key's next hit restarts its row anyway).
register(
    "throttle-purge",
    schedule="17 * * * *",
    description=_("清理已结束的限流计数"),
)
