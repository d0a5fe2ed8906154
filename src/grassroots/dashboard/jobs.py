"""The figures' periodic jobs (run by the scheduler, `grassroots.core.scheduler`).

They name the commands, not the code behind them: the figures can move to their own app
while `refresh-figures` and `verify-figures` keep their names.
"""

from django.utils.translation import gettext_lazy as _

from grassroots.core.scheduler import EVERY_MINUTE, register

register(
    "refresh-figures",
    schedule=EVERY_MINUTE,
    description=_("刷新统计数据：重算有变动日期的汇总"),
)
# Nightly, at a quiet hour (Asia/Shanghai).
register(
    "verify-figures",
    schedule="10 3 * * *",
    description=_("核对统计数据：逐行重算汇总并与案件比对"),
)
