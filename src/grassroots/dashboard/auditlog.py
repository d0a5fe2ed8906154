"""What the dashboard's audit rows mean, for people. See core/auditlog.py."""

from django.utils.translation import gettext_lazy as _

from grassroots.core.audit import ActionGroup

GROUPS = [ActionGroup("dashboard", _("领导驾驶舱"), {"dashboard.export": _("导出统计表")})]
FIELDS = {"table": _("统计表")}
