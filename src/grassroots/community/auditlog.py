"""What the community app's audit rows mean, for people. See core/auditlog.py."""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from grassroots.core.audit import ActionGroup


class CommunityAuditAction(StrEnum):
    """The audit action names the community app writes (`core.audit.audit_record(action=...)`)."""

    STANDARD_SET = "community_standard.set"
    FACILITY_CREATE = "facility.create"
    ENROLMENT_CREATE = "enrolment.create"
    ENROLMENT_END = "enrolment.end"
    FACILITY_STAFF_ADD = "facility_staff.add"
    TEAM_MEMBER_ADD = "team_member.add"
    ACTIVITY_RECORD = "activity.record"
    STATION_CREATE = "liaison_station.create"
    LIAISON_VISIT = "liaison_visit.record"
    LIAISON_ISSUE = "liaison_issue.collect"


GROUPS = [
    ActionGroup(
        "community",
        _("社区建设"),
        {
            CommunityAuditAction.STANDARD_SET: _("修改社区建设规范"),
            CommunityAuditAction.FACILITY_CREATE: _("登记社区设施"),
            CommunityAuditAction.ENROLMENT_CREATE: _("登记入学"),
            CommunityAuditAction.ENROLMENT_END: _("登记离校"),
            CommunityAuditAction.FACILITY_STAFF_ADD: _("登记设施工作人员"),
            CommunityAuditAction.TEAM_MEMBER_ADD: _("登记综合服务队成员"),
            CommunityAuditAction.ACTIVITY_RECORD: _("登记社区活动"),
            CommunityAuditAction.STATION_CREATE: _("登记代表联络站"),
            CommunityAuditAction.LIAISON_VISIT: _("登记县领导进站"),
            CommunityAuditAction.LIAISON_ISSUE: _("收集联络站问题并转为诉求"),
        },
    )
]
