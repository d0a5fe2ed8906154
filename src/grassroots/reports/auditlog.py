"""What the reports app's audit rows mean, for people. See core/auditlog.py.

A template change carries the definition before and after; an export and a confirmation name
the generated file by its SHA-256 and its row count (never a cell's content)."""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from grassroots.core.audit import ActionGroup


class ReportAuditAction(StrEnum):
    TEMPLATE_SAVE = "report_template.save"
    LEDGER_EXPORT = "report.ledger_export"
    REQUEST_ISSUE = "report_request.issue"
    ANSWER_CONFIRM = "report_answer.confirm"


A = ReportAuditAction
GROUPS = [
    ActionGroup(
        "reports",
        _("一表通台账报表"),
        {
            A.TEMPLATE_SAVE: _("保存台账模板"),
            A.LEDGER_EXPORT: _("导出台账"),
            A.REQUEST_ISSUE: _("下发报表"),
            A.ANSWER_CONFIRM: _("确认上报报表"),
        },
    ),
]
OBJECTS = {
    "report_template": _("台账模板"),
    "report_request": _("报表"),
    "report_answer": _("报表回复"),
}
FIELDS = {"sha256": _("文件SHA-256"), "rows": _("行数"), "definition": _("模板定义")}
