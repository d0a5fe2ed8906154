"""The assets figures (清化收), registered once with the figures registry (docs/assets.md).

| name | counts … |
|---|---|
| asset_problems_open | problems not yet resolved, now, in their village |
| asset_problems_resolved | problems resolved, now |
| asset_mu_recovered | mu recovered by the actions (a sum), on the action's day |
| asset_yuan_recovered | yuan recovered by the actions (a sum), on the action's day |

Each list is `/assets/rows/?figure=<name>`, which applies exactly the figure's filter.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Max, Q
from django.utils.translation import gettext_lazy as _

from grassroots.assets.choices import OPEN_STATES, Status
from grassroots.assets.models import Problem, ProblemAction
from grassroots.figures import registry
from grassroots.figures.choices import Unit

LIST_URL = "assets:rows"


def _problems_stamp() -> tuple[Any, ...]:
    row = Problem.objects.aggregate(n=Count("pk"), hi=Max("updated_at"))
    return (row["n"], str(row["hi"]))


def _actions_stamp() -> tuple[Any, ...]:
    row = ProblemAction.objects.aggregate(n=Count("pk"), hi=Max("pk"))
    return (row["n"], row["hi"])


registry.register_count_source(
    registry.CountSource(
        name="assets_problems",
        rows=Problem.objects.all,
        counters=(
            registry.Counter(
                "asset_problems_open", "found_on", lambda t: Q(status__in=OPEN_STATES)
            ),
            registry.Counter(
                "asset_problems_resolved", "found_on", lambda t: Q(status=Status.RESOLVED)
            ),
        ),
        stamp=_problems_stamp,
        list_url=LIST_URL,
    )
)
registry.register_count_source(
    registry.CountSource(
        name="assets_actions",
        rows=ProblemAction.objects.all,
        counters=(
            registry.Counter(
                "asset_mu_recovered",
                "taken_on",
                lambda t: Q(recovered_mu__gt=0),
                total="recovered_mu",
            ),
            registry.Counter(
                "asset_yuan_recovered",
                "taken_on",
                lambda t: Q(recovered_yuan__gt=0),
                total="recovered_yuan",
            ),
        ),
        stamp=_actions_stamp,
        list_url=LIST_URL,
    )
)
registry.register(
    registry.Figure(
        name="asset_problems_open",
        label=_("待化解资产问题"),
        source="assets_problems",
        current=True,
    ),
    registry.Figure(
        name="asset_problems_resolved",
        label=_("已化解资产问题"),
        source="assets_problems",
        current=True,
    ),
    registry.Figure(
        name="asset_mu_recovered",
        label=_("收回土地（亩）"),
        source="assets_actions",
        unit=Unit.MU,
    ),
    registry.Figure(
        name="asset_yuan_recovered",
        label=_("收回资金（元）"),
        source="assets_actions",
        unit=Unit.YUAN,
    ),
)
