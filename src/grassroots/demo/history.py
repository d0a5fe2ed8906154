"""A year of case history, played through the real intake and workflow services.

Each case of `case_plan.draw_plan` is registered with `cases.services.case_intake` and driven
with `cases.workflow.case_apply`, every step back-dated (`at=`) and taken by someone who holds
the right post: the hotline operator registers calls and makes review visits, grid workers
report and check patrol problems, community, township and department staff accept and resolve
what is dispatched to their unit, the county leader supervises and urges. Each step comes after
the one before and before the demo's now (`case_plan.Clock`); a step that would fall later is not
taken, so recent cases are still open. Some handlers finish on the day a case falls due, late
in the day, so at now some cases are due later today. Finally the real sweep runs at now and
flags (and escalates) what is overdue, as the running system would have.
"""

from __future__ import annotations

import contextlib
import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from grassroots.areas.choices import Level as AreaLevel
from grassroots.areas.choices import UnitLevel
from grassroots.areas.models import Area, Post, Unit
from grassroots.cases import sla, workcalendar
from grassroots.cases.choices import Action, Channel, LimitUnit, Satisfaction, State
from grassroots.cases.models import Case
from grassroots.cases.services import Intake, case_intake, case_sweep
from grassroots.cases.workflow import case_apply
from grassroots.core.models import User
from grassroots.core.roles import Role
from grassroots.demo import addresses, data
from grassroots.demo import case_notes as notes
from grassroots.demo import case_plan as plan
from grassroots.demo.families import Family, Member
from grassroots.demo.matters import Catalogue
from grassroots.demo.residents import Registry

_HOUR = datetime.timedelta(hours=1)
_MINUTE = datetime.timedelta(minutes=1)
# How often a handler resolves a case in the last hours before it falls due.
AT_THE_DEADLINE = 0.4


class Stop(Exception):
    """The next step would fall on or after the demo's now: the case stays where it is."""


@dataclass
class Staff:
    """Who holds which post: handlers by unit, grid workers by grid, staff by community."""

    handlers: dict[int, list[User]] = field(default_factory=dict)
    grid_workers: dict[int, User] = field(default_factory=dict)
    community: dict[int, list[User]] = field(default_factory=dict)
    logins: dict[str, User] = field(default_factory=dict)


def staff_on_duty(logins: dict[str, User]) -> Staff:
    """Every active post's holder, one User object per person (scopes are cached on it)."""
    staff = Staff(logins=dict(logins))
    people = {u.pk: u for u in logins.values()}
    handling = {Role.COMMUNITY_STAFF, Role.TOWNSHIP_STAFF, Role.DEPARTMENT_HANDLER}
    posts = Post.objects.filter(ended_on__isnull=True).select_related("person", "post_type", "area")
    for post in posts.order_by("id"):
        person = people.setdefault(post.person_id, post.person)
        role = post.post_type.role
        if post.unit_id is not None and role in handling:
            staff.handlers.setdefault(post.unit_id, []).append(person)
        if role == Role.GRID_WORKER and post.area and post.area.level == AreaLevel.GRID3:
            staff.grid_workers[post.area.pk] = person
        if role == Role.COMMUNITY_STAFF and post.area is not None:
            staff.community.setdefault(post.area.pk, []).append(person)
    return staff


@dataclass
class Placed:
    area: Area
    family: Family | None = None
    caller: Member | None = None


