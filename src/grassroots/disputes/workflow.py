"""The dispute state machine: the only module that assigns `Dispute.state` and `Dispute.level`.

`dispute_apply` locks the dispute row, checks the move against `TRANSITIONS` and the actor's
right to make it at the dispute's level, applies the action's effect (`disputes.effects`),
writes exactly one `DisputeEvent` and one audit row. Of N concurrent conflicting actions one
wins; the rest find the new state and get a 409. Nothing is half-written: a refusal anywhere
rolls the whole action back (and removes a stored agreement scan).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.areas.models import in_subtree
from grassroots.areas.scope import Scope, scope_for
from grassroots.core.audit import audit_record
from grassroots.core.errors import Forbidden, NotFound
from grassroots.core.models import User
from grassroots.core.roles import ROLE_PERMS, Perm
from grassroots.disputes import effects, rules
from grassroots.disputes.auditlog import DisputeAuditAction as AA
from grassroots.disputes.choices import LEVEL_OF_COLUMN, Action, State
from grassroots.disputes.effects import Effect
from grassroots.disputes.errors import DisputeConflict, DisputeError
from grassroots.disputes.errors import DisputeErrorCode as E
from grassroots.disputes.models import Dispute, DisputeEvent

OP, M, S, R, C = State.OPEN, State.MEDIATING, State.SETTLED, State.REFERRED, State.CLOSED

# (state, action) → next state. Anything absent is refused with 409. Escalation keeps the
# dispute open at the next level up (its level changes, see effects.escalate).
TRANSITIONS: dict[tuple[str, str], str] = {
    (OP, Action.MEDIATE): M,
    (M, Action.MEDIATE): M,
    (OP, Action.SETTLE): S,
    (M, Action.SETTLE): S,
    (OP, Action.ESCALATE): OP,
    (M, Action.ESCALATE): OP,
    (OP, Action.REFER): R,
    (M, Action.REFER): R,
    (OP, Action.CLOSE): C,
    (M, Action.CLOSE): C,
    (S, Action.FOLLOW_UP): S,
}
# Actions a person must explain (the note).
REASON_REQUIRED = {Action.ESCALATE, Action.REFER, Action.CLOSE}
# Actions taken at the dispute's level: by a post at that level or above. A follow-up visit is
# made by whoever covers the place, whatever level settled it.
AT_LEVEL = {Action.MEDIATE, Action.SETTLE, Action.ESCALATE, Action.REFER, Action.CLOSE}
EFFECTS: dict[str, Callable[[Dispute, User | None, dict[str, Any]], Effect]] = {
    Action.MEDIATE: effects.mediate,
    Action.SETTLE: effects.mediate,
    Action.ESCALATE: effects.escalate,
    Action.REFER: effects.refer,
    Action.CLOSE: effects.close,
    Action.FOLLOW_UP: effects.follow_up,
}
AUDIT = {
    Action.SCREEN: AA.SCREEN,
    Action.MEDIATE: AA.MEDIATE,
    Action.SETTLE: AA.SETTLE,
    Action.ESCALATE: AA.ESCALATE,
    Action.REFER: AA.REFER,
    Action.CLOSE: AA.CLOSE,
    Action.FOLLOW_UP: AA.FOLLOW_UP,
}


def _levels_of(scope: Scope, dispute: Dispute) -> list[str]:
    """The mediation levels of the actor's posts that grant HANDLE_DISPUTES over the dispute's
    area (a post's level is that of its area: grid, community, township, county)."""
    return [
        LEVEL_OF_COLUMN[g.area_column]
        for g in scope.grants
        if g.area_column is not None
        and Perm.HANDLE_DISPUTES in ROLE_PERMS.get(g.role, ())
        and in_subtree(dispute.area, column=g.area_column, root_id=g.area_id)
    ]


def may(actor: User | None, dispute: Dispute, action: str) -> bool:
    """Whether `actor` may take `action` on `dispute` (state aside). None is the system.

    The actor needs HANDLE_DISPUTES over the dispute's area; for the actions taken at a level
    (`AT_LEVEL`), through a post at the dispute's current level or above.
    """
    if actor is None:
        return True
    levels = _levels_of(scope_for(actor), dispute)
    if not levels:
        return False
    if action in AT_LEVEL:
        return any(rules.may_act_at(level, dispute.level) for level in levels)
    return True


def allowed_actions(actor: User | None, dispute: Dispute) -> list[str]:
    """The actions the actor may take on the dispute now (for the page's buttons)."""
    moves = [a for (s, a) in TRANSITIONS if s == dispute.state]
    return [a for a in dict.fromkeys(moves) if may(actor, dispute, a)]


def _record(
    dispute: Dispute,
    actor: User | None,
    action: str,
    before: tuple[str, str],
    at: datetime.datetime,
    note: str,
    data: dict[str, Any],
) -> DisputeEvent:
    """One event and one audit row for `action` (no personal data in either's data)."""
    event = DisputeEvent.objects.create(
        dispute=dispute,
        at=at,
        actor=actor,
        actor_name=actor.get_username() if actor else "system",
        action=action,
        from_state=before[0],
        to_state=dispute.state,
        from_level=before[1],
        to_level=dispute.level,
        note=note,
        data=data,
    )
    audit_record(
        actor=actor,
        action=AUDIT[Action(action)],
        object_type="dispute",
        object_id=dispute.pk,
        changes={
            "state": [before[0], dispute.state],
            "level": [before[1], dispute.level],
            **{k: v for k, v in data.items() if k in ("mediation", "case", "follow_up", "sha256")},
        },
    )
    return event


def dispute_open(*, dispute: Dispute, actor: User | None) -> Dispute:
    """Give a newly built, unsaved dispute its first state (open) and number, save it, and
    record its "screen" event and audit row. The caller's transaction holds it all."""
    dispute.state = State.OPEN
    dispute.save(force_insert=True)
    dispute.number = dispute.make_number()
    Dispute.objects.filter(pk=dispute.pk).update(number=dispute.number)
    _record(dispute, actor, Action.SCREEN, ("", ""), dispute.created_at, "", {})
    return dispute


def dispute_apply(
    *,
    dispute_id: int,
    action: str,
    actor: User | None,
    note: str = "",
    at: datetime.datetime | None = None,
    **details: Any,
) -> tuple[Dispute, DisputeEvent]:
    """Apply `action` to the dispute, or raise with nothing written.

    Raises NotFound when the dispute is missing, Forbidden (403) when the actor may not take the
    action at this level, DisputeConflict (409) when the state does not allow it (a second
    settlement, a lost race) or there is no higher level, DisputeError (400) for a missing
    reason or a bad detail (a future date, a settlement without its agreement).
    """
    if action not in EFFECTS:
        raise DisputeError(E.INVALID_VALUE, _("未知操作：%(a)s") % {"a": action}, field="action")
    if action in REASON_REQUIRED and not note.strip():
        raise DisputeError(E.REASON_REQUIRED, _("此操作须填写原因"), field="note")
    written: list[Any] = []
    try:
        with transaction.atomic():
            dispute = (
                Dispute.objects.select_for_update(of=("self",))
                .select_related("area")
                .filter(pk=dispute_id)
                .first()
            )
            if dispute is None:
                raise NotFound("dispute")
            target = TRANSITIONS.get((dispute.state, action))
            if target is None:
                raise DisputeConflict(
                    E.INVALID_TRANSITION,
                    _("当前状态（%(s)s）不能执行“%(a)s”")
                    % {"s": dispute.get_state_display(), "a": Action(action).label},
                    state=dispute.state,
                    action=action,
                )
            if not may(actor, dispute, action):
                raise Forbidden(Perm.HANDLE_DISPUTES)
            before = (dispute.state, dispute.level)
            effect = EFFECTS[action](dispute, actor, {**details, "note": note})
            written.extend(effect.files)
            dispute.state = target
            dispute.save()
            event = _record(
                dispute, actor, action, before, at or timezone.now(), note.strip(), effect.data
            )
    except BaseException:
        for stored in written:
            stored.delete(save=False)
        raise
    return dispute, event
