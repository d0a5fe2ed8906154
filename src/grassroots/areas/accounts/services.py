"""Account administration: the security administrator's work over the accounts in their scope.

Every function here checks the actor, writes in one transaction and records an audit row that
names the account but never a password or personal data. An administrator never acts on their
own account (三员分立, SECURITY.md 6): they change their own password like everyone else.

Passwords chosen by an administrator (at creation or reset) are one-time passwords
(`core.accounts.one_time_password`): returned once to be shown to the administrator, never
stored in clear or audited, and the account must replace them before doing anything else.
"""

from __future__ import annotations

from importlib import import_module

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.areas.accounts.selectors import account_get, accounts_visible
from grassroots.areas.scope import scope_for
from grassroots.core.accounts import one_time_password
from grassroots.core.audit import audit_record
from grassroots.core.auditlog import CoreAuditAction
from grassroots.core.errors import AccountAdminError, NotFound, OwnAccountError
from grassroots.core.errors import AccountErrorCode as E
from grassroots.core.models import ApiToken, LoginSession, LoginThrottle, User
from grassroots.core.roles import Perm
from grassroots.core.services import unlock_account
from grassroots.core.tokens import token_revoke, tokens_revoke_all


def _guard(actor: User | None, account: User) -> None:
    """The actor administers `account`: holds the right, sees the account, is not its owner.

    Out of scope raises NotFound (404); no right raises Forbidden (403).
    """
    if actor is None:
        return
    account_get(actor=actor, pk=account.pk)
    if actor.pk == account.pk:
        raise OwnAccountError(
            E.OWN_ACCOUNT, _("不能管理自己的账号；修改自己的密码请用“修改密码”"), field="account"
        )


def _audit(actor: User | None, action: str, account: User, **changes: object) -> None:
    audit_record(
        actor=actor,
        action=action,
        object_type="user",
        object_id=account.pk,
        changes=dict(changes),
    )


def _end_sessions_and_tokens(actor: User | None, account: User, reason: str) -> int:
    """End every browser session and API token of `account`; how many were ended."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    keys = list(LoginSession.objects.filter(user=account).values_list("key", flat=True))
    for key in keys:
        store(session_key=key).delete()
    LoginSession.objects.filter(user=account).delete()
    tokens = tokens_revoke_all(actor=actor, account=account, reason=reason)
    return len(keys) + tokens


def account_open(*, actor: User | None, username: str, full_name: str) -> tuple[User, str]:
    """Create an account that signs in with a one-time password; return it and the password.

    The account holds no post yet (it can do nothing until one is assigned) and must change the
    password at its first sign-in. The username is unique; the name is required.
    """
    if actor is not None:
        scope_for(actor).require(Perm.MANAGE_POSTS)
    username, full_name = username.strip(), full_name.strip()
    if not username or len(username) > 150:
        raise AccountAdminError(E.INVALID, _("账号不能为空"), field="username")
    if not all(c.isalnum() or c in "@.+-_" for c in username):
        raise AccountAdminError(
            E.INVALID, _("账号只能由字母、数字和 @ . + - _ 组成"), field="username"
        )
    if not full_name or len(full_name) > 60:
        raise AccountAdminError(E.INVALID, _("姓名不能为空（最多 60 字）"), field="full_name")
    password = one_time_password()
    user = User(username=username, full_name=full_name, must_change_password=True)
    user.set_password(password)
    user.password_changed_at = timezone.now()
    with transaction.atomic():
        if User.objects.filter(username__iexact=username).exists():
            raise AccountAdminError(
                E.DUPLICATE, _("账号 %(u)s 已存在") % {"u": username}, field="username"
            )
        user.save()
        LoginThrottle.objects.filter(username=username).delete()
        _audit(
            actor,
            CoreAuditAction.ACCOUNT_CREATE,
            user,
            after={"username": username, "can_login": True},
        )
    return user, password


def account_disable(*, actor: User | None, account: User) -> User:
    """Disable `account`: it cannot sign in, and its sessions and API tokens end now."""
    _guard(actor, account)
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=account.pk)
        if not locked.is_active:
            raise AccountAdminError(E.WRONG_STATE, _("该账号已停用"), field="account")
        locked.is_active = False
        locked.save(update_fields=["is_active"])
        ended = _end_sessions_and_tokens(actor, locked, "disable")
        _audit(actor, CoreAuditAction.ACCOUNT_DISABLE, locked, ended_sessions_and_tokens=ended)
    return locked


def account_enable(*, actor: User | None, account: User) -> User:
    """Enable a disabled account again (its password and posts are as they were)."""
    _guard(actor, account)
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=account.pk)
        if locked.is_active:
            raise AccountAdminError(E.WRONG_STATE, _("该账号未停用"), field="account")
        locked.is_active = True
        locked.save(update_fields=["is_active"])
        _audit(actor, CoreAuditAction.ACCOUNT_ENABLE, locked)
    return locked


def account_unlock(*, actor: User | None, username: str) -> None:
    """Lift the login lockout of `username` (the failures counted so far are forgotten too).

    With an actor, the account must exist in their scope and not be their own.
    """
    if actor is not None:
        account = User.objects.filter(username=username).first()
        if account is None:
            accounts_visible(actor=actor)  # 403 without the right, before saying "not found"
            raise NotFound("account")
        _guard(actor, account)
    unlock_account(username=username, actor=actor, via="admin")


def account_reset_password(*, actor: User | None, account: User) -> str:
    """Give `account` a new one-time password and return it (to be shown once).

    The lockout is lifted, every session and API token of the account ends, and the account must
    change the password at its next sign-in. A disabled account stays disabled.
    """
    _guard(actor, account)
    password = one_time_password()
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=account.pk)
        locked.set_password(password)
        locked.password_changed_at = timezone.now()
        locked.must_change_password = True
        locked.save(update_fields=["password", "password_changed_at", "must_change_password"])
        LoginThrottle.objects.filter(username=locked.username).delete()
        ended = _end_sessions_and_tokens(actor, locked, "reset_password")
        _audit(
            actor, CoreAuditAction.ACCOUNT_RESET_PASSWORD, locked, ended_sessions_and_tokens=ended
        )
    return password


def session_end(*, actor: User | None, account: User, session_id: int) -> None:
    """End one browser session of `account` now (NotFound when it has no such session)."""
    _guard(actor, account)
    row = LoginSession.objects.filter(user=account, pk=session_id).first()
    if row is None:
        raise NotFound("session")
    with transaction.atomic():
        import_module(settings.SESSION_ENGINE).SessionStore(session_key=row.key).delete()
        row.delete()
        _audit(actor, CoreAuditAction.ACCOUNT_SESSION_END, account, session=session_id)


def tokens_end(*, actor: User | None, account: User) -> int:
    """Revoke every API token of `account`; how many still answered."""
    _guard(actor, account)
    with transaction.atomic():
        count = tokens_revoke_all(actor=actor, account=account, reason="admin")
        _audit(actor, CoreAuditAction.ACCOUNT_TOKENS_END, account, tokens=count)
    return count


def token_end(*, actor: User | None, account: User, token_id: int) -> None:
    """Revoke one API token of `account` (NotFound when it has no such token)."""
    _guard(actor, account)
    token = ApiToken.objects.filter(user=account, pk=token_id).first()
    if token is None:
        raise NotFound("token")
    token_revoke(actor=actor, token=token, reason="admin")
