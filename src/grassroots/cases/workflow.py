"""The case state machine: the only module that assigns `Case.state` (STYLE rule 4).

`case_apply` locks the case row, checks the move against `TRANSITIONS` and the actor's right to
make it, applies it, writes exactly one `CaseEvent`, and schedules notifications after commit.
Of N concurrent conflicting actions one wins; the rest find the new state and get a 409.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grassroots.areas.scope import Scope, scope_for
from grassroots.cases import effects, places, search, sla
from grassroots.cases.actors import acting_post
from grassroots.cases.choices import Action, Satisfaction, State
from grassroots.cases.effects import Details, Outcome, start_limits
from grassroots.cases.errors import CaseConflict, CaseError
from grassroots.cases.errors import CaseErrorCode as E
from grassroots.cases.models import Case, CaseEvent
from grassroots.cases.notify import notify_case
from grassroots.core.errors import Forbidden, NotFound
from grassroots.core.models import User
from grassroots.core.roles import Perm
from grassroots.db.compiled import insert
from grassroots.db.ids import next_id

R, D, A, V, C = State.RECEIVED, State.DISPATCHED, State.ACCEPTED, State.RESOLVED, State.CLOSED

# (state, action) → next state. Anything absent is refused with 409.
TRANSITIONS: dict[tuple[str, str], str] = {
    (R, Action.DISPATCH): D,
    (R, Action.ANSWER): C,
    (R, Action.REJECT): C,
    (R, Action.MERGE): C,
    (D, Action.DISPATCH): D,  # a dispatcher's override before acceptance
    (D, Action.ACCEPT): A,
    (D, Action.RETURN): R,
    (D, Action.ESCALATE): D,
    (A, Action.RESOLVE): V,
    (A, Action.ESCALATE): D,
    (V, Action.VERIFY): V,
    (V, Action.REVIEW): C,
    # The only way out of closed. The first reopening goes back to the same handler (accepted);
    # a second one escalates to the next level (dispatched): see `effects.reopen`.
    (C, Action.REOPEN): A,
}
# Actions that change no state: allowed in every open state (a note also on closed cases).
FLAGS = {Action.SUPERVISE, Action.URGE, Action.NOTE, Action.ASSIST}

# The permission each action needs, and whether it is checked on the case's unit (handler
# actions) or on its area (desk, review and superior actions).
NEEDS: dict[str, tuple[str, str]] = {
    Action.DISPATCH: (Perm.DISPATCH_CASES, "desk"),
    Action.ANSWER: (Perm.DISPATCH_CASES, "desk"),
    Action.REJECT: (Perm.DISPATCH_CASES, "desk"),
    Action.MERGE: (Perm.DISPATCH_CASES, "desk"),
    Action.ACCEPT: (Perm.HANDLE_CASES, "unit"),
    Action.RETURN: (Perm.HANDLE_CASES, "unit"),
    Action.RESOLVE: (Perm.HANDLE_CASES, "unit"),
    Action.ESCALATE: (Perm.HANDLE_CASES, "unit"),
    Action.VERIFY: (Perm.VERIFY_CASES, "area"),
    Action.REVIEW: (Perm.REVIEW_CASES, "area"),
    Action.REOPEN: (Perm.REVIEW_CASES, "area"),
    Action.SUPERVISE: (Perm.SUPERVISE_CASES, "area"),
    Action.URGE: (Perm.SUPERVISE_CASES, "area"),
    Action.NOTE: (Perm.VIEW_CASES, "any"),
    # A co-handling unit (协办) beside the owner (主办): named by the desk or the owning unit.
    Action.ASSIST: (Perm.DISPATCH_CASES, "desk"),
}
REASON_REQUIRED = {Action.RETURN, Action.REJECT, Action.ESCALATE, Action.URGE, Action.SUPERVISE}
# Actions a person must explain, and what to ask for when the note is missing: the handling note
# of 办结 is what the review operator reads back to the resident at 回访. (The system — imports
# of past cases, tests — records what its source had.)
NOTE_REQUIRED: dict[str, Any] = {
    Action.RESOLVE: gettext_lazy("请填写办理结果"),
    Action.ANSWER: gettext_lazy("请填写答复内容"),
    Action.NOTE: gettext_lazy("请填写内容"),
}
# What each action does besides moving the state (cases/effects.py): one function per action.
EFFECTS: dict[Action, Callable[[Case, datetime.datetime, Details], Outcome]] = {
    Action.DISPATCH: effects.dispatch,
    Action.ANSWER: effects.answer,
    Action.REJECT: effects.reject,
    Action.MERGE: effects.merge,
    Action.ACCEPT: effects.accept,
    Action.RETURN: effects.return_,
    Action.RESOLVE: effects.resolve,
    Action.ESCALATE: effects.escalate,
    Action.VERIFY: effects.verify,
    Action.REVIEW: effects.review,
    Action.REOPEN: effects.reopen,
    Action.SUPERVISE: effects.supervise,
    Action.URGE: effects.urge,
    Action.NOTE: effects.note,
    Action.ASSIST: effects.assist,
}
# Who may reveal the reporter's full phone to call them, by state: whoever may take this action
# now — the handler while the case is in their hands, the review operator while it waits for the
# review visit. Nobody else, and never the system.
REVEAL_REPORTER: dict[str, str] = {
    D: Action.ACCEPT,
    A: Action.RESOLVE,
    V: Action.REVIEW,
}


def _covers(scope: Scope, perm: str, case: Case) -> bool:
    """Whether the actor holds `perm` over the case's area (the county, for an unplaced case)."""
    if case.area is not None:
        return scope.covers_area(perm, case.area)
    return scope.county_wide(perm)


