"""Post types and posts: the only code that saves them, and the rules every post obeys.

Whatever the entry point (account pages, API, Django admin, commands, imports, the demo loader),
a post is made by `post_create` and ended by `post_end`, which guarantee 三员分立 (SECURITY.md 6):
a person holds at most one of the three admin roles, an administrator holds no business post,
and nobody creates, ends or changes their own posts. Re-exported by `areas.services`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.areas.auditlog import AreaAuditAction as Action
from grassroots.areas.errors import AreaError, PostRuleError
from grassroots.areas.errors import AreaErrorCode as E
from grassroots.areas.models import Area, Duty, Post, PostType, Unit
from grassroots.areas.scope import forget_scope, scope_for
from grassroots.core.audit import audit_record
from grassroots.core.errors import NotFound
from grassroots.core.models import User
from grassroots.core.roles import ADMIN_ROLES, Perm, Role


def post_type_define(
    *,
    actor: User | None,
    code: str,
    name: str,
    role: str,
    duties: Sequence[str],
    description: str = "",
) -> PostType:
    """Create or replace a post type and its duty list (in the given order).

    The role of a type that current posts use never changes here: that would change those
    people's roles behind the post rules (三员分立) and could hand someone a new role of their own.
    """
    if actor is not None:
        scope_for(actor).require(Perm.MANAGE_POSTS)
    if not duties or any(not d.strip() for d in duties):
        raise AreaError(E.INVALID_VALUE, _("职责清单不能有空行"), field="duties")
    with transaction.atomic():
        existing = PostType.objects.select_for_update().filter(code=code).first()
        if existing is not None and existing.role != role and _live_posts(post_type=existing):
            raise AreaError(
                E.POST_TYPE_IN_USE,
                _("岗位类型 %(c)s 仍有人在任，不能改变其角色") % {"c": code},
                field="role",
            )
        post_type, created = PostType.objects.update_or_create(
            code=code, defaults={"name": name, "role": role, "description": description}
        )
        before = [] if created else list(post_type.duties.values_list("text", flat=True))
        post_type.duties.all().delete()
        Duty.objects.bulk_create(
            [Duty(post_type=post_type, order=i, text=t.strip()) for i, t in enumerate(duties, 1)]
        )
        audit_record(
            actor=actor,
            action=Action.POST_TYPE_DEFINE,
            object_type="post_type",
            object_id=post_type.pk,
            changes={"before": before, "after": list(duties)},
        )
    return post_type


def _live_posts(*, on: datetime.date | None = None, **lookup: Any) -> bool:
    """Whether some post matching `lookup` has not ended by `on` (today by default)."""
    day = on or timezone.localdate()
    return (
        Post.objects.filter(**lookup)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day))
        .exists()
    )


def _require_post_scope(actor: User, *, person: User, area: Area | None, unit: Unit | None) -> None:
    """The actor may manage posts for `person` over `area`/`unit` (404 outside, 403 for self)."""
    from grassroots.areas.accounts.selectors import account_get

    scope = scope_for(actor)
    scope.require(Perm.MANAGE_POSTS)
    if area is not None and not scope.covers_area(Perm.MANAGE_POSTS, area):
        raise NotFound("area")
    if unit is not None and not (
        unit.pk in scope.unit_ids(Perm.MANAGE_POSTS)
        or scope.covers_area(Perm.MANAGE_POSTS, unit.area)
    ):
        raise NotFound("unit")
    account_get(actor=actor, pk=person.pk)
    if actor.pk == person.pk:
        raise PostRuleError(E.OWN_POSTS, _("不能给自己设置或结束岗位"), field="person")


def post_separation_problem(*, held: Iterable[str], role: str) -> AreaError | None:
    """The refusal for adding a post of `role` to someone holding `held` roles, or None.

    三员分立 (SECURITY.md 6): a person holds at most one of the three admin roles, and an
    administrator holds no business post (nor a business post holder an admin role).
    """
    held = set(held)
    admin_held = held & ADMIN_ROLES
    labels = ", ".join(sorted(str(Role(r).label) for r in held if r in Role.values))
    if role in ADMIN_ROLES:
        if admin_held - {role}:
            return AreaError(
                E.ADMIN_ROLES_COMBINED,
                _("系统管理员、安全管理员、审计员三者不能由同一人兼任（已任：%(r)s）")
                % {"r": labels},
                field="post_type",
                held=sorted(held),
            )
        if held - ADMIN_ROLES:
            return AreaError(
                E.ADMIN_BUSINESS_MIXED,
                _("担任业务岗位的人员不能兼任管理员（已任：%(r)s）") % {"r": labels},
                field="post_type",
                held=sorted(held),
            )
    elif admin_held:
        return AreaError(
            E.ADMIN_BUSINESS_MIXED,
            _("管理员不能兼任业务岗位（已任：%(r)s）") % {"r": labels},
            field="post_type",
            held=sorted(held),
        )
    return None


def _held_roles(person: User, on: datetime.date) -> set[str]:
    rows = Post.objects.filter(person=person).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))
    return set(rows.values_list("post_type__role", flat=True))


def post_validate(
    *,
    actor: User | None,
    person: User,
    post_type: PostType,
    area: Area | None = None,
    unit: Unit | None = None,
    started_on: datetime.date,
) -> None:
    """Every check `post_create` makes before writing, for forms that show errors per field."""
    if area is None and unit is None:
        raise AreaError(E.POST_SCOPE, _("岗位必须指定负责区域或所在单位"), field="area")
    if actor is not None:
        _require_post_scope(actor, person=person, area=area, unit=unit)
    problem = post_separation_problem(held=_held_roles(person, started_on), role=post_type.role)
    if problem is not None:
        raise problem


def post_create(
    *,
    actor: User | None,
    person: User,
    post_type: PostType,
    area: Area | None = None,
    unit: Unit | None = None,
    title: str = "",
    started_on: datetime.date,
) -> Post:
    """Give `person` a post over `area` and/or `unit`; at least one is required.

    Guarantees, whatever the caller (pages, API, admin, commands, imports, the demo): the actor
    manages posts over that area or unit and sees the person (else 404), is not the person
    (403), and 三员分立 holds afterwards — checked with the person's row locked, so two
    concurrent assignments cannot both slip past it.
    """
    post_validate(
        actor=actor, person=person, post_type=post_type, area=area, unit=unit, started_on=started_on
    )
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=person.pk).first()
        problem = post_separation_problem(held=_held_roles(person, started_on), role=post_type.role)
        if problem is not None:
            raise problem
        post = Post.objects.create(
            person=person,
            post_type=post_type,
            area=area,
            unit=unit,
            title=title,
            started_on=started_on,
        )
        audit_record(
            actor=actor,
            action=Action.POST_CREATE,
            object_type="post",
            object_id=post.pk,
            changes={
                "after": {
                    "person": person.pk,
                    "post_type": post_type.code,
                    "role": post_type.role,
                    "area": area.pk if area else None,
                    "unit": unit.pk if unit else None,
                }
            },
        )
    forget_scope(person)
    return post


def post_end(*, actor: User | None, post: Post, ended_on: datetime.date) -> Post:
    """End a post on `ended_on`: from that day it grants nothing.

    The actor must manage posts over the post's area or unit and see its holder (else 404), and
    never ends a post of their own (403).
    """
    if actor is not None:
        _require_post_scope(actor, person=post.person, area=post.area, unit=post.unit)
    if ended_on < post.started_on:
        raise AreaError(E.INVALID_VALUE, _("离任日期不能早于任职日期"), field="ended_on")
    with transaction.atomic():
        locked = Post.objects.select_for_update().get(pk=post.pk)
        if locked.ended_on is not None and locked.ended_on <= ended_on:
            raise AreaError(E.INVALID_VALUE, _("该岗位已结束"), field="ended_on")
        post.ended_on = ended_on
        post.save(update_fields=["ended_on"])
        audit_record(
            actor=actor,
            action=Action.POST_END,
            object_type="post",
            object_id=post.pk,
            changes={"after": {"ended_on": ended_on.isoformat()}},
        )
    forget_scope(post.person)
    return post
