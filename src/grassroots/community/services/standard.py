"""The county's community standard: set by the organisation department, lines replaced whole."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from grassroots.areas.choices import Level
from grassroots.areas.models import Area, PostType
from grassroots.community.auditlog import CommunityAuditAction
from grassroots.community.choices import FacilityKind, TeamKind
from grassroots.community.errors import CommunityError
from grassroots.community.errors import CommunityErrorCode as E
from grassroots.community.models import Standard, StandardFacility, StandardPost, StandardService
from grassroots.community.services.base import audit, choice, not_negative, require_area
from grassroots.core.models import User
from grassroots.core.roles import Perm


@dataclass(frozen=True)
class StandardIn:
    """A whole standard: required posts (post type code, count), facilities (kind, minimum
    area in m²), service-team kinds, and whether every grid must be staffed."""

    posts: tuple[tuple[str, int], ...]
    facilities: tuple[tuple[str, int], ...]
    services: tuple[str, ...]
    grids_staffed: bool = True


def _posts(rows: tuple[tuple[str, int], ...]) -> list[tuple[PostType, int]]:
    types = PostType.objects.in_bulk([code for code, _n in rows], field_name="code")
    out: list[tuple[PostType, int]] = []
    seen: set[str] = set()
    for i, (code, count) in enumerate(rows):
        field = f"posts[{i}].post_type"
        post_type = types.get(code)
        if post_type is None:
            raise CommunityError(
                E.INVALID_VALUE, _("岗位类型不存在：%(c)s") % {"c": code}, field=field, row=i
            )
        if code in seen:
            raise CommunityError(
                E.DUPLICATE, _("岗位类型重复：%(c)s") % {"c": code}, field=field, row=i
            )
        seen.add(code)
        number = not_negative(count, f"posts[{i}].count", high=1000)
        if number < 1:
            raise CommunityError(
                E.INVALID_VALUE, _("岗位人数至少为 1"), field=f"posts[{i}].count", row=i
            )
        out.append((post_type, number))
    return out


def _facilities(rows: tuple[tuple[str, int], ...]) -> list[tuple[str, int]]:
    out: list[tuple[str, int]] = []
    for i, (kind, area) in enumerate(rows):
        choice(kind, FacilityKind, f"facilities[{i}].kind")
        if kind in {k for k, _a in out}:
            raise CommunityError(
                E.DUPLICATE, _("设施类型重复"), field=f"facilities[{i}].kind", row=i
            )
        out.append((kind, not_negative(area, f"facilities[{i}].min_area_sqm")))
    return out


def standard_set(*, actor: User | None, county: Area, data: StandardIn) -> Standard:
    """Replace the county's standard with `data` (created on first use). Every line is checked
    before anything is written (a post type that does not exist, a negative area, a repeated
    line: an error naming the field and row); the standard and its lines change together."""
    if county.level != Level.COUNTY:
        raise CommunityError(E.INVALID_VALUE, _("社区建设规范按县制定"), field="county")
    require_area(actor, Perm.MANAGE_STANDARD, county, "county")
    posts = _posts(data.posts)
    facilities = _facilities(data.facilities)
    services: list[str] = []
    for i, kind in enumerate(data.services):
        choice(kind, TeamKind, f"services[{i}]")
        if kind in services:
            raise CommunityError(E.DUPLICATE, _("服务类型重复"), field=f"services[{i}]", row=i)
        services.append(kind)
    with transaction.atomic():
        standard, _created = Standard.objects.select_for_update().get_or_create(county=county)
        standard.grids_staffed = bool(data.grids_staffed)
        standard.updated_by = actor
        standard.save()
        standard.posts.all().delete()
        standard.facilities.all().delete()
        standard.services.all().delete()
        StandardPost.objects.bulk_create(
            StandardPost(standard=standard, post_type=t, count=n) for t, n in posts
        )
        StandardFacility.objects.bulk_create(
            StandardFacility(standard=standard, kind=k, min_area_sqm=a) for k, a in facilities
        )
        StandardService.objects.bulk_create(
            StandardService(standard=standard, kind=k) for k in services
        )
        audit(
            actor,
            CommunityAuditAction.STANDARD_SET,
            "community_standard",
            standard.pk,
            {
                "posts": {t.code: n for t, n in posts},
                "facilities": dict(facilities),
                "services": services,
                "grids_staffed": standard.grids_staffed,
            },
        )
    return standard
