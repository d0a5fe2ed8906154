"""Who acted on a case, in people's terms: the post a person acted in ("石楼小镇社区 社区书记").

`acting_post` picks, among the actor's active posts, the one that grants the permission the
action needs on this case — the post of the case's unit first, then one whose area holds the
case, then any granting the permission — and names it by its place and its post type. The
workflow records it on the event when the event is written, so the timeline keeps the post the
person held then. The posts are the actor's scope's grants (`areas.scope`): no query of its own.
"""

from __future__ import annotations

from typing import Any

from grassroots.areas.models import Area
from grassroots.areas.scope import Grant, scope_for
from grassroots.core.models import User
from grassroots.core.roles import ROLE_PERMS


def _holds(grant: Grant, area: Area | None) -> bool:
    if grant.area_id is None or grant.area_column is None or area is None:
        return False
    return bool(getattr(area, f"{grant.area_column}_id") == grant.area_id)


def acting_post(actor: User | None, *, perm: str, unit_id: int | None, area: Area | None) -> str:
    """The label of the post through which `actor` holds `perm` on a case of `unit_id` and
    `area` ("" for the system or a person with no post)."""
    if actor is None or not actor.pk:
        return ""
    grants = scope_for(actor).grants
    granting = [g for g in grants if perm in ROLE_PERMS.get(g.role, ())]
    ranked: list[Any] = [
        next((g for g in granting if unit_id is not None and g.unit_id == unit_id), None),
        next((g for g in granting if _holds(g, area)), None),
        granting[0] if granting else None,
        grants[0] if grants else None,
    ]
    chosen = next((g for g in ranked if g is not None), None)
    return str(chosen.label)[:200] if chosen is not None else ""
