"""API tokens that end (issue 15, defect 6): issued, checked on every request, revoked.

Each `POST /api/v1/auth/token/` issues a new token (a user may hold several, one per device).
The key is shown once; only its SHA-256 and its first characters (`prefix`) are stored. A token
answers for `API_TOKEN_HOURS` (default 12) and is refused with 401 afterwards (`token_expired`),
or once revoked (`token_revoked`): by `DELETE /api/v1/auth/token/` (the caller's own token), by
the logout of the browser session signed in when it was issued (`tokens_revoke_for_session`), by
the security administrator (`areas.accounts`), or when the account is disabled or reset.
Every issue and revocation is audited; a key is never logged or audited.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import router, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from grassroots.core.audit import audit_record
from grassroots.core.auditlog import CoreAuditAction
from grassroots.core.errors import AccountErrorCode as E
from grassroots.core.models import ApiToken, User
from grassroots.db.compiled import CompiledQuery
from grassroots.db.pipeline import pipelined

KEY_PREFIX = "gr_"
# How often, at most, a token's `last_used_at` is written (a write per request would be waste).
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def tokens_active(*, user: User) -> QuerySet[ApiToken]:
    """`user`'s tokens that still answer (neither revoked nor expired), newest first."""
    return ApiToken.objects.filter(
        user=user, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).order_by("-created_at")


def token_issue(*, user: User, session_key: str = "", source: str = "") -> tuple[ApiToken, str]:
    """A new token of `user`; returns it with the raw key (shown this once, never stored).

    `session_key` is the browser session of `user` signed in when the token was asked for, if
    any: its logout revokes the token. The caller has authenticated `user` (the login checks).
    """
    raw = KEY_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            prefix=raw[len(KEY_PREFIX) : len(KEY_PREFIX) + 8],
            key_hash=token_hash(raw),
            created_at=now,
            expires_at=now + datetime.timedelta(hours=settings.API_TOKEN_HOURS),
            session_key=session_key[:40],
            source=source[:100],
        )
        audit_record(
            actor=user,
            action=CoreAuditAction.TOKEN_ISSUE,
            object_type="apitoken",
            object_id=token.pk,
            changes={"prefix": token.prefix, "expires_at": token.expires_at.isoformat()},
        )
    return token, raw


def _revoke(tokens: QuerySet[ApiToken], *, actor: User | None, reason: str) -> int:
    """Revoke the still-unrevoked `tokens` (one conditional UPDATE) and audit each; how many."""
    with transaction.atomic():
        ids = list(tokens.filter(revoked_at__isnull=True).values_list("pk", "user_id", "prefix"))
        ApiToken.objects.filter(pk__in=[i for i, _u, _p in ids], revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        for pk, user_id, prefix in ids:
            audit_record(
                actor=actor,
                action=CoreAuditAction.TOKEN_REVOKE,
                object_type="apitoken",
                object_id=pk,
                changes={"prefix": prefix, "reason": reason, "user": user_id},
            )
    return len(ids)


def token_revoke(*, actor: User | None, token: ApiToken, reason: str = "owner") -> int:
    """Revoke one token (1), or nothing when it was revoked already (0). The caller authorises."""
    return _revoke(ApiToken.objects.filter(pk=token.pk), actor=actor, reason=reason)


def tokens_revoke_for_session(*, user: User, session_key: str | None) -> int:
    """Revoke the tokens `user` was issued while signed in with `session_key` (at its logout)."""
    if not session_key:
        return 0
    found = ApiToken.objects.filter(user=user, session_key=session_key)
    return _revoke(found, actor=user, reason="logout")


def tokens_revoke_all(*, actor: User | None, account: User, reason: str) -> int:
    """Revoke every token of `account` (account administration authorises and calls this)."""
    return _revoke(ApiToken.objects.filter(user=account), actor=actor, reason=reason)


def _failed(code: E, message: str) -> exceptions.AuthenticationFailed:
    return exceptions.AuthenticationFailed(message, code=str(code))


# Every API request looks its token up: compiled once (db.compiled).
_BY_HASH: CompiledQuery[ApiToken] = CompiledQuery(
    lambda key_hash: ApiToken.objects.select_related("user").filter(key_hash=key_hash)[:1],
    key_hash="marker:key_hash",
)


@dataclass(frozen=True)
class Companion:
    """A read another app makes on every API request once the token is known, sent with the
    token's look-up instead (one round trip on PostgreSQL, `db.pipelined`): `send(key_hash,
    alias)` sends it keyed by the token's hash, on the token's database `alias` (or returns
    None to read later as usual); `keep(user, sent)` takes its rows once the token answers."""

    send: Callable[[str, str], Any]
    keep: Callable[[User, Any], None]


_COMPANIONS: list[Companion] = []


def register_token_companion(companion: Companion) -> None:
    """Send `companion` with every token look-up (the areas app: the user's posts); once, however
    often an app registers it."""
    if companion not in _COMPANIONS:
        _COMPANIONS.append(companion)


def token_check(raw: str) -> ApiToken:
    """The token for key `raw` if it answers now, its `last_used_at` kept to the minute; the
    companions' reads handed its user only then.

    Raises AuthenticationFailed (401) with the code `token_invalid` (unknown key, inactive
    account), `token_revoked` or `token_expired`.
    """
    key_hash = token_hash(raw)
    alias = router.db_for_read(ApiToken)
    with pipelined(ApiToken):
        found = _BY_HASH.send(key_hash=key_hash)
        sent = [(c, c.send(key_hash, alias)) for c in _COMPANIONS]
    token = found.first()
    if token is None or not token.user.is_active:
        raise _failed(E.TOKEN_INVALID, _("接口令牌无效"))
    if token.revoked_at is not None:
        raise _failed(E.TOKEN_REVOKED, _("接口令牌已吊销，请重新获取"))
    now = timezone.now()
    if token.expires_at <= now:
        raise _failed(E.TOKEN_EXPIRED, _("接口令牌已过期，请重新获取"))
    for companion, rows in sent:
        if rows is not None:
            companion.keep(token.user, rows)
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        stale = Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_RESOLUTION)
        ApiToken.objects.filter(stale, pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


class TokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Token <key>` (or `Bearer <key>`) against `ApiToken`; 401 when refused."""

    keywords = ("token", "bearer")

    def authenticate(self, request: Any) -> tuple[User, ApiToken] | None:
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].decode(errors="replace").lower() not in self.keywords:
            return None
        if len(parts) != 2:
            raise _failed(E.TOKEN_INVALID, _("接口令牌格式错误"))
        try:
            raw = parts[1].decode()
        except UnicodeError:
            raise _failed(E.TOKEN_INVALID, _("接口令牌格式错误")) from None
        token = token_check(raw)
        return token.user, token

    def authenticate_header(self, request: Any) -> str:
        return "Token"


class TokenScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI schema describes `TokenAuthentication` (registered by being defined)."""

    target_class = TokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Token <key>, from POST /api/v1/auth/token/ (ends after its lifetime)",
        }
