"""What every community service shares: the community an actor may write in, the audit row,
and the errors that name a field."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from grassroots.areas.choices import Level
from grassroots.areas.models import Area
from grassroots.areas.scope import scope_for
from grassroots.community.auditlog import CommunityAuditAction
from grassroots.community.errors import CommunityError
from grassroots.community.errors import CommunityErrorCode as E
from grassroots.core.audit import audit_record
from grassroots.core.errors import NotFound
from grassroots.core.models import User

COMMUNITY_LEVELS = (Level.COMMUNITY, Level.VILLAGE)


def require_area(actor: User | None, perm: str, area: Area, what: str) -> None:
    """`perm` over `area` (403 without it anywhere, NotFound outside scope); None: the system."""
    if actor is not None:
        scope_for(actor).require_area(perm, area, what)


def community_for(actor: User | None, pk: Any, perm: str) -> Area:
    """The community (or village) `pk`, if `actor` holds `perm` over it; else NotFound (404)."""
    try:
        key = int(pk)
    except (TypeError, ValueError):
        raise NotFound("community") from None
    area = Area.objects.filter(pk=key, level__in=COMMUNITY_LEVELS).first()
    if area is None:
        raise NotFound("community")
    require_area(actor, perm, area, "community")
    return area


def audit(
    actor: User | None,
    action: CommunityAuditAction,
    object_type: str,
    object_id: object,
    changes: dict[str, Any],
) -> None:
    """One audit row; `changes` holds ids and plain values, never names, ID numbers or phones."""
    audit_record(
        actor=actor, action=action, object_type=object_type, object_id=object_id, changes=changes
    )


def required(value: str, field: str) -> str:
    """`value` stripped, or a REQUIRED error naming `field`."""
    text = (value or "").strip()
    if not text:
        raise CommunityError(E.REQUIRED, _("请填写 %(f)s") % {"f": field}, field=field)
    return text


def not_negative(value: Any, field: str, high: int = 2_147_483_647) -> int:
    """`value` as a whole number in [0, high], or an INVALID_VALUE error naming `field`."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = -1
    if not 0 <= number <= high or str(number) != str(value).strip():
        raise CommunityError(
            E.INVALID_VALUE, _("%(f)s 须为不小于 0 的整数") % {"f": field}, field=field
        )
    return number


def choice(value: str, choices: Any, field: str) -> str:
    """`value` if it is one of `choices` (a TextChoices), else INVALID_VALUE naming `field`."""
    if value not in choices.values:
        raise CommunityError(
            E.INVALID_VALUE, _("%(f)s 的值无效：%(v)s") % {"f": field, "v": value}, field=field
        )
    return value
