"""What each preloaded ledger must hold, recomputed straight from the models (no code of the
reports app): one list of expected cells per row, in the ledger's order, and the 合计 row.

`UNKNOWN` marks a cell of a column declared unknowable: it must be blank.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils import timezone

from grassroots.areas.models import Area, Post
from grassroots.assets.models import Problem, ProblemAction
from grassroots.cadres.models import Appraisal, Cadre, Term
from grassroots.cases.choices import OPEN_STATES, Channel, Closure, Satisfaction, State
from grassroots.cases.models import Case
from grassroots.disputes.models import Dispute, Mediation, Party
from grassroots.figures import live
from grassroots.people.models import Household, Resident
from grassroots.relocation.models import EntitlementItem, Omission, RelocatedHousehold
from grassroots.training.models import Enrolment
from grassroots.visits.models import Visit

UNKNOWN = object()
Span = tuple[datetime.date | None, datetime.date | None]


def span(period: str) -> Span:
    if not period:
        return None, None
    if len(period) == 4:
        y = int(period)
        return datetime.date(y, 1, 1), datetime.date(y + 1, 1, 1)
    y, m = map(int, period.split("-"))
    return datetime.date(y, m, 1), datetime.date(y + (m == 12), m % 12 + 1, 1)


def aware(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


def grouped(qs: Any, key: str, agg: Any = None) -> dict[Any, Any]:
    return dict(qs.order_by().values_list(key).annotate(n=agg or Count("pk")))


def label(row: Any, field: str) -> Any:
    return getattr(row, f"get_{field}_display")() if getattr(row, field) else None


def yes_no(value: bool) -> str:
    return "是" if value else "否"


def totals(rows: list[list[Any]], summed: set[int]) -> list[Any]:
    return (
        [sum(r[i] or 0 for r in rows) if i in summed else None for i in range(len(rows[0]))]
        if rows
        else []
    )


def dispute_ledger(area: Area, period: str) -> tuple[list[list[Any]], None]:
    start, end = span(period)
    rows = list(
        Dispute.objects.filter(area.subtree_q(), found_on__gte=start, found_on__lt=end)
        .select_related("area")
        .order_by("found_on", "pk")
    )
    ids = [d.pk for d in rows]
    parties = grouped(Party.objects.filter(dispute_id__in=ids), "dispute_id")
    sessions = grouped(Mediation.objects.filter(dispute_id__in=ids), "dispute_id")
    return [
        [
            d.number,
            d.found_on,
            d.area.name,
            label(d, "kind"),
            d.summary,
            parties.get(d.pk, 0),
            label(d, "risk"),
            UNKNOWN,
            sessions.get(d.pk, 0),
            label(d, "state"),
            label(d, "settled_level"),
            d.settled_on,
        ]
        for d in rows
    ], None


def home_visit_ledger(area: Area, period: str) -> tuple[list[list[Any]], None]:
    start, end = span(period)
    rows = list(
        Visit.objects.filter(area.subtree_q(), visited_on__gte=start, visited_on__lt=end)
        .select_related("household__head", "household__dwelling", "area", "visitor", "member")
        .select_related("case")
        .order_by("visited_on", "pk")
    )
    met = grouped(Visit.met.through.objects.filter(visit_id__in=[v.pk for v in rows]), "visit_id")
    out = []
    for v in rows:
        h = v.household
        out.append(
            [
                v.visited_on,
                v.area.name,
                h.number,
                h.head.name if h.head else None,
                h.dwelling.address if h.dwelling else None,
                v.visitor.full_name if v.visitor else None,
                v.member.name if v.member else None,
                met.get(v.pk, 0),
                yes_no(v.all_well),
                v.needs,
                v.risks,
                v.case.number if v.case else None,
                UNKNOWN,
            ]
        )
    return out, None


def relocation_support_ledger(area: Area, period: str) -> tuple[list[list[Any]], list[Any]]:
    rows = list(
        RelocatedHousehold.objects.filter(area.subtree_q())
        .select_related("household__head", "household__dwelling", "origin_village")
        .select_related("helper__person")
        .order_by("area__code", "household__number", "pk")
    )
    ids = [r.pk for r in rows]
    members = grouped(
        Resident.objects.filter(household_id__in=[r.household_id for r in rows]), "household_id"
    )
    states: dict[int, Counter[str]] = defaultdict(Counter)
    open_names: dict[int, set[str]] = defaultdict(set)
    for rid, state, name in EntitlementItem.objects.filter(relocated_id__in=ids).values_list(
        "relocated_id", "state", "entitlement__name"
    ):
        states[rid][state] += 1
        if state in ("pending", "in_progress"):
            open_names[rid].add(name)
    omissions = grouped(
        Omission.objects.filter(relocated_id__in=ids, closed_on__isnull=True), "relocated_id"
    )
    out = []
    for r in rows:
        s = states[r.pk]
        out.append(
            [
                r.household.number,
                r.household.head.name if r.household.head else None,
                members.get(r.household_id, 0),
                r.origin_village.name if r.origin_village else None,
                r.relocated_year,
                r.household.dwelling.address if r.household.dwelling else None,
                sum(s.values()) - s["not_applicable"],
                s["fulfilled"],
                s["in_progress"],
                s["pending"],
                "、".join(sorted(open_names[r.pk])) or None,
                omissions.get(r.pk, 0),
                r.helper.person.full_name if r.helper else None,
                float(r.land_mu) if r.land_mu is not None else None,
                r.land_trustee,
                UNKNOWN,
            ]
        )
    return out, totals(out, {2, 6, 7, 8, 9, 11, 13})


def secretary_appraisal_ledger(area: Area, period: str) -> tuple[list[list[Any]], None]:
    start, end = span(period)
    assert start is not None and end is not None
    day = min(timezone.localdate(), end - datetime.timedelta(days=1))

    def holding(post: str) -> set[int]:
        terms = Term.objects.filter(post=post, started_on__lte=day).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gt=day)
        )
        return set(terms.values_list("cadre_id", flat=True))

    secretaries, directors = holding("secretary"), holding("director")
    rows = list(
        Cadre.objects.filter(area.subtree_q(), pk__in=secretaries)
        .select_related("resident", "area")
        .order_by("area__code", "pk")
    )
    annual = {
        a.cadre_id: a
        for a in Appraisal.objects.filter(year=start.year, period="annual").order_by("pk")
    }
    hours = grouped(
        Enrolment.objects.filter(
            cadre_id__in=[c.pk for c in rows],
            status="present",
            session__starts_on__gte=start,
            session__starts_on__lt=end,
        ),
        "cadre_id",
        Sum("hours"),
    )
    out = []
    for c in rows:
        a = annual.get(c.pk)
        out.append(
            [
                c.area.name,
                c.resident.name,
                label(c.resident, "sex"),
                c.resident.birth_date,
                label(c.resident, "education"),
                yes_no(c.pk in directors),
                float(a.total) if a and a.total is not None else None,
                label(a, "grade") if a else None,
                a.stars if a else None,
                hours.get(c.pk, 0),
                UNKNOWN,
            ]
        )
    return out, None


def training_ledger(area: Area, period: str) -> tuple[list[list[Any]], list[Any]]:
    start, end = span(period)
    rows = list(
        Enrolment.objects.filter(
            area.subtree_q(),
            cadre__isnull=False,
            session__starts_on__gte=start,
            session__starts_on__lt=end,
        )
        .select_related("session", "resident", "area")
        .order_by("area__code", "resident__name", "session__starts_on", "pk")
    )
    out = [
        [
            e.area.name,
            e.resident.name,
            e.session.title,
            label(e.session, "mode"),
            label(e.session, "delivery"),
            e.session.starts_on,
            e.session.organiser,
            label(e, "status"),
            e.hours,
            UNKNOWN,
        ]
        for e in rows
    ]
    return out, totals(out, {8})


def asset_cleanup_ledger(area: Area, period: str) -> tuple[list[list[Any]], list[Any]]:
    rows = list(
        Problem.objects.filter(area.subtree_q())
        .select_related("area__parent", "asset")
        .order_by("area__code", "found_on", "pk")
    )
    actions = grouped(
        ProblemAction.objects.filter(problem_id__in=[p.pk for p in rows]), "problem_id"
    )
    out = [
        [
            p.area.parent.name,
            p.area.name,
            p.asset.name if p.asset else None,
            label(p, "kind"),
            p.title,
            p.found_on,
            p.area_mu,
            p.amount_yuan,
            label(p, "status"),
            actions.get(p.pk, 0),
            p.resolved_on,
            p.recovered_mu,
            p.recovered_yuan,
            UNKNOWN,
        ]
        for p in rows
    ]
    return out, totals(out, {6, 7, 9, 11, 12})


def grid_worker_ledger(area: Area, period: str) -> tuple[list[list[Any]], list[Any]]:
    start, end = span(period)
    assert start is not None and end is not None
    grids = list(
        Area.objects.filter(area.subtree_q(), level="grid3")
        .select_related("parent")
        .order_by("code")
    )
    today = timezone.localdate()
    workers: dict[int, list[str]] = defaultdict(list)
    posts = Post.objects.filter(post_type__role="grid_worker", started_on__lte=today).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=today)
    )
    for area_id, name in posts.order_by("person__full_name").values_list(
        "area_id", "person__full_name"
    ):
        workers[area_id].append(name)
    households = grouped(Household.objects.all(), "area_id")
    residents = grouped(Resident.objects.filter(status="active"), "area_id")
    visits = Visit.objects.filter(visited_on__gte=start, visited_on__lt=end)
    visit_count = grouped(visits, "grid3")
    visited = grouped(visits, "grid3", Count("household_id", distinct=True))
    patrol = grouped(
        Case.objects.filter(
            channel__in=(Channel.PATROL, Channel.VISIT),
            created_at__gte=aware(start),
            created_at__lt=aware(end),
        ),
        "grid3",
    )
    found = grouped(Dispute.objects.filter(found_on__gte=start, found_on__lt=end), "grid3")
    out = [
        [
            g.parent.name,
            g.name,
            "、".join(workers[g.pk]) or None,
            households.get(g.pk, 0),
            residents.get(g.pk, 0),
            visit_count.get(g.pk, 0),
            visited.get(g.pk, 0),
            patrol.get(g.pk, 0),
            found.get(g.pk, 0),
            UNKNOWN,
        ]
        for g in grids
    ]
    return out, totals(out, {3, 4, 5, 6, 7, 8})


def _rate(n: int, d: int) -> float | None:
    return round(100 * n / d, 1) if d else None


def hotline_12345_monthly(area: Area, period: str) -> tuple[list[list[Any]], list[Any]]:
    start, end = span(period)
    assert start is not None and end is not None
    clock = live.clock()
    handed = ~Q(closure__in=(Closure.ANSWERED, Closure.REJECTED, Closure.MERGED))
    out = []
    for child in Area.objects.filter(parent=area).order_by("code"):
        cases = Case.objects.filter(child.subtree_q())
        month = cases.filter(created_at__gte=aware(start), created_at__lt=aware(end))
        late = Q(state=State.DISPATCHED, accepted_at__isnull=True, response_due__lt=clock)
        responded = month.filter(Q(responded_on_time__isnull=False) | late).count()
        on_time = month.filter(responded_on_time=True).count()
        handed_n = month.filter(handed).count()
        solved = month.filter(handed, state__in=(State.RESOLVED, State.CLOSED), reopen_count=0)
        reviewed = month.exclude(satisfaction="").count()
        satisfied = month.filter(
            satisfaction__in=(Satisfaction.SATISFIED, Satisfaction.BASIC), reopen_count=0
        ).count()
        out.append(
            [
                child.name,
                month.count(),
                month.filter(closure=Closure.ANSWERED).count(),
                handed_n,
                responded,
                on_time,
                _rate(on_time, responded),
                solved.count(),
                _rate(solved.count(), handed_n),
                reviewed,
                satisfied,
                _rate(satisfied, reviewed),
                cases.filter(state__in=OPEN_STATES, overdue=True).count(),
                UNKNOWN,
            ]
        )
    total = totals(out, {1, 2, 3, 4, 5, 7, 9, 10, 12})
    if out:
        total[6] = _rate(total[5], total[4])
        total[8] = _rate(total[7], total[3])
        total[11] = _rate(total[10], total[9])
    return out, total


RECOMPUTE = {
    "dispute-ledger": dispute_ledger,
    "home-visit-ledger": home_visit_ledger,
    "relocation-support-ledger": relocation_support_ledger,
    "secretary-appraisal-ledger": secretary_appraisal_ledger,
    "training-ledger": training_ledger,
    "asset-cleanup-ledger": asset_cleanup_ledger,
    "grid-worker-ledger": grid_worker_ledger,
    "hotline-12345-monthly": hotline_12345_monthly,
}
