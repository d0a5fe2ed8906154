"""Registry changes noticed at the door (a new phone, a member moved out), proposed from a visit
and decided by the community: accepted changes go through the people app's own services
(`resident_update`, `resident_move`), so the registry is the one place they are typed."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.areas.models import path_of
from grassroots.core import crypto
from grassroots.core.models import User
from grassroots.core.roles import Perm
from grassroots.people import services as people_services
from grassroots.people.choices import MoveReason, ResidentStatus
from grassroots.people.errors import PhoneError
from grassroots.people.models import Household, Resident
from grassroots.people.privacy import Sealed, sealed_phone
from grassroots.visits.auditlog import VisitAuditAction
from grassroots.visits.choices import ProposalKind, ProposalState
from grassroots.visits.errors import VisitConflict, VisitError
from grassroots.visits.errors import VisitErrorCode as E
from grassroots.visits.models import RegistryProposal, Visit
from grassroots.visits.services.base import audit, require_area

MAX_PROPOSALS = 10
NOTE_LENGTH = 200
# The blind-index kind of a proposed phone in a visit's idempotency fingerprint.
FINGERPRINT_KIND = "visit-proposal-phone"


@dataclass(frozen=True)
class ProposalIn:
    """One change noticed at the door: `resident` (a member of the visited household), `kind`
    (phone or moved_out), the new `phone` for kind phone, an optional `note`."""

    resident: int
    kind: str
    phone: str = ""
    note: str = ""


@dataclass(frozen=True)
class Checked:
    resident: Resident
    kind: str
    phone: Sealed
    note: str


def proposals_check(household: Household, items: tuple[ProposalIn, ...]) -> list[Checked]:
    """Check the proposals of a visit to `household`; nothing is written.

    Guarantees: at most MAX_PROPOSALS, one per resident and kind; each resident an active member
    of the household (field `proposals.N.resident`); a known kind (`proposals.N.kind`); a phone
    proposal carries a valid phone different from the registered one, sealed at once (field
    `proposals.N.phone`); a move-out carries no phone.
    """
    if len(items) > MAX_PROPOSALS:
        raise VisitError(E.INVALID_VALUE, _("变更建议过多"), field="proposals")
    members = {
        r.pk: r for r in Resident.objects.filter(household=household, status=ResidentStatus.ACTIVE)
    }
    seen: set[tuple[int, str]] = set()
    out: list[Checked] = []
    for i, item in enumerate(items):
        where = f"proposals.{i}"
        if item.kind not in ProposalKind.values:
            raise VisitError(E.INVALID_VALUE, _("未知的变更类型"), field=f"{where}.kind")
        resident = members.get(item.resident)
        if resident is None:
            raise VisitError(E.INVALID_VALUE, _("须是这一户的在册成员"), field=f"{where}.resident")
        if (resident.pk, item.kind) in seen:
            raise VisitError(E.INVALID_VALUE, _("同一变更只能提一次"), field=f"{where}.kind")
        seen.add((resident.pk, item.kind))
        note = " ".join(item.note.split())
        if len(note) > NOTE_LENGTH:
            raise VisitError(E.INVALID_VALUE, _("说明过长"), field=f"{where}.note")
        phone = Sealed("", "", "")
        if item.kind == ProposalKind.PHONE:
            if not item.phone.strip():
                raise VisitError(E.REQUIRED, _("请填写新的联系电话"), field=f"{where}.phone")
            try:
                phone = sealed_phone(item.phone)
            except PhoneError as exc:
                raise VisitError(exc.code, exc.message, field=f"{where}.phone") from None
            if phone.index == resident.phone_index:
                raise VisitError(E.INVALID_VALUE, _("与登记的联系电话相同"), field=f"{where}.phone")
        elif item.phone.strip():
            raise VisitError(E.INVALID_VALUE, _("迁出不需要填写电话"), field=f"{where}.phone")
        out.append(Checked(resident, item.kind, phone, note))
    return out


def fingerprint_phone(raw: str) -> str:
    """What a visit's idempotency fingerprint keeps of a proposed phone: a keyed index, never
    the number (the fingerprint is stored)."""
    return crypto.blind_index(raw.strip(), kind=FINGERPRINT_KIND) if raw.strip() else ""


def proposals_store(*, actor: User, visit: Visit, checked: list[Checked]) -> None:
    """Write the checked proposals of `visit` (inside the caller's transaction), each audited
    with ids and the kind only (the phone stays sealed)."""
    for c in checked:
        proposal = RegistryProposal.objects.create(
            visit=visit,
            area_id=visit.area_id,
            **path_of(visit.area),
            resident=c.resident,
            kind=c.kind,
            phone_enc=c.phone.enc,
            phone_masked=c.phone.masked,
            note=c.note,
            proposed_by=actor,
        )
        audit(actor, VisitAuditAction.PROPOSAL_CREATE, "registry_proposal", proposal.pk,
              {"visit": visit.pk, "resident": c.resident.pk, "kind": c.kind})  # fmt: skip


def proposal_decide(
    *, actor: User | None, proposal: RegistryProposal, accept: bool, reason: str = ""
) -> RegistryProposal:
    """Accept (apply to the registry) or reject a pending proposal, in one transaction.

    Guarantees: EDIT_PEOPLE over the proposal's grid (NotFound outside scope); the proposal is
    locked and re-read, a decided one is 409 `proposal_decided`; a rejection names its reason
    (field `reason`); a phone is applied by `people.services.resident_update` (sealed there), a
    move-out by `people.services.resident_move` (dated the visit's day) and refused when the
    resident has left the household meanwhile (field `resident`). One audit row of its own
    besides the registry's.
    """
    require_area(actor, Perm.EDIT_PEOPLE, proposal.area, "registry_proposal")
    why = " ".join((reason or "").split())
    if not accept and not why:
        raise VisitError(E.REQUIRED, _("请填写不采纳的原因"), field="reason")
    if len(why) > NOTE_LENGTH:
        raise VisitError(E.INVALID_VALUE, _("原因过长"), field="reason")
    with transaction.atomic():
        locked = (
            RegistryProposal.objects.select_for_update()
            .select_related("visit", "area")
            .get(pk=proposal.pk)
        )
        if locked.state != ProposalState.PENDING:
            raise VisitConflict(E.PROPOSAL_DECIDED, _("这条变更建议已处理"), field="state")
        if accept:
            _apply(actor, locked)
        locked.state = ProposalState.ACCEPTED if accept else ProposalState.REJECTED
        locked.reason = why
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.save(update_fields=["state", "reason", "decided_by", "decided_at"])
        action = VisitAuditAction.PROPOSAL_ACCEPT if accept else VisitAuditAction.PROPOSAL_REJECT
        changes = {"resident": locked.resident_id, "kind": locked.kind, "state": locked.state}
        audit(actor, action, "registry_proposal", locked.pk, changes)
    return locked


def _apply(actor: User | None, proposal: RegistryProposal) -> None:
    resident = Resident.objects.select_related("area").get(pk=proposal.resident_id)
    if proposal.kind == ProposalKind.PHONE:
        people_services.resident_update(
            actor=actor, resident=resident, changes={"phone": crypto.decrypt(proposal.phone_enc)}
        )
        return
    if (
        resident.status != ResidentStatus.ACTIVE
        or resident.household_id != proposal.visit.household_id
    ):
        raise VisitError(E.INVALID_VALUE, _("该居民已不在这一户"), field="resident")
    people_services.resident_move(
        actor=actor,
        resident=resident,
        to=None,
        reason=MoveReason.MOVED_OUT,
        on=proposal.visit.visited_on,
    )
