"""What the cadres app's audit rows mean, for people. See core/auditlog.py.

Registry writes (cadres, terms) carry before/after values; appraisal and pay writes name the
appraisal or sheet and what changed. Ballots are anonymous: a ballot's audit row names the
appraisal and the rater group, never the code.
"""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from grassroots.core.audit import ActionGroup


class CadreAuditAction(StrEnum):
    """The audit actions the cadres app writes (`core.audit.audit_record(action=...)`)."""

    CADRE_REGISTER = "cadre.register"
    CADRE_TERM = "cadre.term"
    CADRE_REVEAL = "cadre.reveal"
    CADRE_ACCOUNT = "cadre.account"
    SCHEME_SET = "cadre_scheme.set"
    PAY_RULE_SET = "cadre_pay_rule.set"
    APPRAISAL_INPUT = "appraisal.input"
    APPRAISAL_ACT = "appraisal.act"
    APPRAISAL_CORRECT = "appraisal.correct"
    CODES_ISSUE = "appraisal.codes"
    BALLOT_CAST = "appraisal.ballot"
    BALLOT_IMPORT = "appraisal.ballot_import"
    SHEET_DRAW = "pay_sheet.draw"
    SHEET_LINE = "pay_sheet.line"
    SHEET_CONFIRM = "pay_sheet.confirm"
    SHEET_EXPORT = "pay_sheet.export"


A = CadreAuditAction
GROUPS = [
    ActionGroup(
        "cadres",
        _("村干部管理"),
        {
            A.CADRE_REGISTER: _("登记村（社区）干部"),
            A.CADRE_TERM: _("记录干部任职"),
            A.CADRE_REVEAL: _("查看干部完整电话"),
            A.CADRE_ACCOUNT: _("关联干部本人账号"),
            A.SCHEME_SET: _("设置年度考核方案"),
            A.PAY_RULE_SET: _("设置年度报酬规则"),
            A.APPRAISAL_INPUT: _("录入考核数据"),
            A.APPRAISAL_ACT: _("考核状态变更"),
            A.APPRAISAL_CORRECT: _("更正已确认考核"),
            A.CODES_ISSUE: _("发放评议码"),
            A.BALLOT_CAST: _("评议投票"),
            A.BALLOT_IMPORT: _("导入纸质评议票"),
            A.SHEET_DRAW: _("生成报酬表"),
            A.SHEET_LINE: _("报酬表增加明细"),
            A.SHEET_CONFIRM: _("确认报酬表"),
            A.SHEET_EXPORT: _("导出报酬表"),
        },
    ),
]
OBJECTS = {
    "cadre": _("村（社区）干部"),
    "cadre_scheme": _("考核方案"),
    "cadre_pay_rule": _("报酬规则"),
    "appraisal": _("干部考核"),
    "pay_sheet": _("报酬表"),
}
FIELDS = {
    "state": _("状态"),
    "total": _("得分"),
    "stars": _("星级"),
    "grade": _("等次"),
    "amount": _("金额"),
}
