"""What an actor may see and do: the one place that decides (STYLE rule 3, SECURITY.md 7).

An actor's scope is the set of their active posts. Each post grants its role's permissions over
the subtree of its area and over its unit. `Scope.filter` restricts any queryset for one
permission; every selector calls it, so pages, exports and the API see the same rows, and an
object outside them is "not found", exactly like a missing one.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import router
from django.db.models import Model, Q, QuerySet, Subquery
from django.utils import timezone

from grassroots.areas.choices import column_of
from grassroots.areas.models import Post, in_subtree
from grassroots.core.errors import Forbidden, NotFound
from grassroots.core.models import ApiToken
from grassroots.core.roles import ROLE_PERMS
from grassroots.core.tokens import Companion
from grassroots.db.compiled import CompiledQuery, Sent

M = TypeVar("M", bound=Model)

_NOTHING = Q(pk__in=[])
_CACHE_ATTR = "_grassroots_scope"


@dataclass(frozen=True)
class Grant:
    """One active post: its role over an area subtree and/or a unit, and the post's label in
    people's terms ("石楼小镇社区 社区书记"), which case events record as the acting post."""

    role: str
    area_id: int | None
    area_column: str | None
    unit_id: int | None
    label: str = ""


@dataclass(frozen=True)
class Scope:
    """An actor's grants, with the filters they imply. Build it with `scope_for`."""

    user_id: int | None
    grants: tuple[Grant, ...]

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(g.role for g in self.grants)

    @property
    def perms(self) -> frozenset[str]:
        return frozenset(p for g in self.grants for p in ROLE_PERMS.get(g.role, ()))

    def has(self, perm: str) -> bool:
        return perm in self.perms

    def require(self, perm: str) -> None:
        """Raise Forbidden (403) unless some post grants `perm`."""
        if not self.has(perm):
            raise Forbidden(perm)

    def _granting(self, perm: str) -> list[Grant]:
        return [g for g in self.grants if perm in ROLE_PERMS.get(g.role, ())]

    def area_ids(self, perm: str) -> list[int]:
        """The roots of the area subtrees over which `perm` is granted."""
        return sorted({g.area_id for g in self._granting(perm) if g.area_id is not None})

    def unit_ids(self, perm: str) -> list[int]:
        """The units over which `perm` is granted."""
        return sorted({g.unit_id for g in self._granting(perm) if g.unit_id is not None})

    def covers_area(self, perm: str, area: Any) -> bool:
        """Whether `area` (an Area row) lies in a subtree over which `perm` is granted; no query."""
        return any(
            g.area_column is not None and in_subtree(area, column=g.area_column, root_id=g.area_id)
            for g in self._granting(perm)
        )

    def county_wide(self, perm: str) -> bool:
        """Whether a post grants `perm` over a whole county (and so over what has no area yet)."""
        return any(g.area_column == "county" for g in self._granting(perm))

    def require_area(self, perm: str, area: Any, what: str = "area") -> None:
        """403 without `perm`; NotFound (404) when `area` lies outside every granted subtree."""
        self.require(perm)
        if not self.covers_area(perm, area):
            raise NotFound(what)

    def area_q(self, perm: str, prefix: str = "") -> Q:
        """Rows whose area (reached by `prefix`, e.g. ``"area__"``) lies in a granted subtree."""
        q = _NOTHING
        for g in self._granting(perm):
            if g.area_id is not None and g.area_column is not None:
                q |= Q(**{f"{prefix}{g.area_column}": g.area_id})
        return q

    def unit_q(self, perm: str, field: str = "unit") -> Q:
        """Rows whose unit (the FK named `field`) is a granted unit."""
        ids = self.unit_ids(perm)
        return Q(**{f"{field}__in": ids}) if ids else _NOTHING

    def filter(
        self,
        qs: QuerySet[M],
        perm: str,
        *,
        area: str | None = None,
        unit: str | None = None,
    ) -> QuerySet[M]:
        """`qs` restricted to rows this actor may see under `perm`; 403 without `perm`.

        `area` is the lookup prefix to an Area ("" for Area itself, "area__" for a relation);
        `unit` the name of a Unit FK. A row matches when either lies in scope.
        """
        self.require(perm)
        q = _NOTHING
        if area is not None:
            q |= self.area_q(perm, area)
        if unit is not None:
            q |= self.unit_q(perm, unit)
        return qs.filter(q)


