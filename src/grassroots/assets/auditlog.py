"""What the assets app's audit rows mean, for people. See core/auditlog.py.

Every change of an asset or a problem carries before/after values; an action names its
evidence file by its SHA-256."""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from grassroots.core.audit import ActionGroup


class AssetAuditAction(StrEnum):
    ASSET_RECORD = "asset.record"
    PROBLEM_RECORD = "asset_problem.record"
    PROBLEM_ACT = "asset_problem.act"
    LEDGER_EXPORT = "asset.ledger_export"


A = AssetAuditAction
GROUPS = [
    ActionGroup(
        "assets",
        _("村集体资产清化收"),
        {
            A.ASSET_RECORD: _("登记集体资产"),
            A.PROBLEM_RECORD: _("登记资产问题"),
            A.PROBLEM_ACT: _("记录清理措施"),
            A.LEDGER_EXPORT: _("导出清化收台账"),
        },
    ),
]
OBJECTS = {"collective_asset": _("集体资产"), "asset_problem": _("资产问题")}
FIELDS = {"recovered_mu": _("收回面积（亩）"), "recovered_yuan": _("收回金额（元）")}
