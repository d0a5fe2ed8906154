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
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from grassroots.core.models import User
from grassroots.disputes import selectors
from grassroots.disputes.choices import Level, Risk, State
from grassroots.disputes.selectors import DisputeFilters


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
