"""The relocation app's periodic jobs (run by the scheduler, `grassroots.core.scheduler`)."""

from django.utils.translation import gettext_lazy as _

from grassroots.core.scheduler import register

# Nightly (Asia/Shanghai): re-generate the items (birthdays, new members, moves, deaths), follow
# the linked cases, escalate what is stuck; then the omission check counts what is still missing.
register(
    "relocation-sweep",
    schedule="10 2 * * *",
    description=_("易地搬迁权益事项：按规则重算、跟随转办诉求、逾期提级"),
)
register(
    "check-entitlements",
    schedule="40 2 * * *",
    description=_("易地搬迁权益漏项检查"),
)
