"""The "走访与矛盾纠纷" section of a county's or township's dashboard: the registered visit and
dispute figures (`visits.figures`, `disputes.figures`) over the area's subtree, each linked to
the list that shows exactly its rows (`?figure=<name>`), read through `figures.counts` in a
fixed number of queries (per source: its freshness and one sum; see `counts.figure_counts`).

| shown | figure | period | list |
|---|---|---|---|
| 走访人次 | visits | the page's | /visits/log/ (dates: the page's, end included) |
| 走访计划覆盖率 | plan_coverage = plan_on_schedule ÷ plan_households | now | /visits/coverage/ |
| 逾期未走访户数 | plan_overdue | now | /visits/coverage/ |
| 排查发现 / 化解 | found / settled | the page's | /disputes/ (period_from, period_to) |
| 高风险未化解 / 回访逾期 | high_risk_open / follow_ups_overdue | now | /disputes/ |
"""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse
from django.utils.http import urlencode

from grassroots.areas.choices import Level
from grassroots.areas.models import Area
from grassroots.figures import counts, registry

# The levels whose dashboard shows the section.
LEVELS = frozenset({Level.COUNTY, Level.TOWNSHIP})
COUNTED = (
    "visits", "plan_households", "plan_on_schedule", "plan_overdue",
    "found", "settled", "high_risk_open", "follow_ups_overdue",
)  # fmt: skip


def _link(fig: registry.Figure, area: Area, start: datetime.date, end: datetime.date) -> str:
    """The list of exactly the figure's rows over `area`'s subtree (and the period)."""
    query: dict[str, Any] = {"figure": fig.name, "within": area.pk}
    if fig.source == "visits":
        last = end - datetime.timedelta(days=1)  # the visit log's `to` is included
        query |= {"from": start.isoformat(), "to": last.isoformat()}
        return reverse("visits:log") + "?" + urlencode(query)
    if fig.source == "disputes":
        if not fig.current:
            query |= {"period_from": start.isoformat(), "period_to": end.isoformat()}
        return reverse("disputes:list") + "?" + urlencode(query)
    return reverse("visits:coverage") + "?" + urlencode(query)


def pillar_figures(
    *, area: Area, start: datetime.date, end: datetime.date
) -> dict[str, Any] | None:
    """The section's figures over `area` and [start, end), each {"label", "value", "link"}
    by name, and the coverage rate (None without households under a plan); None when the
    area's dashboard does not show the section."""
    if area.level not in LEVELS:
        return None
    figs = [registry.figure(n) for n in COUNTED]
    found = [f for f in figs if f is not None]
    values = counts.figure_counts(found, area=area, start=start, end=end)
    shown = {
        f.name: {"label": f.label, "value": values[f.name], "link": _link(f, area, start, end)}
        for f in found
    }
    due = values.get("plan_households", 0)
    rate = values.get("plan_on_schedule", 0) / due if due else None
    return {"figures": shown, "coverage": rate}
