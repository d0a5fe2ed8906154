"""What the Open311 app's audit rows mean, for people. See core/auditlog.py."""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from grassroots.core.audit import ActionGroup


class Open311AuditAction(StrEnum):
    """The audit action names the Open311 app writes."""

    KEY_ISSUE = "open311.key_issue"
    KEY_REVOKE = "open311.key_revoke"


GROUPS = [
    ActionGroup(
        "open311",
        _("接口接入"),
        {
            Open311AuditAction.KEY_ISSUE: _("发放接口密钥"),
            Open311AuditAction.KEY_REVOKE: _("吊销接口密钥"),
        },
    ),
]
OBJECTS = {"apikey": _("接口密钥")}
