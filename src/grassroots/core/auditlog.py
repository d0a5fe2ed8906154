"""What core's audit rows mean, for people (read by `core.audit.audit_catalogue`).

Every app may have an ``auditlog`` module like this one, declaring labels for its own codes:
GROUPS (ActionGroup: the codes of one kind of work and their labels), OBJECTS (object types),
RESULTS, FIELDS (keys of `changes`), VALUES (labels of values, per key); optionally SOURCE (an
`core.audit_log.AuditSource`: the app's own event table read as part of the log) and
ACTOR_POSTS (person ids → [(post label, started_on, ended_on)]). An app that writes a new audit
code adds its label here in its own module; tests/test_audit_log.py checks every code has one.
"""

from django.utils.translation import gettext_lazy as _

from grassroots.core.audit import ActionGroup

GROUPS = [
    ActionGroup(
        "account",
        _("登录与账号"),
        {
            "login": _("登录"),
            "logout": _("退出登录"),
            "account.create": _("创建账号"),
            "account.set_password": _("设置密码"),
            "account.unlock": _("解除锁定"),
            "account.disable": _("停用账号"),
            "account.enable": _("启用账号"),
            "account.reset_password": _("重置密码"),
            "account.password_change": _("修改本人密码"),
            "account.session_end": _("结束登录会话"),
            "account.tokens_end": _("吊销接口令牌"),
        },
    ),
]
OBJECTS = {"user": _("账号")}
RESULTS = {
    "ok": _("成功"),
    "failed": _("失败"),
    "locked": _("账号已锁定"),
    "rejected": _("被拒绝"),
}
FIELDS = {
    "before": _("修改前"),
    "after": _("修改后"),
    "sha256": _("文件哈希（SHA-256）"),
    "rows": _("行数"),
    "masked": _("已脱敏"),
    "filters": _("筛选条件"),
    "name": _("名称"),
    "code": _("代码"),
}
