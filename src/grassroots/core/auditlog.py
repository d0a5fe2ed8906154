"""What core's audit rows mean, for people (read by `core.audit.audit_catalogue`).

Every app may have an ``auditlog`` module like this one, declaring labels for its own codes:
GROUPS (ActionGroup: the codes of one kind of work and their labels), OBJECTS (object types),
RESULTS, FIELDS (keys of `changes`), VALUES (labels of values, per key); optionally SOURCE (an
`core.audit_log.AuditSource`: the app's own event table read as part of the log) and
ACTOR_POSTS (person ids → [(post label, started_on, ended_on)]). An app that writes a new audit
code adds its label here in its own module; tests/test_audit_log.py checks every code has one.
"""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from grassroots.core.audit import ActionGroup


class CoreAuditAction(StrEnum):
    """The audit actions of sign-in and accounts: services write these, the log labels them."""

    # the second factor (core.otp)
    OTP_ENROL = "otp.enrol"
    OTP_VERIFY = "otp.verify"
    OTP_RECOVERY_USE = "otp.recovery_use"
    OTP_RECOVERY_ISSUE = "otp.recovery_issue"
    OTP_RESET = "otp.reset"
    OTP_UNLOCK = "otp.unlock"

    LOGIN = "login"
    LOGOUT = "logout"
    ACCOUNT_CREATE = "account.create"
    ACCOUNT_SET_PASSWORD = "account.set_password"  # noqa: S105 (an action name)
    ACCOUNT_UNLOCK = "account.unlock"
    ACCOUNT_DISABLE = "account.disable"
    ACCOUNT_ENABLE = "account.enable"
    ACCOUNT_RESET_PASSWORD = "account.reset_password"  # noqa: S105 (an action name)
    ACCOUNT_PASSWORD_CHANGE = "account.password_change"  # noqa: S105 (an action name)
    ACCOUNT_SESSION_END = "account.session_end"
    ACCOUNT_TOKENS_END = "account.tokens_end"
    AUDIT_CHAIN_KEYED = "audit.chain_keyed"  # the chain keyed after an upgrade (core.audit)
    AUDIT_PRUNE = "audit.prune"
    AUDIT_EXPORT = "audit.export"
    TOKEN_ISSUE = "token.issue"  # noqa: S105 (an action name)
    TOKEN_REVOKE = "token.revoke"  # noqa: S105 (an action name)


A = CoreAuditAction
GROUPS = [
    ActionGroup(
        "account",
        _("登录与账号"),
        {
            A.LOGIN: _("登录"),
            A.LOGOUT: _("退出登录"),
            A.ACCOUNT_CREATE: _("创建账号"),
            A.ACCOUNT_SET_PASSWORD: _("设置密码"),
            A.ACCOUNT_UNLOCK: _("解除锁定"),
            A.ACCOUNT_DISABLE: _("停用账号"),
            A.ACCOUNT_ENABLE: _("启用账号"),
            A.ACCOUNT_RESET_PASSWORD: _("重置密码"),
            A.ACCOUNT_PASSWORD_CHANGE: _("修改本人密码"),
            A.ACCOUNT_SESSION_END: _("结束登录会话"),
            A.ACCOUNT_TOKENS_END: _("吊销接口令牌"),
            A.TOKEN_ISSUE: _("签发接口令牌"),
            A.TOKEN_REVOKE: _("吊销单个接口令牌"),
        },
    ),
    ActionGroup(
        "audit",
        _("审计日志"),
        {
            A.AUDIT_CHAIN_KEYED: _("审计链启用密钥"),
            A.AUDIT_PRUNE: _("清理过期审计记录"),
            A.AUDIT_EXPORT: _("导出审计日志"),
        },
    ),
]
OBJECTS = {
    "user": _("账号"),
    "audit_chain": _("审计哈希链"),
    "audit_log": _("审计日志"),
    "apitoken": _("接口令牌"),
}
RESULTS = {
    "ok": _("成功"),
    "failed": _("失败"),
    "locked": _("账号已锁定"),
    "rejected": _("被拒绝"),
    "throttled": _("尝试过于频繁"),
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
    "from_version": _("原链版本"),
    "to_version": _("新链版本"),
    "through_seq": _("截至序号"),
    "cutoff": _("保留期起点"),
    "since": _("起始日期"),
    "until": _("截止日期"),
    "format": _("格式"),
    "prefix": _("令牌前缀"),
    "expires_at": _("过期时间"),
    "reason": _("原因"),
    "user": _("账号"),
    "via": _("方式"),
    "was_locked": _("曾锁定"),
}


# The second factor belongs to signing in: its codes are listed with the account group.
GROUPS[0].actions.update(
    {
        CoreAuditAction.OTP_ENROL: _("绑定两步验证"),
        CoreAuditAction.OTP_VERIFY: _("两步验证"),
        CoreAuditAction.OTP_RECOVERY_USE: _("使用恢复码"),
        CoreAuditAction.OTP_RECOVERY_ISSUE: _("生成恢复码"),
        CoreAuditAction.OTP_RESET: _("重置两步验证"),
        CoreAuditAction.OTP_UNLOCK: _("用动态码解除锁定"),
    }
)
