"""Reads for account administration, restricted to the acting security administrator's scope.

An account is in an administrator's scope when it holds (or held) a post over an area in the
administrator's subtrees, or in a unit of theirs or serving such an area. Accounts that never held
a post (just created: they can do nothing yet) are in every account administrator's scope, so that
a township's administrator can give the account they just created its first post. Anything else
is "not found", exactly like a missing account (SECURITY.md 7).

It lives beside posts (and the scope built on them) in `areas`.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.areas.models import Post
from grassroots.areas.scope import get_in_scope, scope_for
from grassroots.core.accounts import live_session_keys, password_change_required
from grassroots.core.errors import invalid_filter
from grassroots.core.models import ApiToken, LoginSession, LoginThrottle, User
from grassroots.core.params import positive_id
from grassroots.core.roles import Perm


class AccountState:
    """The states an account is listed in (one each, the most pressing first)."""

    # Disabled by an administrator: cannot sign in.
    DISABLED = "disabled"
    # Locked after repeated failed logins, until the lock expires or is lifted.
    LOCKED = "locked"
    # Signs in, but must change the password (set by an administrator, or expired) first.
    MUST_CHANGE = "must_change"
    # Has no usable password (staff known only by their posts, API client accounts).
    NO_LOGIN = "no_login"
    # Signs in and works normally.
    ACTIVE = "active"

    LABELS = {
        DISABLED: _("已停用"),
        LOCKED: _("已锁定"),
        MUST_CHANGE: _("须修改密码"),
        NO_LOGIN: _("不可登录"),
        ACTIVE: _("正常"),
    }


def _locked_q(now: Any) -> Exists:
    return Exists(LoginThrottle.objects.filter(username=OuterRef("username"), locked_until__gt=now))


def accounts_visible(*, actor: User) -> QuerySet[User]:
    """Accounts the actor administers (403 without MANAGE_POSTS), each annotated `is_locked`."""

    scope = scope_for(actor)
    scope.require(Perm.MANAGE_POSTS)
    perm = Perm.MANAGE_POSTS
    in_scope = Post.objects.filter(
        scope.area_q(perm, "area__") | scope.area_q(perm, "unit__area__") | scope.unit_q(perm)
    )
    q = Q(Exists(in_scope.filter(person=OuterRef("pk")))) | ~Q(
        Exists(Post.objects.filter(person=OuterRef("pk")))
    )
    return User.objects.filter(q).annotate(is_locked=_locked_q(timezone.now()))


def account_state(user: User) -> str:
    """The state of `user` (needs the `is_locked` annotation of `accounts_visible`)."""
    if not user.is_active:
        return AccountState.DISABLED
    if getattr(user, "is_locked", False):
        return AccountState.LOCKED
    if not user.has_usable_password():
        return AccountState.NO_LOGIN
    if password_change_required(user):
        return AccountState.MUST_CHANGE
    return AccountState.ACTIVE


STATE_FILTERS = ("active", "disabled", "locked", "must_change")


def account_list(*, actor: User, q: str = "", state: str = "") -> QuerySet[User]:
    """Accounts in scope by name or username (`q`) and state, with their current posts loaded.

    Three queries whatever the page size: count, rows, posts.
    """

    qs = accounts_visible(actor=actor)
    q = q.strip()[:60]
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(full_name__icontains=q))
    if state:
        if state not in STATE_FILTERS:
            raise invalid_filter("state", state)
        locked = _locked_q(timezone.now())
        expired = Q(password_changed_at__lt=expiry_cutoff())
        if state == "disabled":
            qs = qs.filter(is_active=False)
        elif state == "locked":
            qs = qs.filter(locked, is_active=True)
        elif state == "must_change":
            qs = qs.filter(~locked, Q(must_change_password=True) | expired, is_active=True)
        else:
            qs = qs.filter(~locked, ~expired, is_active=True, must_change_password=False)
    today = timezone.localdate()
    current = (
        Post.objects.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=today))
        .select_related("post_type", "area", "unit")
        .order_by("id")
    )
    return qs.prefetch_related(Prefetch("posts", queryset=current, to_attr="current_posts"))


def expiry_cutoff() -> Any:
    """Passwords changed before this moment have expired (the distant past when expiry is off)."""
    days = settings.PASSWORD_MAX_AGE_DAYS
    if days <= 0:
        return timezone.now() - datetime.timedelta(days=365 * 1000)
    return timezone.now() - datetime.timedelta(days=days)


def account_get(*, actor: User, pk: int | str) -> User:
    """One account in scope, or NotFound."""
    return get_in_scope(accounts_visible(actor=actor), "account", pk=positive_id("id", pk))


def account_posts(*, account: User) -> QuerySet[Any]:
    """Every post of `account`, current first, with type, area and unit loaded."""

    return (
        Post.objects.filter(person=account)
        .select_related("post_type", "area", "unit")
        .order_by("ended_on", "-started_on", "id")
    )


def account_sessions(*, account: User) -> list[LoginSession]:
    """The account's signed-in browser sessions that still exist, newest first."""
    rows = list(LoginSession.objects.filter(user=account).order_by("-started_at"))
    alive = live_session_keys([r.key for r in rows])
    return [r for r in rows if r.key in alive]


def account_tokens(*, account: User) -> list[ApiToken]:
    """The account's API tokens that still answer (shown by prefix), newest first."""
    return list(
        ApiToken.objects.filter(
            user=account, revoked_at__isnull=True, expires_at__gt=timezone.now()
        ).order_by("-created_at")
    )
