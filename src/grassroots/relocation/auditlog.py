"""What the relocation app's audit rows mean, for people. See core/auditlog.py.

Every change of an entitlement item writes one `ItemEvent` (its timeline) and one audit row
(the tamper-evident chain); registering a household, defining a catalogue entry and each run of
the omission check write an audit row too. No personal data enters `changes`.
"""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from grassroots.core.audit import ActionGroup


class RelocationAuditAction(StrEnum):
    """The audit actions the relocation app writes (`core.audit.audit_record(action=...)`)."""

    REGISTER = "relocation.register"
    ENTITLEMENT_DEFINE = "entitlement.define"
    GENERATE = "entitlement_item.generate"
    ITEM_CHANGE = "entitlement_item.change"
    ESCALATE = "entitlement_item.escalate"
    OMISSION_CHECK = "relocation.omission_check"


A = RelocationAuditAction
GROUPS = [
    ActionGroup(
        "relocation",
        _("易地搬迁后续帮扶"),
        {
            A.REGISTER: _("登记易地搬迁户"),
            A.ENTITLEMENT_DEFINE: _("配置权益事项"),
            A.GENERATE: _("生成权益落实事项"),
            A.ITEM_CHANGE: _("办理权益落实事项"),
            A.ESCALATE: _("权益事项提级"),
            A.OMISSION_CHECK: _("漏项检查"),
        },
    ),
]
OBJECTS = {
    "relocated_household": _("易地搬迁户"),
    "entitlement": _("权益事项"),
    "entitlement_item": _("权益落实事项"),
    "omission_run": _("漏项检查"),
}
FIELDS = {
    "action": _("操作"),
    "created": _("新生成"),
    "lapsed": _("不再适用"),
    "found": _("发现"),
    "opened": _("新增"),
    "closed": _("已消除"),
    "rule": _("适用规则"),
}