def _active_posts(people: Any, today: datetime.date) -> QuerySet[Any]:
    """The active posts of `people` (a person's id, or a subquery giving one) on `today`, as
    the rows `_grants` reads."""
    return (
        Post.objects.filter(person_id=people, started_on__lte=today)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=today))
        .order_by("id")
        .values_list(
            "post_type__role",
            "area_id",
            "area__level",
            "unit_id",
            "area__name",
            "unit__name",
            "title",
            "post_type__name",
        )
    )


# Every request of a signed-in user reads their posts: compiled once (db.compiled).
_ACTIVE_POSTS: CompiledQuery[tuple[Any, ...]] = CompiledQuery(
    _active_posts, people=-(2**40), today=datetime.date(1901, 2, 3)
)
# … and an API request reads them by its token's hash, sent with the token's look-up.
_POSTS_BY_TOKEN: CompiledQuery[tuple[Any, ...]] = CompiledQuery(
    lambda key_hash, today: _active_posts(
        Subquery(ApiToken.objects.filter(key_hash=key_hash).values("user_id")[:1]), today
    ),
    key_hash="marker:key_hash",
    today=datetime.date(1901, 2, 3),
)


def _grants(rows: Iterable[tuple[Any, ...]]) -> tuple[Grant, ...]:
    return tuple(
        Grant(
            role,
            area_id,
            column_of(level) if level else None,
            unit_id,
            post_label(area_name if area_id is not None else unit_name, title or type_name),
        )
        for role, area_id, level, unit_id, area_name, unit_name, title, type_name in rows
    )


def scope_for(user: Any) -> Scope:
    """The scope of `user` (anonymous or inactive: empty), cached on the user object."""
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    grants: tuple[Grant, ...] = ()
    if getattr(user, "is_authenticated", False) and user.is_active:
        grants = _grants(_ACTIVE_POSTS.rows(people=user.pk, today=timezone.localdate()))
    scope = Scope(user_id=getattr(user, "pk", None), grants=grants)
    if user is not None:
        setattr(user, _CACHE_ATTR, scope)
    return scope


def _send_posts(key_hash: str, alias: str) -> Sent[tuple[Any, ...]] | None:
    """The posts of the token's user, sent with the token's look-up when they are read from
    the same database (an API read served by a replica reads them there, later)."""
    if router.db_for_read(Post) != alias:
        return None
    return _POSTS_BY_TOKEN.send(key_hash=key_hash, today=timezone.localdate())


def _keep_posts(user: Any, sent: Sent[tuple[Any, ...]]) -> None:
    """The scope of the token's (active) user, from the posts sent with its look-up."""
    setattr(user, _CACHE_ATTR, Scope(user_id=user.pk, grants=_grants(sent.rows())))


TOKEN_POSTS = Companion(send=_send_posts, keep=_keep_posts)


def post_label(place: str | None, name: str) -> str:
    """A post by its place (its area, else its unit) and its name: "石楼小镇社区 社区书记",
    "县人社局 部门承办人"."""
    return f"{place or ''} {name}".strip()


def forget_scope(user: Any) -> None:
    """Drop the cached scope (after the user's posts changed)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def get_in_scope(qs: QuerySet[M], what: str = "object", **lookup: Any) -> M:
    """The one row of an already-scoped `qs` matching `lookup`, or NotFound (404)."""
    obj = qs.filter(**lookup).first()
    if obj is None:
        raise NotFound(what)
    return obj
