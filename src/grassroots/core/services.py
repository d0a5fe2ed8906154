"""Accounts and sign-in: creating staff accounts, and the login with lockout (SECURITY.md 1–3)."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.core.audit import audit_record
from grassroots.core.auditlog import CoreAuditAction
from grassroots.core.errors import AccountError, LoginThrottled
from grassroots.core.errors import AccountErrorCode as E
from grassroots.core.login_throttle import login_failed, login_forget, login_gate
from grassroots.core.models import LoginThrottle, User
from grassroots.core.perms import require_perm
from grassroots.core.roles import Perm
from grassroots.core.throttle import client_address

__all__ = [
    "AccountError",
    "account_create",
    "account_set_password",
    "login_attempt",
    "unlock_account",
]


def account_create(
    *,
    actor: User | None,
    username: str,
    full_name: str,
    password: str | None = None,
    check_password: bool = True,
) -> User:
    """Create a staff account; without `password` it cannot log in (staff known by their posts).

    Passwords must pass the configured validators unless `check_password` is False, which only
    `loaddemo` uses for the demo accounts.
    """
    if actor is not None:
        require_perm(actor, Perm.MANAGE_POSTS)
    username = username.strip()
    if not username:
        raise AccountError(E.INVALID, _("账号不能为空"), field="username")
    user = User(username=username, full_name=full_name.strip())
    if password is None:
        user.set_unusable_password()
    else:
        if check_password:
            try:
                validate_password(password, user)
            except ValidationError as exc:
                raise AccountError(
                    E.WEAK_PASSWORD, " ".join(exc.messages), field="password"
                ) from None
        user.set_password(password)
        user.password_changed_at = timezone.now()
    with transaction.atomic():
        if User.objects.filter(username=username).exists():
            raise AccountError(
                E.DUPLICATE, _("账号 %(u)s 已存在") % {"u": username}, field="username"
            )
        user.save()
        audit_record(
            actor=actor,
            action=CoreAuditAction.ACCOUNT_CREATE,
            object_type="user",
            object_id=user.pk,
            changes={"after": {"username": username, "can_login": password is not None}},
        )
    return user


def account_set_password(
    *, actor: User | None, user: User, password: str, check_password: bool = True
) -> User:
    """Set `user`'s password (validated unless `check_password` is False, as for the demo)."""
    if actor is not None and actor.pk != user.pk:
        require_perm(actor, Perm.MANAGE_POSTS)
    if check_password:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise AccountError(E.WEAK_PASSWORD, " ".join(exc.messages), field="password") from None
    with transaction.atomic():
        user.set_password(password)
        user.password_changed_at = timezone.now()
        user.save(update_fields=["password", "password_changed_at"])
        audit_record(
            actor=actor,
            action=CoreAuditAction.ACCOUNT_SET_PASSWORD,
            object_type="user",
            object_id=user.pk,
        )
    return user


def _locked_until(username: str) -> datetime.datetime | None:
    row = LoginThrottle.objects.filter(username=username).first()
    if row and row.locked_until and row.locked_until > timezone.now():
        return row.locked_until
    return None


def _count_toward_lockout(username: str) -> None:
    """One more failure of `username`; at `LOCKOUT_FAILURES` the account locks."""
    with transaction.atomic():
        row, _created = LoginThrottle.objects.select_for_update().get_or_create(username=username)
        row.failures += 1
        if row.failures >= settings.LOCKOUT_FAILURES:
            row.locked_until = timezone.now() + datetime.timedelta(minutes=settings.LOCKOUT_MINUTES)
            row.failures = 0
        row.save()


def login_attempt(*, request: Any, username: str, password: str) -> User:
    """Authenticate, honouring the lockout and the address's throttle; every attempt is audited.

    After `LOCKOUT_FAILURES` failures a username is locked for `LOCKOUT_MINUTES`, even for the
    right password; one address counts for at most `LOCKOUT_PER_ADDRESS` of them and is slowed
    down on its own (`core.login_throttle`: LoginThrottled, "try again in N s"). Raises
    AccountError (the same message for an unknown user and a wrong password, so the answer does
    not reveal which accounts exist).
    """
    username = (username or "").strip()[:150]
    address = client_address(request) if request is not None else "unknown"
    if _locked_until(username):
        audit_record(actor=None, actor_name=username, action=CoreAuditAction.LOGIN, result="locked")
        raise AccountError(
            E.LOCKED,
            _("登录失败次数过多，账号已锁定 %(m)d 分钟，请稍后再试或联系安全管理员")
            % {"m": settings.LOCKOUT_MINUTES},
        )
    try:
        login_gate(username=username, address=address)
    except LoginThrottled:
        audit_record(
            actor=None, actor_name=username, action=CoreAuditAction.LOGIN, result="throttled"
        )
        raise
    user = authenticate(request, username=username, password=password)
    if not isinstance(user, User):
        # Recorded in its own committed transaction: the refusal below must not undo it.
        with transaction.atomic():
            if login_failed(username=username, address=address):
                _count_toward_lockout(username)
            audit_record(
                actor=None, actor_name=username, action=CoreAuditAction.LOGIN, result="failed"
            )
        raise AccountError(E.BAD_CREDENTIALS, _("账号或密码错误"))
    with transaction.atomic():
        LoginThrottle.objects.filter(username=username).delete()
        login_forget(username=username, address=address)
        audit_record(actor=user, action=CoreAuditAction.LOGIN, result="ok")
    return user


def unlock_account(
    *, username: str, actor: User | None, via: str = "admin", address: str = ""
) -> bool:
    """Lift the lockout of `username` and audit it; whether it was locked. Does not authorise.

    `via` says how ("admin": the security administrator, whose service checks the right first;
    "totp": the user proved the second factor). With `address`, that address's failures and
    progressive delay at the account are forgotten too.
    """
    user = User.objects.filter(username=username).first()
    with transaction.atomic():
        deleted, _d = LoginThrottle.objects.filter(username=username).delete()
        if address:
            login_forget(username=username, address=address)
        audit_record(
            actor=actor,
            action=CoreAuditAction.ACCOUNT_UNLOCK,
            object_type="user",
            object_id=user.pk if user is not None else username,
            changes={"was_locked": bool(deleted), "via": via},
        )
    return bool(deleted)
