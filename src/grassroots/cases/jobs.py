"""The cases app's periodic jobs (run by the scheduler, `grassroots.core.scheduler`)."""

from django.utils.translation import gettext_lazy as _

from grassroots.core.scheduler import EVERY_MINUTE, register

register(
    "sweep",
    schedule=EVERY_MINUTE,
    description=_("时限检查：到期提醒、超期标记、逐级提级"),
)

# Nightly, after the backup and before the morning's calls: the dispatch suggestion model
# retrained on the county's closed cases (the previous model kept for rollback).
register(
    "train-suggest",
    schedule="10 4 * * *",
    description=_("重新训练派单建议模型"),
)
