"""The dispute figures, each defined as a list filter so that its number is its rows' count.

| code | counts the disputes in scope … |
|---|---|
| found | found (found_on) in the period |
| settled | settled (state settled, settled_on) in the period |
| settled_<level> | of those, settled at the grid / community / township / county |
| high_risk_open | red and still open (待调解 or 调解中), whenever found |
| follow_ups_overdue | with a follow-up visit due before today and not done |

Each figure carries the link to the list filtered to exactly its rows; tests check that each
value equals the count of its list, on the page and in the API.

The same figures are registered with the figures registry (`SOURCE`, a count source: one
`Counter` each, the rows and the date that places them on a day — found_on, or settled_on for
the settled ones; the two "now" figures by found_on, summed over every day). Their rollup is
the generic `figures.SourceCount`, recomputed by `refresh-figures` when a dispute or a
follow-up changed (or the date did: "overdue" moves with it) and checked by `verify-figures`;
`/disputes/?figure=<name>&period_from=…&period_to=…` lists exactly the rows a figure counts.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from grassroots.core.models import User
from grassroots.disputes import selectors
from grassroots.disputes.choices import OPEN_STATES, Level, Risk, State
from grassroots.disputes.models import Dispute, FollowUp
from grassroots.disputes.selectors import DisputeFilters
from grassroots.figures import registry


@dataclass(frozen=True)
class Figure:
    code: str
    label: Any
    value: int
    filters: dict[str, str]

    @property
    def link(self) -> str:
        return reverse("disputes:list") + "?" + urlencode(self.filters)


Build = Callable[[datetime.date, datetime.date], DisputeFilters]


def _settled_at(level: str) -> Build:
    return lambda a, b: DisputeFilters(
        state=State.SETTLED, settled_from=a, settled_to=b, settled_level=level
    )


DEFINITIONS: list[tuple[str, Any, Build]] = [
    ("found", _("排查发现"), lambda a, b: DisputeFilters(found_from=a, found_to=b)),
    (
        "settled",
        _("化解"),
        lambda a, b: DisputeFilters(state=State.SETTLED, settled_from=a, settled_to=b),
    ),
    ("settled_grid", _("在网格化解"), _settled_at(Level.GRID)),
    ("settled_community", _("在社区（村）化解"), _settled_at(Level.COMMUNITY)),
    ("settled_township", _("在乡镇（街道）化解"), _settled_at(Level.TOWNSHIP)),
    ("settled_county", _("在县级化解"), _settled_at(Level.COUNTY)),
    (
        "high_risk_open",
        _("高风险未化解"),
        lambda a, b: DisputeFilters(risk=Risk.RED, open=True),
    ),
    (
        "follow_ups_overdue",
        _("回访逾期"),
        lambda a, b: DisputeFilters(follow_up_overdue=True),
    ),
]


# Figures about the disputes' state now, whenever found (their lists take no period).
CURRENT = ("high_risk_open", "follow_ups_overdue")


def default_period(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """This year so far: 1 January to tomorrow (exclusive)."""
    return datetime.date(today.year, 1, 1), today + datetime.timedelta(days=1)


def dispute_figures(
    *,
    actor: User,
    start: datetime.date,
    end: datetime.date,
    within: int | None = None,
) -> list[Figure]:
    """Every figure over the actor's scope (and `within`'s subtree), period [start, end)."""
    out = []
    for code, label, build in DEFINITIONS:
        f = build(start, end)
        f.within = within
        value = selectors.dispute_list(actor=actor, filters=f).count()
        out.append(Figure(code, label, value, f.query()))
    return out


def _stamp() -> tuple[Any, ...]:
    """Changes with any write to a dispute (`updated_at`) or a follow-up (added, done)."""
    d = Dispute.objects.aggregate(n=Count("pk"), hi=Max("updated_at"))
    f = FollowUp.objects.aggregate(n=Count("pk"), done=Count("done_on"), hi=Max("pk"))
    return (d["n"], str(d["hi"]), f["n"], f["done"], f["hi"])


def _settled(level: str | None = None) -> Callable[[datetime.date], Q]:
    q = Q(state=State.SETTLED) & (Q(settled_level=level) if level else Q())
    return lambda today: q


def _every(today: datetime.date) -> Q:
    return Q(pk__isnull=False)


def _high_risk_open(today: datetime.date) -> Q:
    return Q(risk=Risk.RED, state__in=OPEN_STATES)


SOURCE = registry.register_count_source(
    registry.CountSource(
        name="disputes",
        rows=Dispute.objects.all,
        counters=(
            registry.Counter("found", "found_on", _every),
            registry.Counter("settled", "settled_on", _settled()),
            *(
                registry.Counter(f"settled_{level.value}", "settled_on", _settled(level))
                for level in (Level.GRID, Level.COMMUNITY, Level.TOWNSHIP, Level.COUNTY)
            ),
            registry.Counter("high_risk_open", "found_on", _high_risk_open),
            registry.Counter("follow_ups_overdue", "found_on", selectors.overdue_follow_ups_q),
        ),
        stamp=_stamp,
        list_url="disputes:list",
    )
)
registry.register(
    *(
        registry.Figure(name=code, label=label, source="disputes", current=code in CURRENT)
        for code, label, _build in DEFINITIONS
    )
)
