"""What the scorecard's audit rows mean, for people. See core/auditlog.py."""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from grassroots.core.audit import ActionGroup


class ScorecardAuditAction(StrEnum):
    """The audit-chain actions the scorecard app writes."""

    INDICATOR_SAVE = "scorecard.indicator_save"
    EXPORT = "scorecard.export"


GROUPS = [
    ActionGroup(
        "scorecard",
        _("三化三力指标"),
        {
            ScorecardAuditAction.INDICATOR_SAVE: _("保存指标定义"),
            ScorecardAuditAction.EXPORT: _("导出指标表"),
        },
    ),
]
OBJECTS = {"indicator": _("指标")}
FIELDS = {"span": _("统计周期")}
