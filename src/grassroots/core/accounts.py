"""An account's own password and sessions: the policy, expiry, changing one's own password,
and the sign-in sessions recorded at login and ended at logout.

Account administration (creating, disabling, resetting others' accounts) is the security
administrator's work over a scope of posts, so it lives beside posts in `areas.accounts`.
Passwords chosen by an administrator are one-time passwords (`one_time_password`): the account
must replace them before doing anything else (`password_change_required`).
"""

from __future__ import annotations

import datetime
import secrets
from importlib import import_module

from django.conf import settings
from django.contrib.auth.password_validation import (
    password_validators_help_texts,
    validate_password,
)
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.core.audit import audit_record
from grassroots.core.auditlog import CoreAuditAction
from grassroots.core.errors import AccountAdminError
from grassroots.core.errors import AccountErrorCode as E
from grassroots.core.models import LoginSession, User

# Letters and digits that cannot be misread for one another when read off a screen.
_LOWER = "abcdefghjkmnpqrstuvwxyz"
_UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ"
_DIGITS = "23456789"


def password_policy() -> list[str]:
    """The configured password rules, in words, for the pages that ask for a new password."""
    texts = [str(t) for t in password_validators_help_texts()]
    days = settings.PASSWORD_MAX_AGE_DAYS
    if days > 0:
        texts.append(_("密码每 %(d)d 天须更换一次。") % {"d": days})
    return texts


def one_time_password() -> str:
    """A fresh random password like ``Kx7m-Pq4t-Wz9b``: 14 characters from all four classes."""
    groups = []
    for _i in range(3):
        chars = [secrets.choice(_UPPER), secrets.choice(_LOWER), secrets.choice(_DIGITS)]
        chars.append(secrets.choice(_LOWER + _DIGITS))
        secrets.SystemRandom().shuffle(chars)
        groups.append("".join(chars))
    return "-".join(groups)


def password_expired(user: User) -> bool:
    """Whether `user`'s password is older than `PASSWORD_MAX_AGE_DAYS` (0: never expires).

    An account whose password date is unknown (created outside the services) is not expired.
    """
    days = settings.PASSWORD_MAX_AGE_DAYS
    changed = user.password_changed_at
    if days <= 0 or changed is None:
        return False
    return timezone.now() - changed > datetime.timedelta(days=days)


def password_days_left(user: User) -> int | None:
    """Whole days until `user`'s password expires (None when it never does or has no date)."""
    days = settings.PASSWORD_MAX_AGE_DAYS
    changed = user.password_changed_at
    if days <= 0 or changed is None:
        return None
    return (changed + datetime.timedelta(days=days) - timezone.now()).days


def password_expiry_warning(user: User) -> int | None:
    """Days left when `user`'s password expires within `PASSWORD_WARN_DAYS` (else None)."""
    left = password_days_left(user)
    if left is None or left < 0 or left >= settings.PASSWORD_WARN_DAYS:
        return None
    return left


def account_security(user: User) -> dict[str, object]:
    """What the home page tells `user` about their own account: password expiry, second factor."""
    from grassroots.core.otp import confirmed_device

    return {
        "password_days_left": password_expiry_warning(user),
        "enrolled": confirmed_device(user) is not None,
    }


def password_change_required(user: User) -> bool:
    """Whether `user` must change their password before doing anything else."""
    return bool(user.must_change_password) or password_expired(user)


def password_change(*, user: User, old_password: str, new_password: str) -> User:
    """`user` replaces their own password; the new one must pass the policy and differ.

    Clears the must-change mark. Other sessions of the user stop being valid (Django ties a
    session to the password hash); the caller keeps the current one (update_session_auth_hash).
    """
    if not user.check_password(old_password):
        audit_record(actor=user, action=CoreAuditAction.ACCOUNT_PASSWORD_CHANGE, result="failed")
        raise AccountAdminError(E.WRONG_PASSWORD, _("当前密码不正确"), field="old_password")
    if old_password == new_password:
        raise AccountAdminError(
            E.SAME_PASSWORD, _("新密码不能与当前密码相同"), field="new_password"
        )
    try:
        validate_password(new_password, user)
    except ValidationError as exc:
        raise AccountAdminError(
            E.WEAK_PASSWORD, " ".join(exc.messages), field="new_password"
        ) from None
    with transaction.atomic():
        user.set_password(new_password)
        user.password_changed_at = timezone.now()
        user.must_change_password = False
        user.save(update_fields=["password", "password_changed_at", "must_change_password"])
        audit_record(
            actor=user,
            action=CoreAuditAction.ACCOUNT_PASSWORD_CHANGE,
            object_type="user",
            object_id=user.pk,
        )
    return user


def live_session_keys(keys: list[str]) -> set[str]:
    """Which of `keys` are sessions that still exist in the session store."""
    engine = import_module(settings.SESSION_ENGINE)
    if settings.SESSION_ENGINE == "django.contrib.sessions.backends.db":
        from django.contrib.sessions.models import Session

        alive = Session.objects.filter(session_key__in=keys, expire_date__gt=timezone.now())
        return set(alive.values_list("session_key", flat=True))
    return {k for k in keys if engine.SessionStore().exists(k)}


def session_opened(*, user: User, key: str, source: str = "") -> LoginSession | None:
    """Record a new signed-in session of `user` (the login page calls this after login)."""
    if not key:
        return None
    # Sessions that ended without a logout (idle timeout, expiry) leave rows behind: drop them.
    rows = dict(LoginSession.objects.filter(user=user).values_list("key", "pk"))
    gone = set(rows) - live_session_keys(list(rows))
    LoginSession.objects.filter(pk__in=[rows[k] for k in gone]).delete()
    row, _c = LoginSession.objects.update_or_create(
        key=key, defaults={"user": user, "started_at": timezone.now(), "source": source[:100]}
    )
    return row


def session_closed(*, key: str | None) -> None:
    """Forget the record of a session that ended (logout)."""
    if key:
        LoginSession.objects.filter(key=key).delete()
