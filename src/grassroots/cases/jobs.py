"""The cases app's periodic jobs (run by the scheduler, `grassroots.core.scheduler`)."""

from django.utils.translation import gettext_lazy as _

from grassroots.core.scheduler import EVERY_MINUTE, register

register(
    "sweep",
    schedule=EVERY_MINUTE,
    description=_("时限检查：到期提醒、超期标记、逐级提级"),
)
