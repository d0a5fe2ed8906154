"""The list behind a figure over an area and a period: each app's own list, with the figure's
name, the area (`within`) and the period in the parameters that list reads.

| source | list | period parameters |
|---|---|---|
| cases | /cases/ (all=1) | from, to (end excluded) |
| visits | /visits/log/ | from, to (end included) |
| visit_plan | /visits/coverage/ | none (current) |
| disputes | /disputes/ | period_from, period_to |
| cadres, cadre_pay | /cadres/appraisals/, /cadres/pay-lines/ | period_from, period_to |
| any other count source | its registered `list_url` | from, to (end excluded) |

A `current` figure's list takes no period, nor does any list of the cumulative scorecard (累计).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse
from django.utils.http import urlencode

from grassroots.areas.models import Area
from grassroots.figures import registry

PERIOD_NAMES = {"disputes": "period", "cadres": "period", "cadre_pay": "period"}
URLS = {
    "cases": "cases:queue",
    "visits": "visits:log",
    "disputes": "disputes:list",
    "cadres": "cadres:appraisals",
    "cadre_pay": "cadres:pay-lines",
}


def link(
    fig: registry.Figure,
    area: Area,
    start: datetime.date,
    end: datetime.date,
    *,
    cumulative: bool = False,
) -> str:
    """The list of exactly the rows `fig` counts over `area`'s subtree and [start, end)
    (`cumulative`: every day, so no period in the list's parameters)."""
    query: dict[str, Any] = {"figure": fig.name, "within": area.pk}
    if fig.source == "cases":
        url = URLS["cases"]
    elif fig.source in URLS:
        url = URLS[fig.source]
    else:
        url = registry.count_source(fig.source).list_url
    if not fig.current and not cumulative:
        if PERIOD_NAMES.get(fig.source) == "period":
            query |= {"period_from": start.isoformat(), "period_to": end.isoformat()}
        elif fig.source == "visits":
            last = end - datetime.timedelta(days=1)
            query |= {"from": start.isoformat(), "to": last.isoformat()}
        else:
            query |= {"from": start.isoformat(), "to": end.isoformat()}
    if fig.source == "cases":
        query["all"] = "1"
    return reverse(url) + "?" + urlencode(query)