def _desk_scope(scope: Scope, case: Case) -> Scope:
    """The scope that counts for desk actions: a case returned by a unit has left its hands, so
    the posts of that unit (their area grants too) take no desk action while it waits again."""
    if case.returned_by_id is None or case.state != R:
        return scope
    kept = tuple(g for g in scope.grants if g.unit_id != case.returned_by_id)
    return Scope(user_id=scope.user_id, grants=kept)


def may(actor: User | None, case: Case, action: str) -> bool:
    """Whether `actor` may take `action` on `case` (state aside). None is the system."""
    if actor is None:
        return True
    perm, on = NEEDS[action]
    scope = scope_for(actor)
    if on == "desk":
        scope = _desk_scope(scope, case)
    if not scope.has(perm):
        return False
    if on == "unit":
        return case.unit_id is not None and case.unit_id in scope.unit_ids(perm)
    if on == "desk":
        at_own_desk = case.unit_id is not None and case.unit_id in scope.unit_ids(perm)
        return at_own_desk or _covers(scope, perm, case)
    if on == "area":
        return _covers(scope, perm, case)
    return True


def may_reveal_reporter(actor: User | None, case: Case) -> bool:
    """Whether `actor` may see the reporter's full phone now (`REVEAL_REPORTER`)."""
    action = REVEAL_REPORTER.get(case.state)
    return actor is not None and action is not None and may(actor, case, action)


def allowed_actions(actor: User | None, case: Case) -> list[str]:
    """The actions the actor may take on the case now (for the case page's buttons)."""
    moves = [a for (s, a) in TRANSITIONS if s == case.state]
    flags = [a for a in FLAGS if case.state != C or a == Action.NOTE]
    return [a for a in dict.fromkeys([*moves, *flags]) if may(actor, case, a)]


def _event(*args: Any, **kw: Any) -> CaseEvent:
    """`_event_row(...)`, saved."""
    event = _event_row(*args, **kw)
    event.save(force_insert=True)
    return event


