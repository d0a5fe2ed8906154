"""The demo's party members, pairings, year of home visits and disputes, and grid health on the
fresh demo: checks over a loaded demo, run by `tests/test_demo.py` on its module's demo (loaded
once there; loading it again elsewhere would double the time)."""

from __future__ import annotations

import datetime
import statistics
from collections import Counter, defaultdict

import time_machine

from grassroots.areas.models import Area
from grassroots.cases.choices import Channel
from grassroots.core.models import User
from grassroots.demo import case_plan
from grassroots.demo.visiting import LAZY_GRIDS
from grassroots.disputes.choices import Level, Risk, State
from grassroots.disputes.models import Dispute, DisputeEvent, Mediation
from grassroots.people.models import Household, Resident, ResidentTag
from grassroots.people.privacy import tag_token
from grassroots.visits.due import due_rows
from grassroots.visits.models import Pairing, Visit

OPEN_STATES = (State.OPEN, State.MEDIATING)


def check_party_members_and_pairings() -> None:
    members = Resident.objects.filter(politics__in=("party", "probationary"), status="active")
    assert members.count() > 500
    assert not members.filter(party_branch="").exists()
    assert (
        not Resident.objects.exclude(politics__in=("party", "probationary"))
        .exclude(party_branch="")
        .exists()
    )
    active = Pairing.objects.filter(ended_on__isnull=True, primary=True)
    assert active.count() == Household.objects.count()
    assert active.values("household").distinct().count() == Household.objects.count()
    loads: dict[int | None, Counter[int]] = defaultdict(Counter)
    for community, member in active.values_list("community", "member"):
        loads[community][member] += 1
    for counts in loads.values():  # balanced within each community
        assert max(counts.values()) - min(counts.values()) <= 1


def check_a_year_of_visits(clock: case_plan.Clock) -> None:
    visits = Visit.objects.all()
    assert visits.count() > 20_000
    assert not visits.filter(visited_on__gt=clock.today).exists()
    assert not visits.filter(visited_on__lt=clock.first_day).exists()
    # every household was visited; the elderly living alone about monthly, with some gaps
    assert visits.values("household").distinct().count() == Household.objects.count()
    alone = set(
        ResidentTag.objects.filter(token=tag_token("elderly_alone")).values_list(
            "resident__household", flat=True
        )
    )
    days: dict[int, list[datetime.date]] = defaultdict(list)
    for hid, day in visits.filter(household__in=alone).values_list("household", "visited_on"):
        days[hid].append(day)
    gaps = [
        (b - a).days for d in days.values() for a, b in zip(sorted(d), sorted(d)[1:], strict=False)
    ]
    assert 25 <= statistics.median(gaps) <= 31
    assert max(gaps) > 40  # realistic gaps: a month skipped now and then
    # findings turned into cases, linked both ways, registered by the visit's day
    turned = visits.filter(case__isnull=False).select_related("case")
    assert turned.exists()
    for visit in turned:
        assert visit.case is not None
        assert visit.case.channel == Channel.VISIT
        assert visit.case.household_id == visit.household_id
        assert visit.case.created_at <= clock.now
        assert visit in visit.case.visits.all()


def check_disputes(clock: case_plan.Clock) -> None:
    disputes = Dispute.objects.all()
    settled = disputes.filter(state=State.SETTLED)
    assert disputes.count() > 60
    by_level = Counter(settled.values_list("settled_level", flat=True))
    assert by_level[Level.COMMUNITY] > settled.count() / 2  # mostly settled in the community
    assert by_level[Level.TOWNSHIP] >= 1
    assert disputes.filter(escalations__gt=0).count() >= 3
    red_open = disputes.filter(risk=Risk.RED, state__in=OPEN_STATES)
    assert red_open.count() == 1
    assert not disputes.filter(found_on__gt=clock.today).exists()
    assert not disputes.filter(created_at__gt=clock.now).exists()
    assert not DisputeEvent.objects.filter(at__gt=clock.now).exists()
    assert not Mediation.objects.filter(held_on__gt=clock.today).exists()
    assert not Mediation.objects.filter(outcome="settled", agreement_text="").exists()


def check_grid_health(clock: case_plan.Clock) -> None:
    """Grid health on the fresh demo, judged by the county leader at the demo's now: under 10%
    of the micro grids are flagged, and each for a reason its own rows show."""
    from grassroots.dashboard import health

    county = Area.objects.get(level="county")
    leader = User.objects.get(username="leader")
    with time_machine.travel(clock.now, tick=False):
        judged = health.grid_health(county, leader)
        rows = due_rows(actor=leader, horizon=0, overdue=True)
    grids = judged.grids
    assert 0 < len(judged) < 0.1 * len(grids), (len(judged), len(grids))
    assert "visits_overdue" not in {r["code"] for r in judged.inactive}
    overdue_by_grid = Counter(r.area_id for r in rows if r.overdue_days > health.VISITS_GRACE_DAYS)
    since = clock.today - datetime.timedelta(days=health.PATROL_DAYS - 1)
    codes: Counter[str] = Counter()
    for h in judged:
        grid = h["area"]
        for code, facts in h["rules"]:
            codes[code] += 1
            assert facts
            if code == "visits_overdue":
                assert overdue_by_grid[grid.pk] >= health.VISITS_OVERDUE_MIN
                assert str(overdue_by_grid[grid.pk]) in facts
            if code == "no_patrol":
                assert not Visit.objects.filter(area=grid, visited_on__gte=since).exists()
    # the grids whose worker stopped visiting are flagged for their undone visits
    assert codes["visits_overdue"] >= LAZY_GRIDS - 1
    # and the grids that visit on plan are not
    for grid_pk, n in overdue_by_grid.items():
        if n >= health.VISITS_OVERDUE_MIN:
            assert any(h["area"].pk == grid_pk for h in judged)
