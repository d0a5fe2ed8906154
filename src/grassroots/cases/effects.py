"""What each workflow action does to a case besides moving its state: one small function per
action, keyed by action in `workflow.EFFECTS`.

An effect changes the case in memory (`workflow.case_apply` saves it, under the row lock it
took) or refuses with a CaseError / CaseConflict before anything is written, and reports the
data of the event. Effects never assign `Case.state`: `workflow` does, from its table, or from
`Outcome.state` where an effect overrides the table (a second reopening escalates).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from grassroots.areas.models import Unit
from grassroots.cases import sla
from grassroots.cases.choices import Action, Closure, Satisfaction, State
from grassroots.cases.errors import CaseConflict, CaseError
from grassroots.cases.errors import CaseErrorCode as E
from grassroots.cases.models import Case, CaseAssist, CaseEvent
from grassroots.cases.notify import notify_case
from grassroots.cases.routing import next_level_handler

Details = dict[str, Any]


@dataclass(frozen=True)
class Outcome:
    """What an effect reports: the event's data and, only when it overrides the transition
    table, the state the case moves to instead (None: the table's)."""

    data: dict[str, Any] = field(default_factory=dict)
    state: str | None = None


def start_limits(case: Case, now: datetime.datetime) -> None:
    """Start the case's response and resolution clocks at `now` (reminders and flag cleared)."""
    dues = sla.dues_for(case.matter, now)
    case.limit_started_at, case.response_due, case.resolution_due = (
        now,
        dues.response,
        dues.resolution,
    )
    case.reminded, case.overdue = 0, False


def _dispatching_desk(case: Case, returner: int | None) -> Unit | None:
    """The desk the case was last dispatched from (None: the county hotline desk), never the
    unit that returns it."""
    desk_id = (
        CaseEvent.objects.filter(case_id=case.pk, action=Action.DISPATCH)
        .order_by("-id")
        .values_list("from_unit_id", flat=True)
        .first()
    )
    if desk_id is None or desk_id == returner:
        return None
    return Unit.objects.filter(pk=desk_id, active=True).first()


def _escalate(case: Case, now: datetime.datetime) -> None:
    """Hand the case to the next level's handler with fresh clocks (409 at the top level)."""
    unit, level = next_level_handler(case.matter, case.area, case.level)
    if unit is None or level == case.level:
        raise CaseConflict(E.NO_HIGHER_LEVEL, _("已是最高一级，无法再提级"), field="action")
    case.unit, case.level = unit, level
    case.escalation_count += 1
    case.dispatched_at, case.accepted_at = now, None
    start_limits(case, now)


def dispatch(case: Case, now: datetime.datetime, details: Details) -> Outcome:
    """To the unit given (an override, recorded as such), else to the routed one; clocks start."""
    data: dict[str, Any] = {}
    unit = details.get("unit")
    if unit is not None:
        if not isinstance(unit, Unit):
            raise CaseError(E.INVALID_VALUE, _("承办单位无效"), field="unit")
        case.unit, case.level = unit, unit.level
        data["override"] = True
    elif case.unit is None:
        raise CaseError(E.INVALID_VALUE, _("请选择承办单位"), field="unit")
    case.dispatched_at, case.returned_by = now, None
    start_limits(case, now)
    return Outcome(data)


def accept(case: Case, now: datetime.datetime, details: Details) -> Outcome:
    """Accepted now; the first acceptance decides whether the unit responded on time."""
    case.accepted_at = now
    if case.responded_on_time is None:
        case.responded_on_time = case.response_due is None or now <= case.response_due
    return Outcome()


def return_(case: Case, now: datetime.datetime, details: Details) -> Outcome:
    """Back to the desk that dispatched it (the county hotline desk for a case routed at
    intake), which dispatches again; the returner takes no desk action on it meanwhile."""
    returner = case.unit_id
    case.unit, case.dispatched_at = _dispatching_desk(case, returner), None
    case.returned_by_id = returner
    if case.unit is not None:
        case.level = case.unit.level
    return Outcome()


def resolve(case: Case, now: datetime.datetime, details: Details) -> Outcome:
    case.resolved_at = now
    return Outcome()


def escalate(case: Case, now: datetime.datetime, details: Details) -> Outcome:
    """To the next level's handler (409 at the top level)."""
    _escalate(case, now)
    return Outcome({"level": case.level})


def verify(case: Case, now: datetime.datetime, details: Details) -> Outcome:
    case.site_checked = True
    return Outcome()


def review(case: Case, now: datetime.datetime, details: Details) -> Outcome:
    """Closed as resolved with the resident's satisfaction; a patrol finding needs its site
    check first (409)."""
    value = details.get("satisfaction")
    if value not in Satisfaction.values:
        raise CaseError(E.INVALID_VALUE, _("请选择满意度"), field="satisfaction")
    if case.needs_site_check and not case.site_checked:
        raise CaseConflict(
            E.SITE_CHECK_REQUIRED,
            _("巡查发现的问题须经网格员现场核查后才能结案"),
            field="action",
        )
    case.satisfaction, case.closure, case.closed_at = value, Closure.RESOLVED, now
    return Outcome()


def answer(case: Case, now: datetime.datetime, details: Details) -> Outcome:
    case.closure, case.closed_at = Closure.ANSWERED, now
    return Outcome()


def reject(case: Case, now: datetime.datetime, details: Details) -> Outcome:
    case.closure, case.closed_at = Closure.REJECTED, now
    return Outcome()


def merge(case: Case, now: datetime.datetime, details: Details) -> Outcome:
    """Closed as merged into another open case (never itself)."""
    into = details.get("into")
    if not isinstance(into, Case) or into.pk == case.pk or into.state == State.CLOSED:
        raise CaseError(E.INVALID_VALUE, _("请选择一件未结案的诉求合并"), field="into")
    case.merged_into, case.closure, case.closed_at = into, Closure.MERGED, now
    return Outcome({"into": into.pk})


def reopen(case: Case, now: datetime.datetime, details: Details) -> Outcome:
    """Only a handled and reviewed case reopens (409 otherwise). The first reopening goes back
    to the same handler with a fresh resolution limit; a second one escalates to the next
    level, dispatched (the one effect that overrides the table)."""
    if case.closure != Closure.RESOLVED:
        raise CaseConflict(E.INVALID_TRANSITION, _("只有办结回访后的诉求才能重办"), field="action")
    case.reopen_count += 1
    case.closure, case.closed_at, case.resolved_at, case.site_checked = "", None, None, False
    if case.reopen_count >= 2:
        _escalate(case, now)
        return Outcome({"escalated": True, "level": case.level}, state=State.DISPATCHED)
    case.limit_started_at = now
    case.resolution_due = sla.resolution_due(case.matter, now)
    case.reminded, case.overdue = 0, False
    return Outcome()


def supervise(case: Case, now: datetime.datetime, details: Details) -> Outcome:
    case.supervised = True
    return Outcome()


def urge(case: Case, now: datetime.datetime, details: Details) -> Outcome:
    case.urge_count += 1
    return Outcome()


def note(case: Case, now: datetime.datetime, details: Details) -> Outcome:
    """A note changes nothing but the timeline (the event itself)."""
    return Outcome()


def assist(case: Case, now: datetime.datetime, details: Details) -> Outcome:
    """Another unit co-handles the case (协办, once per unit) and is told in its inbox."""
    unit = details.get("unit")
    if not isinstance(unit, Unit) or unit.pk == case.unit_id:
        raise CaseError(E.INVALID_VALUE, _("请选择另一个协办单位"), field="unit")
    CaseAssist.objects.get_or_create(case=case, unit=unit)
    notify_case(case, Action.ASSIST, f"{case.number} {Action.ASSIST.label}", unit_id=unit.pk)
    return Outcome({"unit": unit.pk})