class Player:
    """Plays the drafted cases one after the other."""

    def __init__(
        self,
        *,
        rng: random.Random,
        staff: Staff,
        registry: Registry,
        catalogue: Catalogue,
        grids: dict[str, list[Area]],
        clock: plan.Clock,
    ) -> None:
        self.rng = rng
        self.now = clock.now
        self.staff = staff
        self.registry = registry
        self.catalogue = catalogue
        self.grids = grids  # micro grids by community name, in tree order
        self.by_code = {a.code: a for g in grids.values() for a in g}
        self.villages = {a.name: a for a in Area.objects.filter(level=AreaLevel.VILLAGE)}
        self.townships = {a.name: a for a in Area.objects.filter(level=AreaLevel.TOWNSHIP)}
        self.units = {u.pk: u for u in Unit.objects.all()}
        self.hotline = staff.logins["hotline"]
        self.leader = staff.logins["leader"]

    # -- who ---------------------------------------------------------------------------------

    def _pick(self, people: list[User]) -> User | None:
        if not people:
            return None
        demo = [p for p in people if p.username in self.staff.logins]
        if demo and self.rng.random() < 0.5:
            return demo[0]
        return self.rng.choice(people)

    def handler(self, case: Case) -> User | None:
        return self._pick(self.staff.handlers.get(case.unit_id or 0, []))

    def community_staff(self, area: Area) -> User | None:
        return self._pick(self.staff.community.get(area.community_id or 0, []))

    def reviewer(self, case: Case) -> User | None:
        local = self.community_staff(case.area) if case.area is not None else None
        return local if local is not None and self.rng.random() < 0.25 else self.hotline

    # -- where -------------------------------------------------------------------------------

    def _grid(self, where: plan.Where) -> Area:
        if where.community:
            grids = self.grids[where.community]
            if where.block:
                first = (where.block - 1) * addresses.GRIDS_PER_BLOCK
                grids = grids[first : first + addresses.GRIDS_PER_BLOCK] or grids
            return self.rng.choice(grids)
        return self.by_code[self.rng.choice(self.registry.families).grid]

    def place(self, d: plan.Draft) -> Placed:
        w = d.where
        spec = self.catalogue.matters[d.matter]
        rural = w.kind == "anywhere" and spec.level == "county" and d.channel == Channel.HOTLINE
        if w.kind == "village" or (rural and self.rng.random() < 0.12):
            village = self.villages.get(w.village) or self.rng.choice(list(self.villages.values()))
            return Placed(village)
        if w.kind == "township":
            return Placed(self.townships[w.township])
        if d.channel == Channel.STATION:
            w = plan.Where("grid", data.RELOCATION_COMMUNITY, block=w.block)
        grid = self._grid(w)
        callers = self.registry.callers(grid.code)
        if d.anonymous or d.channel == Channel.PATROL or not callers:
            return Placed(grid)
        family, caller = self.rng.choice(callers)
        return Placed(grid, family, caller)

    def _point(self, area: Area) -> dict[str, float]:
        """A point well inside the area's bounding box, as the lat and lon of an intake."""
        box = (area.min_lon, area.min_lat, area.max_lon, area.max_lat)
        west, south, east, north = (v or 0.0 for v in box)
        if not (west < east and south < north):
            return {}
        lon = west + (east - west) * self.rng.uniform(0.2, 0.8)
        lat = south + (north - south) * self.rng.uniform(0.2, 0.8)
        return {"lat": round(lat, 6), "lon": round(lon, 6)}

    def intake(self, d: plan.Draft, placed: Placed, at: datetime.datetime) -> Case:
        area, caller = placed.area, placed.caller
        mapped = d.channel in (Channel.PATROL, Channel.WEB) and area.level == AreaLevel.GRID3
        where: dict[str, Any] = self._point(area) if mapped else {}
        if not where and placed.family is not None:
            where["household"] = self.registry.household_ids[placed.family.number]
        elif not where:
            where["area"] = area.pk
        answer = ""
        if d.fate == plan.ANSWER:
            article = self.catalogue.articles[d.matter][0]
            first = article.body.split("。")[0]
            answer = notes.ANSWERED.format(title=article.title, first=first)
        actors: dict[str, User | None] = {
            Channel.HOTLINE: self.hotline,
            Channel.PATROL: self.staff.grid_workers.get(area.pk),
            Channel.VISIT: self.community_staff(area),
            Channel.STATION: self.staff.logins["community"],
        }
        actor = actors.get(d.channel)
        case, _created = case_intake(
            actor=actor,
            intake=Intake(
                matter=d.matter,
                channel=d.channel,
                description=d.description,
                reporter_name=caller.name if caller else "",
                reporter_phone=caller.phone if caller else "",
                answer=answer,
                **where,
            ),
            at=at,
        )
        return case

    # -- when --------------------------------------------------------------------------------

    def _check(self, t: datetime.datetime) -> datetime.datetime:
        if t >= self.now:
            raise Stop
        return t

    def daytime(self, t: datetime.datetime) -> datetime.datetime:
        """`t`, or 8–9 o'clock of the next morning if `t` falls in the night."""
        local = t.astimezone(plan.SHANGHAI)
        if 8 <= local.hour < 21:
            return local
        morning = local.date() + datetime.timedelta(days=1 if local.hour >= 21 else 0)
        start = datetime.datetime.combine(morning, datetime.time(8, self.rng.randrange(60)))
        return start.replace(tzinfo=plan.SHANGHAI)

    def later(
        self, start: datetime.datetime, share: float, unit: str, amount: float
    ) -> datetime.datetime:
        """`share` of a limit of `amount` `unit`s after `start`, in that limit's kind of time."""
        if unit == LimitUnit.CALENDAR_HOURS:
            return start + share * amount * _HOUR
        hours = share * amount * (7 if unit == LimitUnit.WORKING_DAYS else 1)
        return workcalendar.add_working_hours(sla.calendar(), start, hours)

    def after(self, last: datetime.datetime, low: float, high: float) -> datetime.datetime:
        """Some hours after `last`, in the day."""
        return self.daytime(last + self.rng.uniform(low, high) * _HOUR)

    def accept_time(self, case: Case, last: datetime.datetime, late: bool) -> datetime.datetime:
        due = case.response_due or last + 2 * _HOUR
        m = case.matter
        if late:
            t = self.daytime(due + self.rng.uniform(0.5, 30) * _HOUR)
        else:
            t = min(
                self.later(last, self.rng.uniform(0.05, 0.8), m.response_unit, m.response_amount),
                due,
            )
        return max(t, last + self.rng.randint(1, 9) * _MINUTE)

    def resolve_time(self, case: Case, last: datetime.datetime, late: bool) -> datetime.datetime:
        due = case.resolution_due or last + 24 * _HOUR
        m = case.matter
        if late or due <= last + 15 * _MINUTE:
            return self.daytime(max(due, last) + self.rng.uniform(2, 96) * _HOUR)
        if self.rng.random() < AT_THE_DEADLINE:
            return max(due - self.rng.uniform(5, 150) * _MINUTE, last + 10 * _MINUTE)
        t = self.later(last, self.rng.uniform(0.1, 0.9), m.resolution_unit, m.resolution_amount)
        return max(min(t, due - 5 * _MINUTE), last + 10 * _MINUTE)

    # -- how ---------------------------------------------------------------------------------

    def apply(
        self, case: Case, action: str, actor: User | None, at: datetime.datetime, **kw: Any
    ) -> Case:
        case, _event = case_apply(case_id=case.pk, action=action, actor=actor, at=at, **kw)
        return case

    def play(self, d: plan.Draft) -> Case:
        """Register the case and take its steps until its fate is met or now is reached."""
        placed = self.place(d)
        case = self.intake(d, placed, d.created)
        if case.state == State.CLOSED:
            return case
        for _ in range(d.duplicates):
            self._duplicate(d, case, placed)
        with contextlib.suppress(Stop):
            self._steps(d, case)
        return case

    def _steps(self, d: plan.Draft, case: Case) -> None:
        last = case.created_at
        if case.state == State.RECEIVED:
            last = self._check(last + self.rng.randint(3, 30) * _MINUTE)
            case = self.apply(case, Action.DISPATCH, self.hotline, last)
        if d.fate in (plan.REJECT, plan.REDIRECT):
            case, last = self._return(d, case, last)
            if d.fate == plan.REJECT:
                return
        if d.fate == plan.UNACCEPTED:
            return
        case, last = self._accept(d, case, last)
        if d.supervise:
            last = self._check(last + self.rng.randint(10, 180) * _MINUTE)
            note = self.rng.choice(notes.SUPERVISED)
            case = self.apply(case, Action.SUPERVISE, self.leader, last, note=note)
        if d.fate == plan.STALL:
            self._urge(case, last, self.now)
            return
        if d.fate == plan.ESCALATE:
            t = self._check(self.after(last, 2, 48))
            note = notes.ESCALATED.get(case.level, notes.ESCALATED["township"])
            case = self.apply(case, Action.ESCALATE, self.handler(case), t, note=note)
            case, last = self._accept(d, case, t, late=False)
        for i, satisfaction in enumerate(d.reviews):
            if case.state == State.DISPATCHED:  # escalated by a second reopening
                case, last = self._accept(d, case, last, late=False)
            case, last = self._resolve(d, case, last, late=d.late_resolve and i == 0)
            case, last = self._review(case, last, satisfaction)

    def _return(
        self, d: plan.Draft, case: Case, last: datetime.datetime
    ) -> tuple[Case, datetime.datetime]:
        t = self._check(self.after(last, 0.3, 6))
        reason = self.rng.choice(notes.RETURNED)
        case = self.apply(case, Action.RETURN, self.handler(case), t, note=reason)
        t = self._check(t + self.rng.randint(10, 180) * _MINUTE)
        if d.fate == plan.REJECT:
            note = self.rng.choice(notes.REJECTED)
            return self.apply(case, Action.REJECT, self.hotline, t, note=note, public_note=note), t
        return self.apply(case, Action.DISPATCH, self.hotline, t, unit=self._redirect(d, case)), t

    def _redirect(self, d: plan.Draft, case: Case) -> Unit:
        """The unit a wrongly dispatched case goes to: the county unit for a community matter,
        else the community's station (or the township's office) of the case's area."""
        matter = self.catalogue.matters[d.matter]
        if matter.level != "county" or case.area is None:
            return matter.unit
        for unit in self.units.values():
            local = unit.level == UnitLevel.COMMUNITY and unit.area_id == case.area.community_id
            if local and self.staff.handlers.get(unit.pk):
                return unit
        office = [u for u in self.units.values() if u.level == UnitLevel.TOWNSHIP]
        return next((u for u in office if u.area_id == case.area.township_id), matter.unit)

    def _accept(
        self, d: plan.Draft, case: Case, last: datetime.datetime, late: bool | None = None
    ) -> tuple[Case, datetime.datetime]:
        t = self._check(self.accept_time(case, last, d.late_accept if late is None else late))
        return self.apply(case, Action.ACCEPT, self.handler(case), t), t

    def _urge(self, case: Case, last: datetime.datetime, before: datetime.datetime) -> None:
        due = case.resolution_due
        if due is None:
            return
        t = self.daytime(max(due, last) + self.rng.uniform(1, 24) * _HOUR)
        if t < before and t < self.now:
            note = self.rng.choice(notes.URGED)
            self.apply(case, Action.URGE, self.leader, t, note=note)

    def _resolve(
        self, d: plan.Draft, case: Case, last: datetime.datetime, late: bool
    ) -> tuple[Case, datetime.datetime]:
        t = self._check(self.resolve_time(case, last, late))
        if d.urge and late:
            self._urge(case, last, t)
        note = self.rng.choice(notes.resolved(case.matter.category))
        case = self.apply(case, Action.RESOLVE, self.handler(case), t, note=note, public_note=note)
        if case.needs_site_check and case.area is not None:
            t = self._check(self.after(t, 1, 24))
            worker = self.staff.grid_workers.get(case.area.pk)
            case = self.apply(case, Action.VERIFY, worker, t, note=self.rng.choice(notes.VERIFIED))
        return case, t

    def _review(
        self, case: Case, last: datetime.datetime, satisfaction: str
    ) -> tuple[Case, datetime.datetime]:
        t = self._check(self.after(last, 2, 48))
        note = self.rng.choice(notes.REVIEWED[Satisfaction(satisfaction)])
        case = self.apply(
            case, Action.REVIEW, self.reviewer(case), t, note=note, satisfaction=satisfaction
        )
        return case, t

    def _duplicate(self, d: plan.Draft, original: Case, placed: Placed) -> None:
        """Another call about the same outage, returned by the handler and merged by the desk."""
        t = original.created_at + self.rng.randint(5, 40) * _MINUTE
        if t + _HOUR >= self.now:
            return
        callers = self.registry.callers(placed.area.code) if placed.family else []
        other = Placed(placed.area, *self.rng.choice(callers)) if callers else Placed(placed.area)
        dup = self.intake(d, other, t)
        t += self.rng.randint(5, 30) * _MINUTE
        note = f"与工单{original.number}反映同一问题，请合并办理"
        dup = self.apply(dup, Action.RETURN, self.handler(dup), t, note=note)
        t += self.rng.randint(3, 20) * _MINUTE
        self.apply(
            dup, Action.MERGE, self.hotline, t, into=original, note=f"合并至工单{original.number}"
        )


def load_history(
    *,
    rng: random.Random,
    logins: dict[str, User],
    registry: Registry,
    catalogue: Catalogue,
    grids: dict[str, list[Area]],
    clock: plan.Clock,
    progress: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """Play the year of cases up to `clock.now` (`case_plan.draw_plan`), then run the real
    sweep at that moment; returns the sweep's counts."""
    player = Player(
        rng=rng,
        staff=staff_on_duty(logins),
        registry=registry,
        catalogue=catalogue,
        grids=grids,
        clock=clock,
    )
    for n, draft in enumerate(plan.draw_plan(rng, clock), 1):
        player.play(draft)
        if progress is not None and n % 500 == 0:
            progress(n)
    return case_sweep(now=clock.now)
