"""The entitlement item state machine: the only module that assigns `EntitlementItem.state`.

`item_apply` locks the item row, checks the move against `TRANSITIONS` and the actor's scope,
applies the action's effect (`linkage` for escalation and the linked case), writes exactly one
`ItemEvent` and one audit row. Raising writes nothing: the caller's transaction is rolled back.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grassroots.areas.choices import column_of
from grassroots.areas.models import Post, in_subtree
from grassroots.areas.scope import scope_for
from grassroots.core.audit import audit_record
from grassroots.core.errors import Forbidden, NotFound
from grassroots.core.models import User
from grassroots.core.roles import Perm
from grassroots.relocation import linkage
from grassroots.relocation.auditlog import RelocationAuditAction as AA
from grassroots.relocation.choices import Action, ItemState
from grassroots.relocation.errors import RelocationConflict, RelocationError
from grassroots.relocation.errors import RelocationErrorCode as E
from grassroots.relocation.models import EntitlementItem, ItemEvent, RelocatedHousehold

P, IP, F, NA = (
    ItemState.PENDING,
    ItemState.IN_PROGRESS,
    ItemState.FULFILLED,
    ItemState.NOT_APPLICABLE,
)

# (state, action) → next state. Anything absent is refused with 409.
TRANSITIONS: dict[tuple[str, str], str] = {
    (P, Action.ASSIGN): P,
    (IP, Action.ASSIGN): IP,
    (P, Action.START): IP,
    (IP, Action.PROGRESS): IP,
    (P, Action.FULFIL): F,
    (IP, Action.FULFIL): F,
    (P, Action.NOT_APPLICABLE): NA,
    (IP, Action.NOT_APPLICABLE): NA,
    (P, Action.ESCALATE): IP,
    (IP, Action.ESCALATE): IP,
    # the system's: the linked case closed; the rules no longer require the item
    (P, Action.FOLLOW_CASE): F,
    (IP, Action.FOLLOW_CASE): F,
    (P, Action.LAPSE): NA,
    (IP, Action.LAPSE): NA,
}
# Actions only the system takes (the sweep, the generation).
SYSTEM_ONLY = {Action.FOLLOW_CASE, Action.LAPSE}
# Actions a person must explain (the note), and what to ask for when it is missing.
NOTE_REQUIRED: dict[str, Any] = {
    Action.START: gettext_lazy("请填写落实措施"),
    Action.PROGRESS: gettext_lazy("请填写进展情况"),
    Action.NOT_APPLICABLE: gettext_lazy("确认不适用须填写原因"),
    Action.ESCALATE: gettext_lazy("提级须说明原因"),
}
# Actions that count as progress (they move `progressed_on`); assigning an owner does not.
PROGRESS = {
    Action.START,
    Action.PROGRESS,
    Action.FULFIL,
    Action.ESCALATE,
    Action.FOLLOW_CASE,
    Action.NOT_APPLICABLE,
    Action.LAPSE,
}


def post_reaches(post: Post, relocated: RelocatedHousehold) -> bool:
    """Whether `post` (its area's subtree, or its unit's area's) contains the household."""
    area = relocated.area
    for root in (post.area, post.unit.area if post.unit_id and post.unit else None):
        if root is not None and in_subtree(area, column=column_of(root.level), root_id=root.pk):
            return True
    return False


def post_active(post: Post, today: datetime.date) -> bool:
    return post.started_on <= today and (post.ended_on is None or post.ended_on > today)


def check_post(post_id: Any, relocated: RelocatedHousehold, name: str) -> Post | None:
    """The post named `post_id` for the field `name` (owner or helper), or None when empty;
    refused when missing, ended, or outside the household's community and its parents."""
    if post_id in (None, ""):
        return None
    post = (
        Post.objects.select_related("area", "unit__area", "person").filter(pk=int(post_id)).first()
    )
    if post is None:
        raise RelocationError(E.INVALID_VALUE, _("没有这个岗位"), field=name)
    if not post_active(post, timezone.localdate()):
        raise RelocationError(E.POST_ENDED, _("该岗位已离任，不能承担此事项"), field=name)
    if not post_reaches(post, relocated):
        raise RelocationError(
            E.OUT_OF_SCOPE_POST, _("该岗位不在这户所在社区的管辖范围内"), field=name
        )
    return post


def may(actor: User | None, item: EntitlementItem, action: str) -> bool:
    """Whether `actor` may take `action` on `item` (state aside). None is the system."""
    if actor is None:
        return True
    if action in SYSTEM_ONLY:
        return False
    return scope_for(actor).covers_area(Perm.EDIT_PEOPLE, item.area)


def allowed_actions(actor: User | None, item: EntitlementItem) -> list[str]:
    """The actions the actor may take on the item now (for the page's buttons)."""
    moves = [a for (s, a) in TRANSITIONS if s == item.state]
    return [a for a in dict.fromkeys(moves) if may(actor, item, a)]


Effect = Callable[[EntitlementItem, User | None, dict[str, Any]], dict[str, Any]]


def _assign(item: EntitlementItem, actor: User | None, d: dict[str, Any]) -> dict[str, Any]:
    if "owner" not in d and "helper" not in d:
        raise RelocationError(E.INVALID_VALUE, _("请指定责任人或帮扶人"), field="owner")
    data: dict[str, Any] = {}
    for name in ("owner", "helper"):
        if name in d:
            post = check_post(d[name], item.relocated, name)
            setattr(item, name, post)
            data[name] = post.pk if post else None
    return data


def _fulfil(item: EntitlementItem, actor: User | None, d: dict[str, Any]) -> dict[str, Any]:
    evidence = str(d.get("evidence") or "").strip()
    if not evidence:
        raise RelocationError(E.EVIDENCE_REQUIRED, _("落实完成须填写佐证"), field="evidence")
    item.evidence = evidence[:4000]
    item.fulfilled_on = timezone.localdate(d["at"])
    return {}


def _not_applicable(item: EntitlementItem, actor: User | None, d: dict[str, Any]) -> dict[str, Any]:
    item.reason = str(d["note"]).strip()[:2000]
    item.approved_by = actor
    return {}


def _none(item: EntitlementItem, actor: User | None, d: dict[str, Any]) -> dict[str, Any]:
    return {}


def _lapse(item: EntitlementItem, actor: User | None, d: dict[str, Any]) -> dict[str, Any]:
    item.reason = _("按适用规则重新计算，不再适用")
    return {}


EFFECTS: dict[str, Effect] = {
    Action.ASSIGN: _assign,
    Action.START: _none,
    Action.PROGRESS: _none,
    Action.FULFIL: _fulfil,
    Action.NOT_APPLICABLE: _not_applicable,
    Action.ESCALATE: linkage.escalate,
    Action.FOLLOW_CASE: linkage.follow_case,
    Action.LAPSE: _lapse,
}


def record(
    item: EntitlementItem,
    actor: User | None,
    action: str,
    before: tuple[str, str],
    note: str,
    data: dict[str, Any],
    at: datetime.datetime | None = None,
) -> ItemEvent:
    """One event and one audit row for `action` (no personal data in either)."""
    event = ItemEvent.objects.create(
        item=item,
        at=at or timezone.now(),
        actor=actor,
        actor_name=actor.get_username() if actor else "system",
        action=action,
        from_state=before[0],
        to_state=item.state,
        from_level=before[1],
        to_level=item.level,
        note=note,
        data=data,
    )
    audit_record(
        actor=actor,
        action=AA.ESCALATE if action == Action.ESCALATE else AA.ITEM_CHANGE,
        object_type="entitlement_item",
        object_id=item.pk,
        changes={
            "action": action,
            "state": [before[0], item.state],
            "level": [before[1], item.level],
            **{k: v for k, v in data.items() if k in ("case", "owner", "helper")},
        },
    )
    return event


def item_apply(
    *,
    item_id: int,
    action: str,
    actor: User | None,
    note: str = "",
    at: datetime.datetime | None = None,
    **details: Any,
) -> tuple[EntitlementItem, ItemEvent]:
    """Apply `action` to the item, or raise with nothing written; `at` is the moment it
    happened (default now: the demo and imports pass their own clock, as case_apply takes).

    NotFound when missing or out of the actor's scope; Forbidden (403) for a system action;
    RelocationConflict (409) when the state does not allow it (escalating a fulfilled item, a
    lost race, no level above the county); RelocationError (400) naming the field for a missing
    reason or evidence, or an owner outside the community's scope.
    """
    if action not in EFFECTS:
        raise RelocationError(E.INVALID_VALUE, _("未知操作：%(a)s") % {"a": action}, field="action")
    if action in NOTE_REQUIRED and not note.strip():
        raise RelocationError(E.REASON_REQUIRED, NOTE_REQUIRED[action], field="note")
    with transaction.atomic():
        item = (
            EntitlementItem.objects.select_for_update(of=("self",))
            .select_related("area", "relocated__area", "relocated__household", "entitlement")
            .filter(pk=item_id)
            .first()
        )
        if item is None or (
            actor is not None and not scope_for(actor).covers_area(Perm.VIEW_PEOPLE, item.area)
        ):
            raise NotFound("entitlement_item")
        target = TRANSITIONS.get((item.state, action))
        if target is None:
            raise RelocationConflict(
                E.INVALID_TRANSITION,
                _("当前状态（%(s)s）不能执行“%(a)s”")
                % {"s": item.get_state_display(), "a": Action(action).label},
                field="action",
                state=item.state,
            )
        if not may(actor, item, action):
            raise Forbidden(Perm.EDIT_PEOPLE)
        before = (item.state, item.level)
        now = at or timezone.now()
        data = EFFECTS[action](item, actor, {**details, "note": note, "at": now})
        item.state = target
        if action in PROGRESS:
            item.progressed_on = timezone.localdate(now)
        item.save()
        event = record(item, actor, action, before, note.strip(), data, at=now)
    return item, event
