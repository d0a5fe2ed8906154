"""What the training app's audit rows mean, for people. See core/auditlog.py."""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from grassroots.core.audit import ActionGroup


class TrainingAuditAction(StrEnum):
    SESSION_CREATE = "training.session"
    ENROL = "training.enrol"
    UNENROL = "training.unenrol"
    ATTENDANCE = "training.attendance"
    SIGNIN_CODE = "training.signin_code"
    ATTENDANCE_IMPORT = "training.attendance_import"


A = TrainingAuditAction
GROUPS = [
    ActionGroup(
        "training",
        _("干部培训"),
        {
            A.SESSION_CREATE: _("创建培训班次"),
            A.ENROL: _("培训报名"),
            A.UNENROL: _("取消培训报名"),
            A.ATTENDANCE: _("记录培训考勤"),
            A.SIGNIN_CODE: _("开放培训签到码"),
            A.ATTENDANCE_IMPORT: _("导入线上培训考勤"),
        },
    ),
]
OBJECTS = {"training_session": _("培训班次")}
FIELDS = {"status": _("考勤"), "hours": _("学时")}
