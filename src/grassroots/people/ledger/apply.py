"""The bulk write of an import (`ledger_import`): the only code that writes a ledger's rows.

One transaction holds the plan and the write, so the registry cannot change between the checks
and the writes, and a crash or a bad row never leaves half a household (SECURITY.md 21).

Every created resident gets what `people.services.resident_register` guarantees: an ID number
that passed GB 11643 and was sealed by `people.privacy` (ciphertext, blind index, masked copy),
a phone checked and sealed the same way, sex and birth date from the ID number, an open
membership row (start reason IMPORTED) and, for the head, the household's head pointer. Updates
of existing residents (matched by blind index) change only the fields the file fills, end the
open membership and open a new one when the household changes, and keep the membership's relation
in step, like `resident_update` and `resident_move`.

Audit: ONE "people.import" row per import, with the counts, the mode and the file's SHA-256,
instead of one change row per resident (a 100,000-row ledger would write 100,000 rows to the
hash chain, serialised on its head lock). The job row keeps the previewed changes, masked.
Rows are written in batches of 2,000: new rows with one `executemany` (SQLite) or COPY
(PostgreSQL) each (`bulk.create`, an order of magnitude faster than `bulk_create` for 100,000
wide rows), updates with `bulk_update`, tags with `bulk_create`; heads are set set-wise at the
end.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from grassroots.areas.models import Area
from grassroots.areas.scope import scope_for
from grassroots.core.audit import audit_record
from grassroots.core.models import User
from grassroots.core.roles import Perm
from grassroots.people.auditlog import PeopleAuditAction
from grassroots.people.choices import MoveReason, Politics, Relation, ResidentStatus
from grassroots.people.ledger import bulk
from grassroots.people.ledger.plan import CHUNK, build_plan
from grassroots.people.ledger.plan_state import Plan
from grassroots.people.ledger.spool import read_spool
from grassroots.people.ledger.validate import House, Person
from grassroots.people.models import Dwelling, Household, Membership, Resident, ResidentTag
from grassroots.people.privacy import tag_token
from grassroots.people.services.transfers import transfer_request

BATCH = 2000
WRITTEN = "written"
REJECTED = "rejected"
NEEDS_CONFIRMATION = "needs_confirmation"
_RESIDENT_FIELDS = (
    "name",
    "id_number_enc",
    "id_number_index",
    "id_number_masked",
    "sex",
    "birth_date",
    "phone_enc",
    "phone_index",
    "phone_masked",
    "household",
    "area",
    "relation",
    "ethnicity",
    "education",
    "employment",
    "occupation",
    "politics",
    "status",
    "notes",
)
_MEMBERSHIP_FIELDS = ("resident", "household", "relation", "started_on", "start_reason")
_UPDATED_FIELDS = [
    "name",
    "relation",
    "household",
    "area",
    "phone_enc",
    "phone_index",
    "phone_masked",
    "ethnicity",
    "education",
    "employment",
    "occupation",
    "politics",
    "notes",
    "updated_at",
]


@dataclass
class Outcome:
    """What `ledger_import` did: `status` is WRITTEN, REJECTED or NEEDS_CONFIRMATION."""

    status: str
    plan: Plan
    stale: bool = False  # a confirmed preview no longer matched the registry


def ledger_import(
    *,
    actor: User | None,
    spool: Path,
    within: Area | None,
    valid_only: bool,
    file_sha256: str,
    job_id: int,
    confirmed: str = "",
    today: datetime.date | None = None,
    tick: Callable[[str, int], None] | None = None,
) -> Outcome:
    """Plan the import of the checked rows in `spool` and write it if it may be written.

    Written (status WRITTEN) when the plan has no problem — or, with `valid_only`, for the rows
    that are valid and whose whole household is valid — and it changes no existing resident or
    household, or `confirmed` is the digest of the very preview the user confirmed. Otherwise
    nothing is written: REJECTED (problems, all-or-nothing mode) or NEEDS_CONFIRMATION (show
    `plan.changes`; `stale` when a confirmed preview no longer holds). Written and rejected
    imports each leave one audit row. Forbidden (403) without IMPORT_PEOPLE, NotFound outside
    `within`'s scope; every grid is checked again row by row.
    """
    if actor is not None:
        scope_for(actor).require(Perm.IMPORT_PEOPLE)
        if within is not None:
            scope_for(actor).require_area(Perm.IMPORT_PEOPLE, within, "area")
    day = today or timezone.localdate()
    with transaction.atomic():
        plan = build_plan(
            read_spool(spool),
            actor=actor,
            within=within,
            valid_only=valid_only,
            tick=(lambda n: tick("checking", n)) if tick else None,
        )
        if not plan.ok:
            _audit(actor, plan, "rejected", file_sha256, job_id, valid_only, within)
            return Outcome(REJECTED, plan)
        if (plan.changes or plan.household_updates) and confirmed != plan.digest:
            return Outcome(NEEDS_CONFIRMATION, plan, stale=bool(confirmed))
        writer = _Writer(plan, day, tick, actor)
        for record in read_spool(spool):
            writer.add(record)
        writer.finish()
        _audit(actor, plan, "ok", file_sha256, job_id, valid_only, within)
    return Outcome(WRITTEN, plan)


def _audit(
    actor: User | None,
    plan: Plan,
    result: str,
    sha256: str,
    job_id: int,
    valid_only: bool,
    within: Area | None,
) -> None:
    c = plan.counts
    audit_record(
        actor=actor,
        action=PeopleAuditAction.IMPORT,
        object_type="import_job",
        object_id=job_id,
        result=result,
        changes={
            "sha256": sha256,
            "mode": "valid_only" if valid_only else "all_or_nothing",
            "within": within.code if within is not None else None,
            "rows": c.rows,
            "error_rows": c.errors,
            "skipped_rows": c.skipped,
            "created": c.created,
            "updated": c.updated,
            "unchanged": c.unchanged,
            "households_created": c.households_created,
            "households_updated": c.households_updated,
        },
    )


class _Writer:
    """Writes the plan's rows in batches, households before the residents that need them."""

    def __init__(
        self,
        plan: Plan,
        today: datetime.date,
        tick: Callable[[str, int], None] | None,
        actor: User | None = None,
    ) -> None:
        self.plan = plan
        self.actor = actor
        self.transfers: list[Person] = []
        self.today = today
        self.now = timezone.now()
        self.tick = tick
        self.done = 0
        self.house_ids: dict[str, tuple[int, int]] = dict(plan.existing_households)
        self.pending_houses: dict[str, House] = {}
        self.creates: list[Person] = []
        self.updates: list[Person] = []
        self.heads: set[int] = set()  # households whose head was written
        self.tokens: dict[str, str] = {}
        if tick is not None:
            tick("writing", 0)  # the progress bar says so from the first row

    def add(self, record: object) -> None:
        if isinstance(record, House):
            self._need_house(record.number)
        elif isinstance(record, Person) and self.plan.writes(record):
            self._need_house(record.household)
            if record.id_index in self.plan.transfers:
                self.transfers.append(record)
                return
            target = self.updates if record.id_index in self.plan.updates else self.creates
            target.append(record)
            if len(target) >= BATCH:
                self._flush()

    def _need_house(self, number: str) -> None:
        if number in self.plan.new_households and number not in self.house_ids:
            decl = self.plan.households[number].decl
            if decl is not None:
                self.pending_houses.setdefault(number, decl)

    def finish(self) -> None:
        self._flush()
        # The plan guarantees one active head per written household: point at it, set-wise.
        households = sorted(self.heads)
        head = Resident.objects.filter(
            household=OuterRef("pk"), relation=Relation.HEAD, status=ResidentStatus.ACTIVE
        ).values("pk")[:1]
        for i in range(0, len(households), CHUNK):
            Household.objects.filter(pk__in=bulk.among(households[i : i + CHUNK], "bigint")).update(
                head=Subquery(head), updated_at=self.now
            )
        for number, notes in self.plan.household_updates.items():
            pk = self.house_ids[number][0]
            Household.objects.filter(pk=pk).update(notes=notes, updated_at=self.now)

    def _flush(self) -> None:
        self._create_houses()
        self._create_residents(self.creates)
        self._update_residents(self.updates)
        self._request_transfers(self.transfers)
        self.done += len(self.creates) + len(self.updates) + len(self.transfers)
        self.creates, self.updates, self.transfers = [], [], []
        if self.tick is not None:
            self.tick("writing", self.done)

    def _create_houses(self) -> None:
        houses = list(self.pending_houses.values())
        if not houses:
            return
        self.pending_houses = {}
        dwellings = _dwellings([(h.area_id, h.address) for h in houses])
        fresh: dict[tuple[int, str], House] = {}
        for h in houses:
            key = (h.area_id, h.address)
            if key not in dwellings and key not in fresh:
                fresh[key] = h
        pks = bulk.create(
            Dwelling,
            ("area", "address", "building", "unit", "room"),
            [(h.area_id, h.address, h.building, h.unit, h.room) for h in fresh.values()],
            self.now,
            key=("area", "address"),
        )
        dwellings.update(zip(fresh, pks, strict=True))
        pks = bulk.create(
            Household,
            ("number", "dwelling", "area", "notes"),
            [(h.number, dwellings[(h.area_id, h.address)], h.area_id, h.notes) for h in houses],
            self.now,
            key=("number",),
        )
        self.house_ids.update(
            {h.number: (pk, h.area_id) for h, pk in zip(houses, pks, strict=True)}
        )

    def _create_residents(self, people: list[Person]) -> None:
        if not people:
            return
        rows = []
        for p in people:
            household_id, area_id = self.house_ids[p.household]
            rows.append(
                (
                    p.name,
                    p.id_enc,
                    p.id_index,
                    p.id_masked,
                    p.sex,
                    bulk.day(p.birth_date),
                    p.phone_enc,
                    p.phone_index,
                    p.phone_masked,
                    household_id,
                    area_id,
                    p.relation,
                    p.ethnicity or "汉族",
                    p.education,
                    p.employment,
                    p.occupation,
                    p.politics or Politics.MASSES,
                    ResidentStatus.ACTIVE.value,
                    p.notes,
                )
            )
        pks = bulk.create(Resident, _RESIDENT_FIELDS, rows, self.now, key=("id_number_index",))
        today = bulk.day(self.today)
        stays = []
        written: list[tuple[Person, int, int | None]] = []
        for p, pk in zip(people, pks, strict=True):
            household_id = self.house_ids[p.household][0]
            started = bulk.day(p.started_on) if p.started_on else today
            stays.append((pk, household_id, p.relation, started, MoveReason.IMPORTED.value))
            written.append((p, pk, household_id))
        bulk.insert(Membership, _MEMBERSHIP_FIELDS, stays, self.now)
        self._after_write(written)

    def _update_residents(self, people: list[Person]) -> None:
        if not people:
            return
        current = Resident.objects.select_for_update().in_bulk(
            [self.plan.updates[p.id_index] for p in people]
        )
        rows: list[Resident] = []
        moved: list[tuple[Person, Resident]] = []
        relation_changed: dict[str, list[int]] = defaultdict(list)
        for p in people:
            r = current[self.plan.updates[p.id_index]]
            household_id, area_id = self.house_ids[p.household]
            if household_id != r.household_id:
                moved.append((p, r))
            elif p.relation != r.relation:
                relation_changed[p.relation].append(r.pk)
            r.name, r.relation, r.household_id, r.area_id = (
                p.name,
                p.relation,
                household_id,
                area_id,
            )
            if p.phone_index:
                r.phone_enc, r.phone_index, r.phone_masked = (
                    p.phone_enc,
                    p.phone_index,
                    p.phone_masked,
                )
            for f in ("ethnicity", "education", "employment", "occupation", "politics", "notes"):
                if getattr(p, f):
                    setattr(r, f, getattr(p, f))
            r.updated_at = self.now
            rows.append(r)
        Resident.objects.bulk_update(rows, _UPDATED_FIELDS, batch_size=BATCH)
        if moved:
            Membership.objects.filter(
                resident_id__in=[r.pk for _p, r in moved], ended_on__isnull=True
            ).update(ended_on=self.today, end_reason=MoveReason.TRANSFERRED)
            Membership.objects.bulk_create(
                [
                    Membership(
                        resident_id=r.pk,
                        household_id=self.house_ids[p.household][0],
                        relation=r.relation,
                        started_on=self.today,
                        start_reason=MoveReason.IMPORTED,
                    )
                    for p, r in moved
                ]
            )
        for relation, pks in relation_changed.items():
            Membership.objects.filter(resident_id__in=pks, ended_on__isnull=True).update(
                relation=relation
            )
        self._after_write([(p, r.pk, r.household_id) for p, r in zip(people, rows, strict=True)])

    def _request_transfers(self, people: list[Person]) -> None:
        """One pending transfer request per row whose ID number is held out of sight (rare: one
        by one, each audited by `transfer_request`)."""
        for p in people:
            transfer_request(
                actor=self.actor,
                resident=Resident.objects.get(pk=self.plan.transfers[p.id_index]),
                household=Household.objects.get(pk=self.house_ids[p.household][0]),
                name=p.name,
                relation=p.relation,
                source="import",
            )

    def _after_write(self, written: list[tuple[Person, int, int | None]]) -> None:
        tags: list[ResidentTag] = []
        for p, pk, household_id in written:
            if p.relation == Relation.HEAD and household_id is not None:
                self.heads.add(household_id)
            for code in p.tags:
                token = self.tokens.get(code) or self.tokens.setdefault(code, tag_token(code))
                tags.append(ResidentTag(resident_id=pk, token=token))
        if tags:
            ResidentTag.objects.bulk_create(tags, batch_size=BATCH, ignore_conflicts=True)


def _dwellings(keys: list[tuple[int, str]]) -> dict[tuple[int, str], int]:
    """The registered dwellings among (area, address) `keys`, queried CHUNK addresses at a time."""
    areas = sorted({a for a, _x in keys})
    addresses = sorted({x for _a, x in keys})
    found: dict[tuple[int, str], int] = {}
    for i in range(0, len(addresses), CHUNK):
        rows = Dwelling.objects.filter(
            area_id__in=areas, address__in=bulk.among(addresses[i : i + CHUNK])
        ).values_list("pk", "area_id", "address")
        found.update({(a, x): pk for pk, a, x in rows})
    return found
