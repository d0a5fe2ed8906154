"""Open311 keys and requests: issuing and revoking keys (each files cases as its own API-client
account), admitting a request's key under its rate, and filing the request as a case."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.areas.choices import Level
from grassroots.areas.models import Area
from grassroots.areas.scope import scope_for
from grassroots.areas.services import post_create, post_type_define
from grassroots.cases.choices import Channel
from grassroots.cases.models import Case
from grassroots.cases.services import Intake, case_intake
from grassroots.core import throttle
from grassroots.core.audit import audit_record, audit_source
from grassroots.core.errors import DomainError
from grassroots.core.models import User
from grassroots.core.roles import Perm, Role
from grassroots.core.services import account_create
from grassroots.open311.auditlog import Open311AuditAction
from grassroots.open311.errors import Open311Error
from grassroots.open311.errors import Open311ErrorCode as E
from grassroots.open311.models import ApiKey

POST_TYPE = "open311_client"


def key_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def apikey_issue(
    *, actor: User | None, name: str, channel: str = Channel.API, per_minute: int = 60
) -> tuple[ApiKey, str]:
    """A new key named `name`; returns it with the raw key, shown this once and never stored.

    The key gets an account of its own (no password) holding an API-client post over the
    county, so its cases are attributable and it can do nothing but file cases. Opening an
    account and a post is account administration: the actor needs MANAGE_POSTS (the security
    administrator's), else Forbidden (403); `actor=None` is the command line.
    """
    if actor is not None:
        scope_for(actor).require(Perm.MANAGE_POSTS)
    name = name.strip()
    if not name:
        raise DomainError(E.INVALID, _("名称不能为空"), field="name")
    if channel not in Channel.values:
        raise DomainError(E.INVALID, _("未知的来源渠道：%(c)s") % {"c": channel}, field="channel")
    county = Area.objects.filter(level=Level.COUNTY).order_by("id").first()
    if county is None:
        raise DomainError(E.NO_COUNTY, _("尚未建立县级区划"), field="area")
    raw = "o311_" + secrets.token_urlsafe(30)
    with transaction.atomic():
        if ApiKey.objects.filter(name=name).exists():
            raise DomainError(E.DUPLICATE, _("名称已被使用"), field="name")
        post_type = post_type_define(
            actor=None,
            code=POST_TYPE,
            name="Open311 接入应用",
            role=Role.API_CLIENT,
            duties=["通过 Open311 接口提交群众诉求"],
        )
        account = account_create(
            actor=None, username=f"open311-{secrets.token_hex(4)}", full_name=name
        )
        post_create(
            actor=None,
            person=account,
            post_type=post_type,
            area=county,
            started_on=timezone.localdate(),
        )
        key = ApiKey.objects.create(
            name=name,
            prefix=raw[5:11],
            key_hash=key_hash(raw),
            account=account,
            channel=channel,
            per_minute=per_minute,
        )
        audit_record(
            actor=actor,
            action=Open311AuditAction.KEY_ISSUE,
            object_type="apikey",
            object_id=key.pk,
            changes={"after": {"name": name, "channel": channel, "per_minute": per_minute}},
        )
    return key, raw


def apikey_revoke(*, actor: User | None, key: ApiKey) -> ApiKey:
    """Revoke a key: from now on it is refused (403). Needs MANAGE_POSTS, as issuing does."""
    if actor is not None:
        scope_for(actor).require(Perm.MANAGE_POSTS)
    with transaction.atomic():
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action=Open311AuditAction.KEY_REVOKE,
            object_type="apikey",
            object_id=key.pk,
        )
    return key


def apikey_find(raw: str) -> ApiKey | None:
    """The active key for `raw`, or None."""
    if not raw:
        return None
    return (
        ApiKey.objects.select_related("account")
        .filter(key_hash=key_hash(raw), revoked_at__isnull=True)
        .first()
    )


def _refuse_over(hit: throttle.Hit) -> None:
    if not hit.allowed:
        raise Open311Error(
            E.RATE_LIMITED,
            f"too many requests, try again in {hit.reset_in} s",
            field="api_key",
            status=429,
            retry_after=hit.reset_in,
        )


def apikey_admit(raw: str) -> ApiKey:
    """The active key for `raw`, counted against its rate: 403 when missing, unknown or revoked,
    429 (with `retry_after`) over the key's `per_minute` requests per minute.

    The count lives in the store every worker shares (`core.throttle`), so the limit holds for
    the whole service, not per process.
    """
    key = apikey_find(raw)
    if key is None:
        raise Open311Error(
            E.INVALID_KEY, "missing, unknown or revoked", field="api_key", status=403
        )
    _refuse_over(throttle.hit(f"open311:key:{key.pk}", limit=key.per_minute, window=60))
    return key


def reads_admit(*, raw_key: str, address: str) -> None:
    """Count one read (GET) against `OPEN311_READS_PER_MINUTE`: per key when a valid key is
    given, else per client address; 429 (with `retry_after`) beyond it (0: no limit)."""
    limit = settings.OPEN311_READS_PER_MINUTE
    if limit <= 0:
        return
    key = apikey_find(raw_key)
    who = f"key:{key.pk}" if key is not None else f"addr:{address}"
    _refuse_over(throttle.hit(f"open311:read:{who}", limit=limit, window=60))


def request_file(*, key: ApiKey, intake: Intake) -> Case:
    """File a service request as a case of the key's account, through `case_intake` like every
    other channel (its checks, the matter's questions included), audited as the key's client."""
    with audit_source(f"open311:{key.name}"):
        case, _created = case_intake(actor=key.account, intake=intake)
    return case
