"""The three-level linkage (搬迁社区 → 乡镇 → 县直部门) and the linked case.

An item the community cannot fulfil is escalated: first to the township, which opens a case
through the cases service (`case_intake`: the entitlement's matter routes it to the unit that
must act, with the matter's time limits and the cases' own escalation); then to the county
department, recorded on the case as a note. The item follows its case: when the case closes,
the item is fulfilled with the case's outcome as its evidence (`follow_case`, run by the
`relocation-sweep` job), and a note on the case says so. Each history names the other.

Effects run inside `workflow.item_apply`, under the item's row lock; raising writes nothing.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.cases.choices import Action as CaseAction
from grassroots.cases.choices import Channel
from grassroots.cases.choices import State as CaseState
from grassroots.cases.models import CaseEvent
from grassroots.cases.services import Intake, case_intake
from grassroots.cases.workflow import case_apply
from grassroots.core.models import User
from grassroots.relocation.choices import NEXT_LEVEL, Level
from grassroots.relocation.errors import RelocationConflict, RelocationError
from grassroots.relocation.errors import RelocationErrorCode as E
from grassroots.relocation.models import EntitlementItem


def item_label(item: EntitlementItem) -> str:
    """How a case names the item: its number, the entitlement and the household's number."""
    return _("易地搬迁权益事项 #%(n)s：%(e)s（户 %(h)s）") % {
        "n": item.pk,
        "e": item.entitlement.name,
        "h": item.relocated.household.number,
    }


def escalate(item: EntitlementItem, actor: User | None, details: dict[str, Any]) -> dict[str, Any]:
    """One level up. To the township: a linked case is opened; to the county: the case is told."""
    above = NEXT_LEVEL.get(Level(item.level))
    if above is None:
        raise RelocationConflict(
            E.NO_HIGHER_LEVEL, _("已在县直部门办理，不能再提级"), field="level", level=item.level
        )
    note = str(details.get("note") or "").strip()
    at = details["at"]
    item.level = above
    item.escalated_on = timezone.localdate(at)
    if item.case_id is None:
        matter = item.entitlement.matter.strip()
        if not matter:
            raise RelocationError(
                E.NO_MATTER,
                _("权益事项“%(e)s”没有配置转办的职能事项，不能提级") % {"e": item.entitlement.name},
                field="matter",
            )
        case, _created = case_intake(
            actor=actor,
            intake=Intake(
                matter=matter,
                channel=Channel.VISIT,
                description=f"{item_label(item)}\n{note}",
                household=item.relocated.household_id,
                extra={"entitlement_item": item.pk, "relocated_household": item.relocated_id},
            ),
            at=at,
        )
        item.case = case
        return {"case": case.pk, "case_number": case.number}
    case_apply(
        case_id=item.case_id,
        action=CaseAction.NOTE,
        actor=None,
        note=_("%(i)s 已提级至%(l)s：%(n)s")
        % {"i": item_label(item), "l": Level(above).label, "n": note},
        at=at,
    )
    return {"case": item.case_id}


def follow_case(
    item: EntitlementItem, actor: User | None, details: dict[str, Any]
) -> dict[str, Any]:
    """The linked case is closed: the item is fulfilled, its evidence the case's outcome."""
    case = item.case
    if case is None or case.state != CaseState.CLOSED:
        raise RelocationConflict(
            E.INVALID_TRANSITION, _("转办诉求尚未办结"), field="case", state=item.state
        )
    outcome = (
        CaseEvent.objects.filter(case=case, action=CaseAction.RESOLVE)
        .order_by("-at")
        .values_list("note", flat=True)
        .first()
    ) or case.get_state_display()
    item.evidence = _("转办诉求 %(c)s 已办结：%(o)s") % {"c": case.number, "o": outcome}
    item.fulfilled_on = timezone.localdate(details["at"])
    case_apply(
        case_id=case.pk,
        action=CaseAction.NOTE,
        actor=None,
        note=_("%(i)s 已据本诉求办结而落实") % {"i": item_label(item)},
        at=details["at"],
    )
    return {"case": case.pk, "case_number": case.number}