def _event_row(
    case: Case,
    actor: User | None,
    action: str,
    before: tuple[str, int | None],
    at: datetime.datetime | None = None,
    **kw: Any,
) -> CaseEvent:
    """The (unsaved) event of `action`: from `before` (state, unit) to the case as it is now,
    with the post the actor acted in."""
    return CaseEvent(
        case=case,
        at=at or timezone.now(),
        actor=actor,
        actor_name=actor.get_username() if actor else "system",
        actor_post=acting_post(
            actor,
            perm=NEEDS.get(action, (Perm.CREATE_CASES, ""))[0],
            unit_id=before[1],
            area=case.area,
        ),
        action=action,
        from_state=before[0],
        to_state=case.state,
        from_unit_id=before[1],
        to_unit_id=case.unit_id,
        **kw,
    )


def _apply(case: Case, action: str, now: datetime.datetime, details: Details) -> dict[str, Any]:
    """Apply `action`'s effect to `case` (in memory) and move it to its next state: the table's,
    or the one the effect names. Returns the event's data."""
    target = TRANSITIONS.get((case.state, action))
    outcome = EFFECTS[Action(action)](case, now, details)
    if outcome.state is not None:
        target = outcome.state
    if target is not None:
        case.state = target
    return outcome.data


def case_open(
    *, case: Case, actor: User | None, dispatched: bool, reason: str, answer: str = ""
) -> Case:
    """Give a newly built, unsaved case its first state and save it: closed as answered at the
    seat (when `answer` is given), dispatched straight to its handler, or received at a desk.

    Its id drawn first (`db.ids.next_id`, unless the case has one drawn already), one INSERT
    of the case already in that state and with its number (made from the id), one INSERT of
    its events ("create", then "answer" or "dispatch"; their ids are not read back) and, on
    SQLite, one of its search terms. Call inside a transaction (`db.pipelined` inside it may
    send the INSERTs together).
    """
    now = case.created_at
    events = [_event_row(case, actor, Action.CREATE, ("", None), at=now, data={"route": reason})]
    if answer:
        before = (case.state, case.unit_id)
        _apply(case, Action.ANSWER, now, {})
        events.append(
            _event_row(case, actor, Action.ANSWER, before, at=now, note=answer, public_note=answer)
        )
    elif dispatched:
        before = (case.state, None)
        case.state = State.DISPATCHED
        case.dispatched_at = now
        start_limits(case, now)
        data = {"automatic": True, "route": reason}
        events.append(_event_row(case, actor, Action.DISPATCH, before, at=now, data=data))
    if case.pk is None:
        case.pk = next_id(Case)
    case.number = case.make_number()
    insert([case])
    insert(events, read_ids=False)
    search.index_cases([(case.pk, case.terms)])
    if dispatched and not answer:
        notify_case(case, Action.DISPATCH, f"{case.number} {Action.DISPATCH.label}")
    return case


def time_steps(
    *,
    state: str,
    used: float,
    resolution_due: datetime.datetime,
    response_due: datetime.datetime | None,
    reminded: int,
    overdue: bool,
    now: datetime.datetime,
) -> list[str]:
    """The sweep's steps a running case is owed at `now`, none yet recorded: reminders at
    50/75/100 % of the resolution limit (`used`: the fraction of it used), then the overdue
    flag — past the resolution limit ("overdue"), or still not accepted past the response
    limit ("late_response"). Pure: the sweep's filter and `case_mark_time` both ask it."""
    steps = [f"remind{p}" for p in (50, 75, 100) if used * 100 >= p and reminded < p]
    if now > resolution_due and not overdue:
        steps.append("overdue")
    elif (
        state == State.DISPATCHED and response_due is not None and now > response_due
    ) and not overdue:
        steps.append("late_response")
    return steps


