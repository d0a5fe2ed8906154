"""Issuing and revoking Open311 keys; each key files cases as its own API-client account."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.areas.choices import Level
from grassroots.areas.models import Area
from grassroots.areas.scope import scope_for
from grassroots.areas.services import post_create, post_type_define
from grassroots.cases.choices import Channel
from grassroots.core.audit import audit_record
from grassroots.core.errors import DomainError
from grassroots.core.models import User
from grassroots.core.roles import Perm, Role
from grassroots.core.services import account_create
from grassroots.open311.models import ApiKey

POST_TYPE = "open311_client"


def key_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def apikey_issue(
    *, actor: User | None, name: str, channel: str = Channel.API, per_minute: int = 60
) -> tuple[ApiKey, str]:
    """A new key named `name`; returns it with the raw key, shown this once and never stored.

    The key gets an account of its own (no password) holding an API-client post over the
    county, so its cases are attributable and it can do nothing but file cases.
    """
    if actor is not None:
        scope_for(actor).require(Perm.MANAGE_AREAS)
    name = name.strip()
    if not name:
        raise DomainError("invalid", _("名称不能为空"), field="name")
    if channel not in Channel.values:
        raise DomainError("invalid", _("未知的来源渠道：%(c)s") % {"c": channel}, field="channel")
    county = Area.objects.filter(level=Level.COUNTY).order_by("id").first()
    if county is None:
        raise DomainError("no_county", _("尚未建立县级区划"), field="area")
    raw = "o311_" + secrets.token_urlsafe(30)
    with transaction.atomic():
        if ApiKey.objects.filter(name=name).exists():
            raise DomainError("duplicate", _("名称已被使用"), field="name")
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
            action="open311.key_issue",
            object_type="apikey",
            object_id=key.pk,
            changes={"after": {"name": name, "channel": channel, "per_minute": per_minute}},
        )
    return key, raw


def apikey_revoke(*, actor: User | None, key: ApiKey) -> ApiKey:
    """Revoke a key: from now on it is refused (403)."""
    if actor is not None:
        scope_for(actor).require(Perm.MANAGE_AREAS)
    with transaction.atomic():
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor, action="open311.key_revoke", object_type="apikey", object_id=key.pk
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
