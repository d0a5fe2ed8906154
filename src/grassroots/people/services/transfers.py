"""Registering a person, whether or not their ID number is held out of scope; and the holder's
answer to a transfer request (see `people.models_transfer`).

`resident_submit` answers alike for a free ID number and for one held by a resident the actor
cannot see: every check that could refuse the one refuses the other with the same error, and
neither raises once the checks pass. A free number is registered at once; a held one becomes a
pending `TransferRequest` routed to the holder's grid. A number held by a resident the actor can
see is refused as a duplicate, as before: the actor could find that resident by searching.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.areas.scope import scope_for
from grassroots.core.audit import audit_record
from grassroots.core.errors import Conflict
from grassroots.core.models import User
from grassroots.core.roles import Perm
from grassroots.people.auditlog import PeopleAuditAction
from grassroots.people.choices import MoveReason, Relation, TransferState
from grassroots.people.errors import PeopleErrorCode
from grassroots.people.models import Household, Resident
from grassroots.people.models_transfer import TransferRequest
from grassroots.people.privacy import sealed_id, sealed_phone
from grassroots.people.services.base import clean, require
from grassroots.people.services.residents import (
    registration_values,
    resident_move,
    resident_register,
)
from grassroots.people.services.tags import tags_check

MAX_NOTE = 200


@dataclass(frozen=True)
class Submission:
    """What `resident_submit` did. Callers answer the actor from `household`, `name` and
    `id_masked` only, never from which of `resident` / `transfer` is set."""

    household: Household
    name: str
    id_masked: str
    resident: Resident | None = None
    transfer: TransferRequest | None = None


def holder_hidden_from(actor: User | None, holder: Resident) -> bool:
    """Whether `holder` lies outside what `actor` may see (the system sees everything)."""
    return actor is not None and not scope_for(actor).covers_area(Perm.VIEW_PEOPLE, holder.area)


def resident_submit(
    *,
    actor: User | None,
    household: Household,
    name: str,
    id_number: str,
    relation: str = Relation.OTHER,
    phone: str = "",
    tags: Iterable[str] = (),
    **fields: Any,
) -> Submission:
    """Register a person into `household`, or request their transfer when their ID number is held
    by a resident the actor cannot see. The same checks, in the same order, refuse either case."""
    require(actor, Perm.EDIT_PEOPLE, household.area, "household")
    _info, sealed = sealed_id(id_number)
    holder = Resident.objects.filter(id_number_index=sealed.index).first()
    if holder is None or not holder_hidden_from(actor, holder):
        resident = resident_register(
            actor=actor,
            household=household,
            name=name,
            id_number=id_number,
            relation=relation,
            phone=phone,
            tags=tags,
            **fields,
        )
        return Submission(household, resident.name, sealed.masked, resident=resident)
    # the checks resident_register makes before it looks for a duplicate, then the tags'
    sealed_phone(phone)
    asked = registration_values(name=name, relation=relation, fields=fields)
    tags_check(actor=actor, area=household.area, codes=tags)
    transfer = transfer_request(
        actor=actor,
        resident=holder,
        household=household,
        name=asked["name"],
        relation=asked["relation"],
        source="api",
    )
    return Submission(household, asked["name"], sealed.masked, transfer=transfer)


def transfer_request(
    *,
    actor: User | None,
    resident: Resident,
    household: Household,
    name: str,
    relation: str,
    source: str,
) -> TransferRequest:
    """Record a pending request that `resident` join `household`; audited. No permission check:
    callers (`resident_submit`, the ledger import) have checked the actor over `household`."""
    with transaction.atomic():
        transfer = TransferRequest.objects.create(
            resident=resident,
            household=household,
            relation=relation,
            name=name[:60],
            source=source,
            requested_by=actor if actor is not None and actor.pk else None,
        )
        audit_record(
            actor=actor,
            action=PeopleAuditAction.TRANSFER_REQUEST,
            object_type="transfer_request",
            object_id=transfer.pk,
            changes={"resident": resident.pk, "household": household.pk, "source": source},
        )
    return transfer


def transfer_decide(
    *, actor: User, transfer: TransferRequest, accept: bool, note: str = ""
) -> TransferRequest:
    """The holder's answer. The actor needs EDIT_PEOPLE over the resident's grid (403 without
    it, NotFound outside scope); a request already answered is a Conflict. Accepting moves the
    resident into the requested household (their history keeps the old stay) in the same
    transaction as the answer; both are audited."""
    require(actor, Perm.EDIT_PEOPLE, transfer.resident.area, "transfer_request")
    note = clean("notes", note)[:MAX_NOTE]
    with transaction.atomic():
        locked = TransferRequest.objects.select_for_update().get(pk=transfer.pk)
        if locked.state != TransferState.PENDING:
            raise Conflict(PeopleErrorCode.NOT_PENDING, _("该申请已处理"), state=str(locked.state))
        locked.state = TransferState.ACCEPTED if accept else TransferState.DECLINED
        locked.decided_by, locked.decided_at, locked.note = actor, timezone.now(), note
        locked.save(update_fields=["state", "decided_by", "decided_at", "note"])
        if accept:
            resident = Resident.objects.select_related("area").get(pk=locked.resident_id)
            # The requester holds the right over the household; the holder answers for the
            # resident: the move itself runs with the system's authority, audited below.
            resident_move(
                actor=None,
                resident=resident,
                to=Household.objects.get(pk=locked.household_id),
                reason=MoveReason.MOVED_IN,
                relation=locked.relation,
            )
        audit_record(
            actor=actor,
            action=(
                PeopleAuditAction.TRANSFER_ACCEPT if accept else PeopleAuditAction.TRANSFER_DECLINE
            ),
            object_type="transfer_request",
            object_id=locked.pk,
            changes={"resident": locked.resident_id, "household": locked.household_id},
        )
    return locked