def case_mark_time(*, case_id: int, now: datetime.datetime) -> list[str]:
    """The sweep's step for one case, under its row lock: reminders at 50/75/100 % of the
    resolution limit and the overdue flag, each recorded once as an event. Returns what was done.

    Safe to run twice at once: the second run finds the steps already recorded.
    """
    with transaction.atomic():
        case = Case.objects.select_for_update().select_related("matter").filter(pk=case_id).first()
        if case is None or case.state not in (State.DISPATCHED, State.ACCEPTED):
            return []
        if case.resolution_due is None or case.limit_started_at is None:
            return []
        used = sla.used_fraction(case.matter, case.limit_started_at, case.resolution_due, now)
        done = time_steps(
            state=case.state,
            used=used,
            resolution_due=case.resolution_due,
            response_due=case.response_due,
            reminded=case.reminded,
            overdue=case.overdue,
            now=now,
        )
        for step in done:
            if step.startswith("remind"):
                case.reminded = int(step.removeprefix("remind"))
                notify_case(
                    case,
                    Action.REMIND,
                    _("%(n)s 已用时限 %(p)d%%") % {"n": case.number, "p": case.reminded},
                )
            else:
                case.overdue = True
        if done:
            case.save(update_fields=["reminded", "overdue", "updated_at"])
            before = (case.state, case.unit_id)
            kind = Action.REMIND if done[-1].startswith("remind") else Action.OVERDUE
            _event(case, None, kind, before, at=now, data={"steps": done, "used": round(used, 3)})
    return done


def case_apply(
    *,
    case_id: int,
    action: str,
    actor: User | None,
    note: str = "",
    public_note: str = "",
    at: datetime.datetime | None = None,
    **details: Any,
) -> tuple[Case, CaseEvent]:
    """Apply `action` to the case, or raise (nothing written).

    Raises NotFound when the case is missing, Forbidden (403) when the actor may not take the
    action, CaseConflict (409) when the state does not allow it (including a lost race),
    CaseError (400) for a missing reason or value (refused by the action's effect, if not here).
    Writes exactly one event; an unsatisfied review also reopens the case (a second event).
    `at` back-dates the action (imports of past cases and the demo); otherwise it is now.
    """
    if action not in NEEDS:
        raise CaseError(E.INVALID_VALUE, _("未知操作：%(a)s") % {"a": action}, field="action")
    if action in REASON_REQUIRED and not note.strip():
        raise CaseError(E.REASON_REQUIRED, _("此操作须填写原因"), field="note")
    if action in NOTE_REQUIRED and actor is not None and not note.strip():
        raise CaseError(E.NOTE_REQUIRED, str(NOTE_REQUIRED[action]), field="note")
    with transaction.atomic():
        case = (
            # lock the case row only (PostgreSQL cannot lock the nullable side of a join)
            Case.objects.select_for_update(of=("self",))
            .select_related("matter", "area", "unit")
            .filter(pk=case_id)
            .first()
        )
        if case is None:
            raise NotFound("case")
        is_flag = action in FLAGS
        if not is_flag and (case.state, action) not in TRANSITIONS:
            raise CaseConflict(
                E.INVALID_TRANSITION,
                _("当前状态（%(s)s）不能执行“%(a)s”")
                % {"s": case.get_state_display(), "a": Action(action).label},
                state=case.state,
                action=action,
            )
        if is_flag and case.state == State.CLOSED and action != Action.NOTE:
            raise CaseConflict(
                E.INVALID_TRANSITION,
                _("已结案的诉求不能督办或催办"),
                state=case.state,
                action=action,
            )
        if not may(actor, case, action):
            raise Forbidden(NEEDS[action][0])
        if actor is not None and action in (Action.DISPATCH, Action.ASSIST):
            places.require_reach(scope_for(actor), details.get("unit"))
        before = (case.state, case.unit_id)
        now = at or timezone.now()
        data = _apply(case, action, now, details)
        case.save()
        event = _event(
            case, actor, action, before, at=now, note=note, public_note=public_note, data=data
        )
        notify_case(case, action, f"{case.number} {Action(action).label}")
        if action == Action.REVIEW and case.satisfaction == Satisfaction.UNSATISFIED:
            before = (case.state, case.unit_id)
            data = _apply(case, Action.REOPEN, now, {})
            case.save()
            _event(
                case,
                actor,
                Action.REOPEN,
                before,
                at=now,
                note=_("回访不满意，重新办理"),
                data=data,
            )
    return case, event
