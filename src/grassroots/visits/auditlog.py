"""What the visits app's audit rows mean, for people. See core/auditlog.py."""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from grassroots.core.audit import ActionGroup


class VisitAuditAction(StrEnum):
    """The audit action names the visits app writes (`core.audit.audit_record(action=...)`)."""

    PAIRING_CREATE = "pairing.create"
    PAIRING_END = "pairing.end"
    PAIRING_BULK = "pairing.bulk"
    PAIRING_REPAIR = "pairing.repair"
    PLAN_RULE_SET = "plan_rule.set"
    PLAN_RULE_REMOVE = "plan_rule.remove"
    VISIT_LOG = "visit.log"
    VISIT_TO_CASE = "visit.to_case"
    VISIT_TO_DISPUTE = "visit.to_dispute"
    VISIT_PHOTO = "visit.photo"
    PROPOSAL_CREATE = "registry_proposal.create"
    PROPOSAL_ACCEPT = "registry_proposal.accept"
    PROPOSAL_REJECT = "registry_proposal.reject"


GROUPS = [
    ActionGroup(
        "visits",
        _("入户走访"),
        {
            VisitAuditAction.PAIRING_CREATE: _("党员结对联户"),
            VisitAuditAction.PAIRING_END: _("结束结对"),
            VisitAuditAction.PAIRING_BULK: _("按网格批量结对"),
            VisitAuditAction.PAIRING_REPAIR: _("党员离开后重新结对"),
            VisitAuditAction.PLAN_RULE_SET: _("设置走访计划规则"),
            VisitAuditAction.PLAN_RULE_REMOVE: _("删除走访计划规则"),
            VisitAuditAction.VISIT_LOG: _("登记入户走访"),
            VisitAuditAction.VISIT_TO_CASE: _("走访发现的需求转为诉求"),
            VisitAuditAction.VISIT_TO_DISPUTE: _("走访发现的问题转为矛盾纠纷"),
            VisitAuditAction.VISIT_PHOTO: _("走访照片"),
            VisitAuditAction.PROPOSAL_CREATE: _("走访时提出登记信息变更"),
            VisitAuditAction.PROPOSAL_ACCEPT: _("采纳登记信息变更"),
            VisitAuditAction.PROPOSAL_REJECT: _("不采纳登记信息变更"),
        },
    ),
]
OBJECTS = {
    "pairing": _("结对"),
    "plan_rule": _("走访计划规则"),
    "visit": _("走访记录"),
    "registry_proposal": _("登记信息变更建议"),
}
FIELDS = {
    "household": _("户"),
    "member": _("结对党员"),
    "staff": _("结对干部"),
    "reason": _("结束原因"),
    "households": _("户数"),
    "cap": _("每人最多联系户数"),
    "tag": _("人群标签"),
    "interval_days": _("走访间隔（天）"),
    "visited_on": _("走访日期"),
    "all_well": _("一切正常"),
    "case": _("诉求"),
    "dispute": _("矛盾纠纷"),
    "photo": _("照片"),
    "sha256": "SHA-256",
    "visit": _("走访记录"),
    "resident": _("居民"),
    "kind": _("变更类型"),
    "state": _("状态"),
}
