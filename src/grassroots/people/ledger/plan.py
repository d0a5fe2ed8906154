"""What an import would do: the cross-row and registry checks, and the preview of updates.

`build_plan` reads the checked rows once, keeping only compact keys per row (position, household
number, blind index), and asks the registry in chunks of 900 blind indexes. It decides, for every
row, one of: error, skipped (valid, but its household is not — "valid rows only" mode), create,
update (an existing resident, matched by blind index, whose values differ) or unchanged. Reads
only; `apply` writes. The digest changes whenever what would be written changes, so a confirmed
preview can be checked against the registry as it is when the write starts.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from types import SimpleNamespace
from typing import Any

from django.utils.translation import gettext as _

from grassroots.areas.choices import ANCESTOR_COLUMNS
from grassroots.areas.models import Area
from grassroots.areas.scope import scope_for
from grassroots.core.models import User
from grassroots.core.roles import Perm
from grassroots.people.choices import Relation, ResidentStatus
from grassroots.people.errors import PeopleErrorCode as E
from grassroots.people.ledger import diff
from grassroots.people.ledger.bulk import among
from grassroots.people.ledger.columns import HOUSEHOLDS, RESIDENT_COLUMNS, RESIDENTS
from grassroots.people.ledger.layout import Problem
from grassroots.people.ledger.plan_state import HouseState, Key, Plan
from grassroots.people.ledger.validate import House, Person, Rejected
from grassroots.people.models import Household, Resident, ResidentTag, Tag
from grassroots.people.rules import may_tag_vulnerable, resident_refusals

CHUNK = 900
_AREA = [f"area__{c}" for c in ANCESTOR_COLUMNS]
_TAGS = next(c.header for c in RESIDENT_COLUMNS if c.field == "tags")


class _Planner:
    def __init__(self, *, actor: User | None, within: Area | None, valid_only: bool) -> None:
        self.scope = scope_for(actor) if actor is not None else None
        self.within = within
        self.plan = Plan(valid_only=valid_only)
        self.ids: dict[str, int] = {}  # blind index → the 人 row it first appears on
        self.dup_flagged: set[int] = set()
        self.batch: list[Person] = []
        self.changes_by_house: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.tag_names: dict[str, str] | None = None
        self.vulnerable_tags: set[str] | None = None
        self.areas: dict[int, Area | None] = {}

    def state(self, number: str) -> HouseState:
        hs = self.plan.households.get(number)
        if hs is None:
            hs = self.plan.households[number] = HouseState()
        return hs

    def problem(self, key: Key, column: str, fld: str, code: str, msg: str) -> None:
        self.plan.problems.setdefault(key, []).append(
            Problem(key[0], key[1], column, fld, code, msg)
        )

    # -- one pass over the rows ------------------------------------------------------------

    def add(self, record: House | Person | Rejected) -> None:
        self.plan.counts.rows += 1
        if isinstance(record, Rejected):
            self.plan.problems.setdefault((record.sheet, record.row), []).extend(record.problems)
            if record.household:
                self.state(record.household).rejected = True
        elif isinstance(record, House):
            self._declare(record)
        else:
            self._person(record)

    def _declare(self, house: House) -> None:
        hs = self.state(house.number)
        key = (house.sheet, house.row)
        if hs.decl_key is not None and hs.decl_key[0] == HOUSEHOLDS:
            msg = _("户编号在“户”表中重复（第 %(a)d 行和第 %(b)d 行）") % {
                "a": hs.decl_key[1],
                "b": house.row,
            }
            self.problem(key, "户编号", "number", E.DUPLICATE_HOUSEHOLD, msg)
            self.problem(hs.decl_key, "户编号", "number", E.DUPLICATE_HOUSEHOLD, msg)
            return
        hs.decl, hs.decl_key = house, key

    def _person(self, person: Person) -> None:
        hs = self.state(person.household)
        key = (RESIDENTS, person.row)
        hs.members.append((person.row, person.id_index))
        if person.house is not None:
            if hs.decl is None:
                hs.decl, hs.decl_key = person.house, key
            elif hs.decl.place() != person.house.place():
                msg = _("本户的网格或地址与第 %(row)d 行（“%(sheet)s”表）不一致") % {
                    "row": hs.decl.row,
                    "sheet": hs.decl.sheet,
                }
                self.problem(key, "地址", "address", E.HOUSEHOLD_MISMATCH, msg)
        first = self.ids.get(person.id_index)
        if first is not None:
            self._duplicate(person.row, first)
        else:
            self.ids[person.id_index] = person.row
        if person.relation == Relation.HEAD:
            hs.heads.append((person.row, person.id_index))
        if person.tags and self.scope is not None:
            if self.vulnerable_tags is None:
                self.vulnerable_tags = set(
                    Tag.objects.filter(vulnerable=True).values_list("code", flat=True)
                )
            if self.vulnerable_tags.intersection(person.tags):
                hs.vulnerable.append((person.row, person.tags))
        self.batch.append(person)
        if len(self.batch) >= CHUNK:
            self._match()

    def _duplicate(self, row: int, first: int) -> None:
        msg = _("身份证号在文件中重复：与第 %(row)d 行相同") % {"row": first}
        self.problem((RESIDENTS, row), "身份证号", "id_number", E.DUPLICATE_ID, msg)
        if first not in self.dup_flagged:
            self.dup_flagged.add(first)
            msg = _("身份证号在文件中重复：与第 %(row)d 行相同") % {"row": row}
            self.problem((RESIDENTS, first), "身份证号", "id_number", E.DUPLICATE_ID, msg)

    # -- the registry, 900 blind indexes at a time ----------------------------------------

    def _match(self) -> None:
        batch, self.batch = self.batch, []
        found = {
            r["id_number_index"]: r
            for r in Resident.objects.filter(
                id_number_index__in=among([p.id_index for p in batch])
            ).values(*diff.RESIDENT_VALUES, *_AREA)
        }
        if not found:
            return
        tags: dict[int, set[str]] = defaultdict(set)
        if any(p.tags for p in batch if p.id_index in found):
            pks = [r["pk"] for r in found.values()]
            for resident_id, token in ResidentTag.objects.filter(resident_id__in=pks).values_list(
                "resident_id", "token"
            ):
                tags[resident_id].add(token)
        for person in batch:
            current = found.get(person.id_index)
            if current is not None:
                self._existing(person, current, tags[current["pk"]])

    def _existing(self, person: Person, current: dict[str, Any], tokens: set[str]) -> None:
        key = (RESIDENTS, person.row)
        if key in self.plan.problems:
            return
        area = SimpleNamespace(**{f"{c}_id": current[f"area__{c}"] for c in ANCESTOR_COLUMNS})
        if not self._covers(area):
            if self.scope is not None and not self.scope.covers_area(Perm.VIEW_PEOPLE, area):
                # Held where the importer cannot see: planned as a new resident, written as a
                # transfer request to the holder's grid (issue 15 #4: no existence oracle).
                self.plan.transfers[person.id_index] = current["pk"]
                return
            msg = _("该身份证号已登记在本次导入的范围外，请在系统中办理迁移")
            self.problem(key, "身份证号", "id_number", E.ID_OUT_OF_SCOPE, msg)
            return
        if current["status"] != ResidentStatus.ACTIVE:
            msg = _("该居民已迁出或死亡，不能通过导入修改，请在系统中办理")
            self.problem(key, "身份证号", "id_number", E.RESIDENT_INACTIVE, msg)
            return
        if (
            current["relation"] == Relation.HEAD
            and current["household__number"] != person.household
        ):
            msg = _("该居民是户“%(n)s”的户主，不能通过导入迁往其他户；请先在系统中变更户主") % {
                "n": current["household__number"]
            }
            self.problem(key, "户编号", "household", E.HEAD_MOVES, msg)
            return
        if person.tags and self.tag_names is None:
            self.tag_names = dict(Tag.objects.values_list("code", "name"))
        changes = diff.resident_changes(person, current, tokens, self.tag_names or {})
        if not changes:
            self.plan.unchanged.add(person.id_index)
            return
        self.plan.updates[person.id_index] = current["pk"]
        entry = {"sheet": person.sheet, "row": person.row, "name": person.name}
        entry |= {"id": person.id_masked, "changes": changes}
        self.changes_by_house[person.household].append(entry)

    def _covers(self, area: Any) -> bool:
        if self.scope is not None and not self.scope.covers_area(Perm.IMPORT_PEOPLE, area):
            return False
        return self.within is None or self.within.contains(area)

    def _area(self, pk: int) -> Area | None:
        if pk not in self.areas:
            self.areas[pk] = Area.objects.filter(pk=pk).first()
        return self.areas[pk]

    def _vulnerable(self, hs: HouseState, area: Any) -> None:
        """The rows of `hs` that set vulnerable tags where the actor may not (`people.rules`, as
        `resident_set_tags`): VIEW_VULNERABLE must cover the household's grid, `area`."""
        allowed = area is not None and may_tag_vulnerable(self.scope, area)
        if self.tag_names is None:
            self.tag_names = dict(Tag.objects.values_list("code", "name"))
        for row, tags in hs.vulnerable:
            for refusal in resident_refusals(
                tags=tags,
                tag_names=self.tag_names,
                vulnerable=self.vulnerable_tags or (),
                may_tag_vulnerable=allowed,
            ):
                self.problem((RESIDENTS, row), _TAGS, refusal.field, refusal.code, refusal.message)

    # -- households and heads, once every row was seen -------------------------------------

    def finish(self) -> Plan:
        if self.batch:
            self._match()
        numbers = list(self.plan.households)
        for i in range(0, len(numbers), CHUNK):
            chunk = numbers[i : i + CHUNK]
            existing = {
                r["number"]: r
                for r in Household.objects.filter(number__in=among(chunk)).values(
                    *diff.HOUSEHOLD_VALUES, *_AREA
                )
            }
            for number in chunk:
                self._household(number, self.plan.households[number], existing.get(number))
        self._heads()
        self._mark_bad()
        self._tally()
        return self.plan

    def _household(self, number: str, hs: HouseState, current: dict[str, Any] | None) -> None:
        keys = [hs.decl_key] if hs.decl_key else [(RESIDENTS, row) for row, _i in hs.members]
        if current is None:
            if hs.decl is not None:
                self.plan.new_households.add(number)
                if hs.vulnerable:
                    self._vulnerable(hs, self._area(hs.decl.area_id))
                return
            msg = _("户编号“%(n)s”既不在“户”表中，也未在系统中登记") % {"n": number[:40]}
            for key in keys:
                self.problem(key, "户编号", "household", E.HOUSEHOLD_NOT_FOUND, msg)
            return
        area = SimpleNamespace(**{f"{c}_id": current[f"area__{c}"] for c in ANCESTOR_COLUMNS})
        if not self._covers(area):
            msg = _("户编号“%(n)s”已在您的管辖范围外登记") % {"n": number[:40]}
            for key in keys:
                self.problem(key, "户编号", "household", E.HOUSEHOLD_OUT_OF_SCOPE, msg)
            return
        self.plan.existing_households[number] = (current["pk"], current["area_id"])
        if hs.vulnerable:
            self._vulnerable(hs, area)
        if hs.decl is None or hs.decl_key is None:
            return
        if not diff.same_place(hs.decl, current):
            msg = _("户编号“%(n)s”已登记在其他网格或地址；整户搬迁请在系统中办理") % {
                "n": number[:40]
            }
            self.problem(hs.decl_key, "地址", "address", E.HOUSEHOLD_MOVED, msg)
        elif hs.decl.notes and hs.decl.notes != current["notes"]:
            self.plan.household_updates[number] = hs.decl.notes
            entry = {"sheet": hs.decl.sheet, "row": hs.decl.row, "name": number, "id": ""}
            entry["changes"] = [diff.change("notes", "备注", current["notes"], hs.decl.notes)]
            self.changes_by_house[number].insert(0, entry)

    def _heads(self) -> None:
        ids = {pk: n for n, (pk, _a) in self.plan.existing_households.items()}
        registered: dict[str, list[str]] = defaultdict(list)
        pks = list(ids)
        for i in range(0, len(pks), CHUNK):
            heads = Resident.objects.filter(
                household_id__in=among(pks[i : i + CHUNK], "bigint"),
                relation=Relation.HEAD,
                status=ResidentStatus.ACTIVE,
            ).values_list("household_id", "id_number_index")
            for household_id, index in heads:
                if index not in self.ids:  # a head who is in the file counts as the file says
                    registered[ids[household_id]].append(index)
        plan = self.plan
        for number, hs in plan.households.items():
            if number not in plan.new_households and number not in plan.existing_households:
                continue  # not found, or out of scope: already said so
            total = len(hs.heads) + len(registered.get(number, ()))
            if total == 0 and not hs.rejected:
                key = hs.decl_key or ((RESIDENTS, hs.members[0][0]) if hs.members else None)
                if key is not None:
                    msg = _("该户没有户主：每户须有且只有一名成员的“与户主关系”为“户主”")
                    self.problem(key, "与户主关系", "relation", E.NO_HEAD, msg)
            elif total > 1:
                rows = "、".join(str(row) for row, _i in hs.heads)
                if registered.get(number):
                    msg = _(
                        "该户已登记户主，文件中不能再填写户主（第 %(rows)s 行）；"
                        "更换户主须同时修改原户主的关系"
                    ) % {"rows": rows}
                else:
                    msg = _("该户有多名户主（第 %(rows)s 行），每户只能有一名") % {"rows": rows}
                for row, _index in hs.heads:
                    self.problem((RESIDENTS, row), "与户主关系", "relation", E.MANY_HEADS, msg)

    def _mark_bad(self) -> None:
        """A household is bad when any of its rows has a problem: none of it is written."""
        problems = self.plan.problems
        for hs in self.plan.households.values():
            hs.bad = (
                hs.rejected
                or (hs.decl_key is not None and hs.decl_key in problems)
                or any((RESIDENTS, row) in problems for row, _i in hs.members)
            )

    def _tally(self) -> None:
        plan, counts = self.plan, self.plan.counts
        counts.errors = len(plan.problems)
        for number, hs in plan.households.items():
            if hs.bad:
                counts.skipped += sum(
                    1 for row, _i in hs.members if (RESIDENTS, row) not in plan.problems
                )
                if (
                    hs.decl_key
                    and hs.decl_key[0] == HOUSEHOLDS
                    and hs.decl_key not in plan.problems
                ):
                    counts.skipped += 1
                plan.new_households.discard(number)
                plan.household_updates.pop(number, None)
                for _row, index in hs.members:
                    plan.updates.pop(index, None)
                continue
            plan.changes.extend(self.changes_by_house.get(number, []))
            for _row, index in hs.members:
                if index in plan.unchanged:
                    counts.unchanged += 1
                elif index in plan.updates:
                    counts.updated += 1
                else:
                    counts.created += 1
        counts.households_created = len(plan.new_households)
        counts.households_updated = len(plan.household_updates)
        plan.changes.sort(key=lambda e: (e["sheet"] != HOUSEHOLDS, e["row"]))
        payload: list[Any] = [plan.changes, sorted(plan.household_updates.items())]
        payload.append(sorted(plan.new_households))
        payload.append([counts.created, counts.updated, counts.unchanged, counts.skipped])
        text = json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str)
        plan.digest = hashlib.sha256(text.encode()).hexdigest()


def build_plan(
    records: Iterable[House | Person | Rejected],
    *,
    actor: User | None,
    within: Area | None,
    valid_only: bool,
    tick: Callable[[int], None] | None = None,
) -> Plan:
    """The plan of an import of `records` (from the spool) against the registry as it is now."""
    planner = _Planner(actor=actor, within=within, valid_only=valid_only)
    for n, record in enumerate(records, start=1):
        planner.add(record)
        if tick is not None and n % 1000 == 0:
            tick(n)
    return planner.finish()
