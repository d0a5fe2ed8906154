"""The relocation figures, registered with the figures registry (three count sources).

| figure | counts … |
|---|---|
| relocated_households | relocated households (registered_on) |
| relocation_items_due | items that apply (every state but 不适用) |
| relocation_items_fulfilled | items fulfilled |
| relocation_items_in_progress | items in progress |
| relocation_items_escalated | items escalated beyond the community (a linked case) |
| relocation_omissions_open | omissions found and not yet closed |
| relocation_omissions_closed | omissions found, then closed |

All are "current": the rows in that state now. Each links to the list of exactly its rows
(`/relocation/…?figure=<name>`), and `verify-figures` checks the rollups against them.
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

from grassroots.figures import registry
from grassroots.relocation.choices import ItemState
from grassroots.relocation.models import EntitlementItem, Omission, RelocatedHousehold


def _always(today: datetime.date) -> Q:
    return Q(pk__isnull=False)


def _q(q: Q) -> Callable[[datetime.date], Q]:
    return lambda today: q


def _stamp(model: Any) -> Callable[[], tuple[Any, ...]]:
    def stamp() -> tuple[Any, ...]:
        row = model.objects.aggregate(n=Count("pk"), hi=Max("updated_at"))
        return (row["n"], str(row["hi"]))

    return stamp


HOUSEHOLDS = registry.register_count_source(
    registry.CountSource(
        name="relocation_households",
        rows=RelocatedHousehold.objects.all,
        counters=(registry.Counter("relocated_households", "registered_on", _always),),
        stamp=_stamp(RelocatedHousehold),
        list_url="relocation:households",
    )
)
ITEMS = registry.register_count_source(
    registry.CountSource(
        name="relocation_items",
        rows=EntitlementItem.objects.all,
        counters=(
            registry.Counter(
                "relocation_items_due", "due_on", _q(~Q(state=ItemState.NOT_APPLICABLE))
            ),
            registry.Counter(
                "relocation_items_fulfilled", "due_on", _q(Q(state=ItemState.FULFILLED))
            ),
            registry.Counter(
                "relocation_items_in_progress", "due_on", _q(Q(state=ItemState.IN_PROGRESS))
            ),
            registry.Counter("relocation_items_escalated", "escalated_on", _always),
        ),
        stamp=_stamp(EntitlementItem),
        list_url="relocation:items",
    )
)
OMISSIONS = registry.register_count_source(
    registry.CountSource(
        name="relocation_omissions",
        rows=Omission.objects.all,
        counters=(
            registry.Counter("relocation_omissions_open", "found_on", _q(Q(closed_on=None))),
            registry.Counter("relocation_omissions_closed", "closed_on", _always),
        ),
        stamp=_stamp(Omission),
        list_url="relocation:omissions",
    )
)

DEFINITIONS: list[tuple[str, Any, str]] = [
    ("relocated_households", _("易地搬迁户"), "relocation_households"),
    ("relocation_items_due", _("应落实权益事项"), "relocation_items"),
    ("relocation_items_fulfilled", _("已落实权益事项"), "relocation_items"),
    ("relocation_items_in_progress", _("落实中权益事项"), "relocation_items"),
    ("relocation_items_escalated", _("提级办理权益事项"), "relocation_items"),
    ("relocation_omissions_open", _("未消除漏项"), "relocation_omissions"),
    ("relocation_omissions_closed", _("已消除漏项"), "relocation_omissions"),
]
registry.register(
    *(
        registry.Figure(name=code, label=label, source=source, current=True)
        for code, label, source in DEFINITIONS
    )
)


@dataclass(frozen=True)
class Shown:
    """A figure as a page or the API shows it: its value over the actor's scope and its link."""

    code: str
    label: Any
    value: int
    link: str


def relocation_figures(*, actor: Any) -> list[Shown]:
    """Every relocation figure over the actor's scope, counted with its own list's filter."""
    from grassroots.relocation import selectors

    lists = {
        "relocation_households": ("relocation:households", selectors.relocated_list),
        "relocation_items": ("relocation:items", selectors.item_list),
        "relocation_omissions": ("relocation:omissions", selectors.omission_list),
    }
    out = []
    for code, label, source in DEFINITIONS:
        url, rows = lists[source]
        value = rows(actor=actor, filters=selectors.Filters(figure=code)).count()
        out.append(Shown(code, label, value, reverse(url) + "?" + urlencode({"figure": code})))
    return out


LISTS = {
    "relocation_households": "relocation:households",
    "relocation_items": "relocation:items",
    "relocation_omissions": "relocation:omissions",
}


def dashboard_section(*, area: Any) -> list[Shown] | None:
    """The leaders' view of a county or township: each relocation figure over the area's
    subtree (read from the rollups, `figures.counts`), linked to its rows there; None on other
    levels."""
    from grassroots.areas.choices import Level
    from grassroots.figures import counts

    if area.level not in (Level.COUNTY, Level.TOWNSHIP):
        return None
    figs = [f for f in (registry.figure(code) for code, _l, _s in DEFINITIONS) if f is not None]
    values = counts.figure_counts(figs, area=area)
    return [
        Shown(
            f.name,
            f.label,
            values[f.name],
            reverse(LISTS[f.source]) + "?" + urlencode({"figure": f.name, "within": area.pk}),
        )
        for f in figs
    ]
