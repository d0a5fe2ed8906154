"""Who acted on a case, in people's terms: the post a person acted in ("石楼小镇社区 社区书记").

`acting_post` picks, among the actor's active posts, the one that grants the permission the
action needs on this case — the post of the case's unit first, then one whose area holds the
case, then any granting the permission — and names it by its place and its post type. The
workflow records it on the event when the event is written, so the timeline keeps the post the
person held then.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import timezone

from grassroots.areas.choices import column_of
from grassroots.areas.models import Area, Post
from grassroots.core.models import User
from grassroots.core.roles import ROLE_PERMS

_CACHE_ATTR = "_grassroots_case_posts"


def _posts(actor: User) -> list[Post]:
    """The actor's active posts with type, area and unit (one query, kept on the user object
    for the rest of the request, like its scope)."""
    cached = getattr(actor, _CACHE_ATTR, None)
    if cached is not None:
        return list(cached)
    today = timezone.localdate()
    rows = list(
        Post.objects.filter(person_id=actor.pk, started_on__lte=today)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=today))
        .select_related("post_type", "area", "unit")
        .order_by("id")
    )
    setattr(actor, _CACHE_ATTR, rows)
    return rows


def _holds(post: Post, area: Area | None) -> bool:
    if post.area is None or area is None:
        return False
    return bool(getattr(area, f"{column_of(post.area.level)}_id") == post.area_id)


def post_label(post: Post) -> str:
    """A post by its place and its name: "石楼小镇社区 社区书记", "县人社局 部门承办人"."""
    place = post.area.name if post.area is not None else (post.unit.name if post.unit else "")
    name = post.title or post.post_type.name
    return f"{place} {name}".strip()


def acting_post(actor: User | None, *, perm: str, unit_id: int | None, area: Area | None) -> str:
    """The label of the post through which `actor` holds `perm` on a case of `unit_id` and
    `area` ("" for the system or a person with no post)."""
    if actor is None or not actor.pk:
        return ""
    posts = _posts(actor)
    granting = [p for p in posts if perm in ROLE_PERMS.get(p.post_type.role, ())]
    ranked: list[Any] = [
        next((p for p in granting if unit_id is not None and p.unit_id == unit_id), None),
        next((p for p in granting if _holds(p, area)), None),
        granting[0] if granting else None,
        posts[0] if posts else None,
    ]
    chosen = next((p for p in ranked if p is not None), None)
    return post_label(chosen)[:200] if chosen is not None else ""
