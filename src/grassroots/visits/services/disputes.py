"""A dispute found on a visit becomes a screening record in one action (need → dispute).

The dispute is written by `disputes.services.dispute_screen` (found via "visit", the visit's
reference in `source_ref`); the visit links it (`Visit.dispute`) and the dispute page finds the
visit back through the reverse relation (`dispute.visits`): the disputes app never imports this
one.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from grassroots.core.models import User
from grassroots.core.roles import Perm
from grassroots.disputes import services as dispute_services
from grassroots.disputes.choices import FoundVia, PartyRole
from grassroots.disputes.models import Dispute
from grassroots.people.choices import ResidentStatus
from grassroots.people.models import Resident
from grassroots.visits.auditlog import VisitAuditAction
from grassroots.visits.errors import VisitConflict, VisitError
from grassroots.visits.errors import VisitErrorCode as E
from grassroots.visits.models import Visit
from grassroots.visits.services.base import audit, require_area

PartyIn = dispute_services.PartyIn


def visit_reference(visit: Visit) -> str:
    """The plain reference a dispute keeps of the visit it was found on (`source_ref`)."""
    return f"{visit.household.number}/{visit.visited_on:%Y%m%d}/{visit.pk}"


def default_parties(visit: Visit) -> tuple[PartyIn, ...]:
    """The household's members as parties (applicants): those met, else every active member."""
    met = list(visit.met.filter(status=ResidentStatus.ACTIVE).values_list("pk", flat=True))
    ids = met or list(
        Resident.objects.filter(
            household_id=visit.household_id, status=ResidentStatus.ACTIVE
        ).values_list("pk", flat=True)
    )
    return tuple(PartyIn(role=PartyRole.APPLICANT, resident=pk) for pk in sorted(ids))


def visit_to_dispute(
    *,
    actor: User,
    visit: Visit,
    kind: str,
    summary: str = "",
    risk: str = "",
    parties: tuple[PartyIn, ...] | None = None,
    found_on: datetime.date | None = None,
) -> tuple[Visit, Dispute]:
    """Turn what was found on `visit` into a dispute in one action, linked both ways.

    Guarantees: the actor sees the visit (NotFound otherwise) and `dispute_screen`'s own checks
    hold (HANDLE_DISPUTES over the visit's grid, kind, parties in scope, …; its refusals name
    the field); the summary defaults to the visit's risks, needs and opinions (field `summary`
    when all are empty); parties default to the household's members (`default_parties`); the
    dispute is found via "visit" on the visit's day with the visit's reference. The visit is
    locked and re-read: a second attempt is 409 `already_a_dispute`. Both are written or
    neither.
    """
    require_area(actor, Perm.VIEW_PEOPLE, visit.area, "visit")
    text = (summary or "").strip() or "\n".join(
        t for t in (visit.risks, visit.needs, visit.opinions) if t
    )
    if not text:
        raise VisitError(E.REQUIRED, _("请填写纠纷概要"), field="summary")
    with transaction.atomic():
        locked = Visit.objects.select_for_update().select_related("household").get(pk=visit.pk)
        if locked.dispute_id is not None:
            raise VisitConflict(
                E.ALREADY_A_DISPUTE, _("这次走访发现的问题已登记为矛盾纠纷"), field="dispute"
            )
        dispute = dispute_services.dispute_screen(
            actor=actor,
            screening=dispute_services.Screening(
                area=locked.area_id,
                kind=kind,
                summary=text,
                found_via=FoundVia.VISIT,
                found_on=found_on or locked.visited_on,
                parties=default_parties(locked) if parties is None else parties,
                risk=risk,
                source_ref=visit_reference(locked),
            ),
        )
        locked.dispute = dispute
        locked.save(update_fields=["dispute"])
        audit(actor, VisitAuditAction.VISIT_TO_DISPUTE, "visit", locked.pk,
              {"household": locked.household_id, "dispute": dispute.pk})  # fmt: skip
    return locked, dispute
