"""What the disputes app's audit rows mean, for people. See core/auditlog.py.

Every change of a dispute writes one `DisputeEvent` (its timeline) and one audit row (the
tamper-evident chain): who, what, which dispute, the states and levels it moved between. The
parties' personal data never enters `changes`.
"""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from grassroots.core.audit import ActionGroup


class DisputeAuditAction(StrEnum):
    """The audit actions the disputes app writes (`core.audit.audit_record(action=...)`)."""

    SCREEN = "dispute.screen"
    MEDIATE = "dispute.mediate"
    SETTLE = "dispute.settle"
    ESCALATE = "dispute.escalate"
    REFER = "dispute.refer"
    CLOSE = "dispute.close"
    FOLLOW_UP = "dispute.follow_up"
    RULE_DEFINE = "dispute_rule.define"


A = DisputeAuditAction
GROUPS = [
    ActionGroup(
        "disputes",
        _("矛盾纠纷排查化解"),
        {
            A.SCREEN: _("排查登记矛盾纠纷"),
            A.MEDIATE: _("记录调解"),
            A.SETTLE: _("调解成功（化解）"),
            A.ESCALATE: _("矛盾纠纷提级调解"),
            A.REFER: _("矛盾纠纷转诉求办理"),
            A.CLOSE: _("终结矛盾纠纷"),
            A.FOLLOW_UP: _("化解后回访"),
            A.RULE_DEFINE: _("配置纠纷风险规则"),
        },
    ),
]
OBJECTS = {"dispute": _("矛盾纠纷"), "dispute_rule": _("纠纷风险规则")}
FIELDS = {
    "state": _("状态"),
    "level": _("调解层级"),
    "case": _("转办诉求"),
    "mediation": _("调解记录"),
    "follow_up": _("回访"),
    "sha256": _("协议扫描件摘要"),
}
