"""What the Open311 app's audit rows mean, for people. See core/auditlog.py."""

from django.utils.translation import gettext_lazy as _

from grassroots.core.audit import ActionGroup

GROUPS = [
    ActionGroup(
        "open311",
        _("接口接入"),
        {"open311.key_issue": _("发放接口密钥"), "open311.key_revoke": _("吊销接口密钥")},
    ),
]
OBJECTS = {"apikey": _("接口密钥")}
