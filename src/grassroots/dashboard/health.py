"""Grid health (网格运行不顺畅): explicit rules over rollups, each with the facts that fired it.

Rules, per micro grid (thresholds are settings):

- no_patrol: no case reported on patrol or at a home visit in the last 30 days;
- overdue_share: open overdue cases above DASHBOARD_OVERDUE_SHARE (default 20%) of open cases;
- slow_response: the median response time (registration → acceptance) of the last 90 days lies
  in a slower histogram bucket than the county's;
- unsatisfied: at least 2 cases registered in the last 90 days reviewed unsatisfied.

`evaluate` is pure; `grid_health` reads everything in three queries whatever the cases.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grassroots.areas.models import Area
from grassroots.dashboard.definitions import BUCKET_FIELDS, bucket_label, median_bucket
from grassroots.dashboard.models import DailyFigure

PATROL_DAYS = 30
WINDOW_DAYS = 90
UNSATISFIED_MIN = 2

RULES = (
    ("no_patrol", gettext_lazy("近 30 天没有巡查上报或入户走访")),
    ("overdue_share", gettext_lazy("超期件占未结案件比例高于阈值")),
    ("slow_response", gettext_lazy("近 90 天签收用时中位数慢于全县")),
    ("unsatisfied", gettext_lazy("近 90 天不满意回访 2 件及以上")),
)


def overdue_threshold() -> float:
    return float(getattr(settings, "DASHBOARD_OVERDUE_SHARE", 0.2))


@dataclass
class GridFacts:
    """What the rules look at for one grid."""

    patrol_30: int = 0
    open_now: int = 0
    overdue_now: int = 0
    unsatisfied_90: int = 0
    buckets_90: dict[str, int] = field(default_factory=dict)


def evaluate(
    facts: GridFacts, *, county_bucket: int | None, threshold: float
) -> list[tuple[str, str]]:
    """The rules `facts` break, each as (code, the facts that fired it, in words). Pure."""
    fired: list[tuple[str, str]] = []
    if facts.patrol_30 == 0:
        fired.append(("no_patrol", _("近 30 天巡查/走访上报 0 件")))
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
    if own is not None and county_bucket is not None and own > county_bucket:
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


def grid_facts(area: Area) -> tuple[list[Area], dict[int, GridFacts], int | None]:
    """The micro grids under `area`, their facts and the county's median response bucket:
    three queries."""
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
        **{f"s_{f}": Sum(f) for f in BUCKET_FIELDS}
    )
    return grids, facts, median_bucket({k[2:]: v for k, v in county.items()})


def grid_health(area: Area) -> list[dict[str, Any]]:
    """Every micro grid under `area` that breaks a rule, with the rules and their facts."""
    grids, facts, county_bucket = grid_facts(area)
    threshold = overdue_threshold()
    out = []
    for grid in grids:
        fired = evaluate(
            facts.get(grid.pk, GridFacts()), county_bucket=county_bucket, threshold=threshold
        )
        if fired:
            out.append({"area": grid, "rules": fired})
    return out


def rules_shown() -> list[dict[str, str]]:
    """The rules in words for the page, with the configured threshold."""
    return [{"code": code, "label": str(label)} for code, label in RULES] + [
        {
            "code": "threshold",
            "label": _("超期比例阈值：%(t).0f%%") % {"t": 100 * overdue_threshold()},
        }
    ]
