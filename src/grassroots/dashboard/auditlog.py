"""What the dashboard's audit rows mean, for people. See core/auditlog.py."""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from grassroots.core.audit import ActionGroup


class DashboardAuditAction(StrEnum):
    """The audit-chain actions the dashboard app writes."""

    EXPORT = "dashboard.export"


GROUPS = [
    ActionGroup("dashboard", _("领导驾驶舱"), {DashboardAuditAction.EXPORT: _("导出统计表")}),
]
FIELDS = {"table": _("统计表")}
