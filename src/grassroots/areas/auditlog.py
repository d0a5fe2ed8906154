"""The areas app's audit action names, what its audit rows mean for people, and the posts an
actor held, for the log.

See core/auditlog.py for the names this module declares.
"""

from __future__ import annotations

import datetime
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from grassroots.core.audit import ActionGroup


class AreaAuditAction(StrEnum):
    """Every action the areas services record with `audit_record`; the labels below use them."""

    AREA_CREATE = "area.create"
    AREA_UPDATE = "area.update"
    AREA_MOVE = "area.move"
    AREA_DELETE = "area.delete"
    AREA_IMPORT = "area.import"
    UNIT_CREATE = "unit.create"
    UNIT_UPDATE = "unit.update"
    POST_TYPE_DEFINE = "post_type.define"
    POST_CREATE = "post.create"
    POST_END = "post.end"


A = AreaAuditAction

GROUPS = [
    ActionGroup(
        "areas",
        _("区划、单位与岗位"),
        {
            A.AREA_CREATE: _("新建区划网格"),
            A.AREA_UPDATE: _("修改区划网格"),
            A.AREA_MOVE: _("调整区划网格隶属"),
            A.AREA_DELETE: _("删除区划网格"),
            A.AREA_IMPORT: _("导入区划网格"),
            A.UNIT_CREATE: _("新建单位"),
            A.UNIT_UPDATE: _("修改单位"),
            A.POST_TYPE_DEFINE: _("定义岗位类型"),
            A.POST_CREATE: _("任命岗位"),
            A.POST_END: _("结束岗位"),
        },
    ),
]
OBJECTS = {
    "area": _("区划网格"),
    "unit": _("单位"),
    "post_type": _("岗位类型"),
    "post": _("岗位"),
}
FIELDS = {
    "parent": _("上级"),
    "level": _("层级"),
    "person": _("人员"),
    "post_type": _("岗位类型"),
    "area": _("区域"),
    "unit": _("单位"),
    "started_on": _("任职日期"),
    "ended_on": _("离任日期"),
}


def posts_held(
    person_ids: set[int],
) -> dict[int, list[tuple[str, datetime.date, datetime.date | None]]]:
    """Every post of these people, as (label, started_on, ended_on), in one query."""
    from grassroots.areas.models import Post

    out: dict[int, list[tuple[str, datetime.date, datetime.date | None]]] = {}
    rows = Post.objects.filter(person_id__in=person_ids).select_related("post_type", "area", "unit")
    for post in rows.order_by("id"):
        place = post.area.name if post.area is not None else ""
        if post.unit is not None:
            place = f"{place} {post.unit.name}".strip()
        label = f"{post.title or post.post_type.name}（{place}）" if place else str(post)
        out.setdefault(post.person_id, []).append((label, post.started_on, post.ended_on))
    return out


ACTOR_POSTS = posts_held
