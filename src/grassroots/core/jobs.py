"""The core app's periodic jobs (run by the scheduler, `grassroots.core.scheduler`)."""

from django.utils.translation import gettext_lazy as _

from grassroots.core.scheduler import register

# Nightly, at a quiet hour (Asia/Shanghai), after the figures' check.
register(
    "audit-verify",
    schedule="40 3 * * *",
    description=_("校验审计日志哈希链"),
)

# Hourly: counters of closed windows are history (a key's next hit restarts its row anyway).
register(
    "throttle-purge",
    schedule="17 * * * *",
    description=_("清理已结束的限流计数"),
)
