"""What the people app's audit rows mean, for people. See core/auditlog.py."""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from grassroots.core.audit import ActionGroup
from grassroots.people.choices import RevealField
from grassroots.people.models_ledger import ImportMode


class PeopleAuditAction(StrEnum):
    """The audit action names the people app writes (`core.audit.audit_record(action=...)`)."""

    RESIDENT_REGISTER = "resident.register"
    RESIDENT_UPDATE = "resident.update"
    RESIDENT_MOVE = "resident.move"
    RESIDENT_TAGS = "resident.tags"
    RESIDENT_REVEAL = "resident.reveal"
    RESIDENT_SEARCH = "resident.search"
    TRANSFER_REQUEST = "transfer.request"
    TRANSFER_ACCEPT = "transfer.accept"
    TRANSFER_DECLINE = "transfer.decline"
    DWELLING_CREATE = "dwelling.create"
    HOUSEHOLD_CREATE = "household.create"
    HOUSEHOLD_UPDATE = "household.update"
    TAG_DEFINE = "tag.define"
    IMPORT = "people.import"
    IMPORT_REPORT = "people.import_report"
    IMPORT_PURGE = "people.import_purge"
    EXPORT = "people.export"


GROUPS = [
    ActionGroup(
        "people",
        _("人口与房屋"),
        {
            PeopleAuditAction.RESIDENT_REGISTER: _("登记居民"),
            PeopleAuditAction.RESIDENT_UPDATE: _("修改居民信息"),
            PeopleAuditAction.RESIDENT_MOVE: _("居民迁移"),
            PeopleAuditAction.RESIDENT_TAGS: _("标记人群标签"),
            PeopleAuditAction.RESIDENT_REVEAL: _("查看完整证件号或电话"),
            PeopleAuditAction.RESIDENT_SEARCH: _("按证件号或电话精确查询"),
            PeopleAuditAction.TRANSFER_REQUEST: _("提交转入申请"),
            PeopleAuditAction.TRANSFER_ACCEPT: _("同意转入申请"),
            PeopleAuditAction.TRANSFER_DECLINE: _("不同意转入申请"),
            PeopleAuditAction.DWELLING_CREATE: _("登记房屋"),
            PeopleAuditAction.HOUSEHOLD_CREATE: _("登记户"),
            PeopleAuditAction.HOUSEHOLD_UPDATE: _("修改户信息"),
            PeopleAuditAction.TAG_DEFINE: _("定义人群标签"),
            PeopleAuditAction.IMPORT: _("导入人口台账"),
            PeopleAuditAction.IMPORT_REPORT: _("下载导入错误报告"),
            PeopleAuditAction.IMPORT_PURGE: _("清理过期的导入任务和文件"),
            PeopleAuditAction.EXPORT: _("导出人口台账"),
        },
    ),
]
OBJECTS = {
    "resident": _("居民"),
    "household": _("户"),
    "dwelling": _("房屋"),
    "tag": _("人群标签"),
    "import_job": _("台账导入任务"),
    "transfer_request": _("转入申请"),
}
FIELDS = {
    "field": _("查看的项目"),
    "term": _("查询值（密钥散列）"),
    "limit": _("每小时上限"),
    "purpose": _("查看用途"),
    "mode": _("导入方式"),
    "within": _("导入范围"),
    "error_rows": _("有错误的行"),
    "skipped_rows": _("跳过的行"),
    "created": _("新增居民"),
    "updated": _("修改居民"),
    "unchanged": _("未变"),
    "households_created": _("新增户"),
    "households_updated": _("修改户"),
    "file_error": _("文件问题"),
    "id_number": _("身份证号"),
    "phone": _("联系电话"),
    "household": _("户"),
    "relation": _("与户主关系"),
    "resident": _("居民"),
    "source": _("来源"),
    "status": _("状态"),
    "tags": _("人群标签"),
    "jobs": _("删除的导入任务"),
    "files": _("删除的文件"),
    "days": _("保留天数"),
}
VALUES = {
    "field": dict(RevealField.choices),
    "mode": {"all_or_nothing": ImportMode.ALL_OR_NOTHING.label, **dict(ImportMode.choices)},
}
