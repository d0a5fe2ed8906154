"""Grid health (网格运行不顺畅): explicit rules over rollups, each with the facts that fired it.

Rules, per micro grid (thresholds are settings):

- no_patrol: no case reported on patrol or at a home visit and no home visit logged
  (`visits.Visit`) in the last 30 days, judged only where such work is the norm: in a community
  where at least PATROL_NORM (half) of the micro grids reported or visited in those 30 days.
  Elsewhere the rule is inactive for lack of data (the work has not started): silence there
  says nothing about a grid.
- visits_overdue: at least VISITS_OVERDUE_MIN households whose planned visit (the visit plans,
  `visits.due`) is overdue by more than VISITS_GRACE_DAYS: due visits left undone. Read from
  the households' visit state that the figures' refresher keeps (`visits.coverage`: as of
  the last refresh, one GROUP BY over the grids), never from the households themselves; the
  grid links to its households on the due list. Judged only for a viewer who may read the
  registry (VIEW_PEOPLE) over the area: the due list is theirs.
- overdue_share: open overdue cases above DASHBOARD_OVERDUE_SHARE (default 20%) of open cases;
- slow_response: the median response time (registration → acceptance) of the last 90 days lies
  in a slower histogram bucket than the county's, for a grid with at least RESPONSE_MIN responses
  in those days (the median of one or two cases says nothing);
- unsatisfied: at least 2 cases registered in the last 90 days reviewed unsatisfied.

A rule without data does not fire: besides no_patrol's norm, slow_response needs responses in
the county in 90 days, unsatisfied needs review visits, overdue_share needs open cases; the page
names each inactive rule and why (`GridHealth.inactive`).

`evaluate` is pure; `grid_health` reads everything in a fixed number of queries whatever the
cases, visits and households: three for the case figures, one for the visits of the last 30 days
and, with a viewer, one over the households' visit state.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.conf import settings
from django.db.models import Count, Min, Q, Sum
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grassroots.areas.models import Area
from grassroots.areas.scope import scope_for
from grassroots.core.models import User
from grassroots.core.roles import Perm
from grassroots.dashboard.definitions import BUCKET_FIELDS, bucket_label, median_bucket
from grassroots.dashboard.models import DailyFigure
from grassroots.visits.models import HouseholdVisitDue, Visit

PATROL_DAYS = 30
WINDOW_DAYS = 90
UNSATISFIED_MIN = 2
RESPONSE_MIN = 3
# The share of a community's micro grids that must have reported on patrol or a visit in the
# last PATROL_DAYS before its silent grids are flagged.
PATROL_NORM = 0.5
# The monthly report lists at most this many flagged grids and matters (the rest: linked pages).
REPORT_GRIDS = 20
REPORT_MATTERS = 15
# Due visits left undone: this many households overdue by more than VISITS_GRACE_DAYS.
VISITS_OVERDUE_MIN = 3
VISITS_GRACE_DAYS = 14
ALL_RULES = frozenset(
    {"no_patrol", "overdue_share", "slow_response", "unsatisfied", "visits_overdue"}
)

RULES = (
    ("no_patrol", gettext_lazy("近 30 天没有巡查上报或入户走访")),
    (
        "visits_overdue",
        format_lazy(
            gettext_lazy("按走访计划逾期未走访超过 {g} 天的户达到 {n} 户及以上"),
            g=VISITS_GRACE_DAYS,
            n=VISITS_OVERDUE_MIN,
        ),
    ),
    ("overdue_share", gettext_lazy("超期件占未结案件比例高于阈值")),
    ("slow_response", gettext_lazy("近 90 天签收用时中位数慢于全县（签收 3 件及以上的网格）")),
    ("unsatisfied", gettext_lazy("近 90 天不满意回访 2 件及以上")),
)


def overdue_threshold() -> float:
    return float(getattr(settings, "DASHBOARD_OVERDUE_SHARE", 0.2))


@dataclass
class GridFacts:
    """What the rules look at for one grid."""

    patrol_30: int = 0
    visits_30: int = 0
    open_now: int = 0
    overdue_now: int = 0
    unsatisfied_90: int = 0
    buckets_90: dict[str, int] = field(default_factory=dict)
    # households whose planned visit is overdue by more than VISITS_GRACE_DAYS, and the most
    # days one of them is overdue
    visits_overdue: int = 0
    visits_overdue_days: int = 0

    @property
    def worked_30(self) -> bool:
        """Whether the grid reported on patrol or visited a household in the last 30 days."""
        return self.patrol_30 > 0 or self.visits_30 > 0


@dataclass
class CountyData:
    """Whether the rules have data to judge by, over the area of the page."""

    responses_90: int = 0
    reviewed_90: int = 0
    open_now: int = 0
    visits_judged: bool = False


class GridHealth(list[dict[str, Any]]):
    """The grids that break a rule (each {"area", "rules"}), plus `grids`: every micro grid
    judged, `inactive`: the rules that judged no grid or only some, for lack of data, in words
    ({"code", "label", "reason"}), and `by_community` (one query, when first read): per
    community, its micro grids, how many break a rule and how many break each."""

    def __init__(self, grids: list[Area]) -> None:
        super().__init__()
        self.grids = grids
        self.inactive: list[dict[str, str]] = []

    @cached_property
    def by_community(self) -> list[dict[str, Any]]:
        return _by_community(self.grids, self)


def evaluate(
    facts: GridFacts,
    *,
    county_bucket: int | None,
    threshold: float,
    active: frozenset[str] = ALL_RULES,
) -> list[tuple[str, str]]:
    """The `active` rules `facts` break, each as (code, the facts that fired it, in words). Pure."""
    fired: list[tuple[str, str]] = []
    if not facts.worked_30 and "no_patrol" in active:
        fired.append(("no_patrol", _("近 30 天巡查/走访上报 0 件，入户走访 0 次")))
    if facts.visits_overdue >= VISITS_OVERDUE_MIN and "visits_overdue" in active:
        fired.append(
            (
                "visits_overdue",
                _("逾期未走访超过 %(g)d 天的 %(n)d 户，最长逾期 %(d)d 天")
                % {
                    "g": VISITS_GRACE_DAYS,
                    "n": facts.visits_overdue,
                    "d": facts.visits_overdue_days,
                },
            )
        )
    if facts.open_now and facts.overdue_now / facts.open_now > threshold:
        fired.append(
            (
                "overdue_share",
                _("未结案 %(o)d 件，其中超期 %(d)d 件（%(p).0f%%，阈值 %(t).0f%%）")
                % {
                    "o": facts.open_now,
                    "d": facts.overdue_now,
                    "p": 100 * facts.overdue_now / facts.open_now,
                    "t": 100 * threshold,
                },
            )
        )
    own = median_bucket(facts.buckets_90)
    enough = sum(facts.buckets_90.values()) >= RESPONSE_MIN
    if own is not None and county_bucket is not None and own > county_bucket and enough:
        fired.append(
            (
                "slow_response",
                _("签收用时中位数 %(g)s，全县 %(c)s")
                % {"g": bucket_label(own), "c": bucket_label(county_bucket)},
            )
        )
    if facts.unsatisfied_90 >= UNSATISFIED_MIN:
        fired.append(("unsatisfied", _("近 90 天不满意 %(n)d 件") % {"n": facts.unsatisfied_90}))
    return fired


def _grids(area: Area) -> list[Area]:
    if area.level == "grid3":
        return [area]
    return list(Area.objects.filter(area.subtree_q(), level="grid3").order_by("code"))


def _visit_facts(
    area: Area, facts: dict[int, GridFacts], actor: User | None, today: datetime.date
) -> bool:
    """Add the visits of the last 30 days (one query) and, for a viewer who may read the
    registry over `area`, the households overdue past the grace days (one GROUP BY over the
    households' visit state) to `facts`. Returns whether the overdue visits were judged."""
    since_30 = today - datetime.timedelta(days=PATROL_DAYS - 1)
    visited = (
        Visit.objects.filter(area.subtree_q(), visited_on__gte=since_30, visited_on__lte=today)
        .values("grid3")
        .annotate(n=Count("id"))
        .order_by()
    )
    for r in visited:
        if r["grid3"] is not None:
            facts.setdefault(r["grid3"], GridFacts()).visits_30 = r["n"]
    if actor is None or not scope_for(actor).covers_area(Perm.VIEW_PEOPLE, area):
        return False
    late = today - datetime.timedelta(days=VISITS_GRACE_DAYS)
    undone = (
        HouseholdVisitDue.objects.filter(area.subtree_q(), due_on__lt=late, grid3__isnull=False)
        .values("grid3")
        .annotate(n=Count("pk"), first=Min("due_on"))
        .order_by()
    )
    for r in undone:
        grid = r["grid3"]
        if grid is None:
            continue  # excluded by the filter; narrows the type
        f = facts.setdefault(grid, GridFacts())
        f.visits_overdue = r["n"]
        f.visits_overdue_days = (today - r["first"]).days
    return True


def grid_facts(
    area: Area, actor: User | None = None
) -> tuple[list[Area], dict[int, GridFacts], int | None, CountyData]:
    """The micro grids under `area`, their facts, the county's median response bucket and
    whether the rules have data: three queries, one for the visits and, with a viewer who may
    read the registry (`actor`), one for the overdue visits."""
    today = timezone.localdate()
    since_30 = today - datetime.timedelta(days=PATROL_DAYS - 1)
    since_90 = today - datetime.timedelta(days=WINDOW_DAYS - 1)
    recent = Q(day__gte=since_90)
    sums: dict[str, Any] = {
        "patrol_30": Sum("patrol", filter=Q(day__gte=since_30)),
        "open_now": Sum("open"),
        "overdue_now": Sum("overdue"),
        "unsatisfied_90": Sum("unsatisfied", filter=recent),
        **{f"s_{f}": Sum(f, filter=recent) for f in BUCKET_FIELDS},
    }
    grids = _grids(area)
    rows: Any = (
        DailyFigure.objects.filter(area.subtree_q(), grid3__isnull=False)
        .filter(recent | Q(open__gt=0))
        .values("grid3")
        .annotate(**sums)
        .order_by()
    )
    facts: dict[int, GridFacts] = {}
    for r in rows:
        facts[r["grid3"]] = GridFacts(
            patrol_30=int(r["patrol_30"] or 0),
            open_now=int(r["open_now"] or 0),
            overdue_now=int(r["overdue_now"] or 0),
            unsatisfied_90=int(r["unsatisfied_90"] or 0),
            buckets_90={f: int(r[f"s_{f}"] or 0) for f in BUCKET_FIELDS},
        )
    county = DailyFigure.objects.filter(county=area.county_id, day__gte=since_90).aggregate(
        reviewed=Sum("reviewed"), **{f"s_{f}": Sum(f) for f in BUCKET_FIELDS}
    )
    buckets = {f: int(county[f"s_{f}"] or 0) for f in BUCKET_FIELDS}
    data = CountyData(
        responses_90=sum(buckets.values()),
        reviewed_90=int(county["reviewed"] or 0),
        open_now=sum(f.open_now for f in facts.values()),
    )
    data.visits_judged = _visit_facts(area, facts, actor, today)
    return grids, facts, median_bucket(buckets), data


def _patrol_norm(grids: list[Area], facts: dict[int, GridFacts]) -> dict[int | None, bool]:
    """Per community (id): whether at least PATROL_NORM of its micro grids reported lately."""
    counts: dict[int | None, list[int]] = {}
    for grid in grids:
        seen = counts.setdefault(grid.community_id, [0, 0])
        seen[0] += 1
        seen[1] += facts.get(grid.pk, GridFacts()).worked_30
    return {c: n > 0 and reported / n >= PATROL_NORM for c, (n, reported) in counts.items()}


def _inactive(norm: dict[int | None, bool], data: CountyData) -> list[dict[str, str]]:
    labels = dict(RULES)
    out = []

    def add(code: str, reason: str) -> None:
        out.append({"code": code, "label": str(labels[code]), "reason": reason})

    judged = sum(norm.values())
    if judged < len(norm):
        reason = _(
            "只在近 30 天有巡查上报或入户走访的网格达到一半的社区（村）判定；"
            "%(n)d 个社区（村）中 %(k)d 个尚未达到，暂不判定"
        ) % {"n": len(norm), "k": len(norm) - judged}
        add("no_patrol", reason)
    if not data.open_now:
        add("overdue_share", _("当前没有未结案件"))
    if not data.responses_90:
        add("slow_response", _("全县近 90 天没有签收记录"))
    if not data.reviewed_90:
        add("unsatisfied", _("全县近 90 天没有回访记录"))
    if not data.visits_judged:
        add("visits_overdue", _("只对有权查看本区域居民台账的人判定（走访计划按户计算）"))
    return out


def _by_community(grids: list[Area], health: GridHealth) -> list[dict[str, Any]]:
    rows: dict[int | None, dict[str, Any]] = {}
    for grid in grids:
        row = rows.setdefault(
            grid.community_id, {"community_id": grid.community_id, "grids": 0, "flagged": 0}
        )
        row["grids"] += 1
    for h in health:
        row = rows[h["area"].community_id]
        row["flagged"] += 1
        for code, _facts in h["rules"]:
            row[code] = row.get(code, 0) + 1
    names = dict(
        Area.objects.filter(pk__in=[c for c in rows if c is not None]).values_list("pk", "name")
    )
    out = []
    for community_id, row in rows.items():
        row["name"] = names.get(community_id, "") if community_id else ""
        out.append(row)
    out.sort(key=lambda r: (-r["flagged"], r["name"]))
    return out


def grid_health(area: Area, actor: User | None = None) -> GridHealth:
    """Every micro grid under `area` that breaks an active rule, with the rules and their facts;
    the grids judged and the inactive rules ride along (a fixed number of queries). The
    overdue visits are judged only for `actor` holding VIEW_PEOPLE over `area` (the due list is
    theirs); without one that rule is listed as inactive."""
    grids, facts, county_bucket, data = grid_facts(area, actor)
    threshold = overdue_threshold()
    norm = _patrol_norm(grids, facts)
    out = GridHealth(grids)
    for grid in grids:
        active = ALL_RULES if norm.get(grid.community_id) else ALL_RULES - {"no_patrol"}
        if not data.visits_judged:
            active = active - {"visits_overdue"}
        fired = evaluate(
            facts.get(grid.pk, GridFacts()),
            county_bucket=county_bucket,
            threshold=threshold,
            active=active,
        )
        if fired:
            out.append({"area": grid, "rules": fired})
    out.inactive = _inactive(norm, data)
    return out


def rules_shown() -> list[dict[str, str]]:
    """The rules in words for the page, with the configured threshold."""
    return [{"code": code, "label": str(label)} for code, label in RULES] + [
        {
            "code": "threshold",
            "label": _("超期比例阈值：%(t).0f%%") % {"t": 100 * overdue_threshold()},
        }
    ]
