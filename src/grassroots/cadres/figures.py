"""The cadre figures, registered once with the figures registry (docs/cadres.md defines them).

| name | counts the confirmed annual appraisals … |
|---|---|
| cadre_stars_5 … cadre_stars_1 | with that many stars (the star distribution, by township) |
| cadre_grade_<grade> | of that grade (grade shares) |
| cadre_warning_talks | that call for a warning talk (a rater group's 不称职 share at the cap) |

| name | sums, in fen (0.01 yuan), the lines of confirmed pay sheets … |
|---|---|
| cadre_pay_base | of monthly base pay (岗位基本报酬 with tenure and 一肩挑 parts) |
| cadre_pay_performance | of yearly performance pay (绩效报酬, before rewards and penalties) |

A count source over the appraisals, each counted on its `confirmed_on` day in its village (the
rollup is the generic `figures.SourceCount`, recomputed by `refresh-figures` and checked by
`verify-figures`); `/cadres/appraisals/?figure=<name>&period_from=…&period_to=…` lists exactly
the rows a figure counts.

The pay totals are a second count source over the pay lines: each line summed (a `Counter` with
`total`) in its sheet's village on the sheet's confirmation day. The rollup holds whole numbers,
so a line counts its amount in fen (exact: amounts have two decimal places); pages show yuan.
`/cadres/pay-lines/?figure=<name>&…` lists the lines a total adds up.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from decimal import Decimal

from django.db.models import BigIntegerField, Count, F, Max, Q, QuerySet, Value
from django.db.models.functions import Cast, Round
from django.utils.translation import gettext_lazy as _

from grassroots.areas.choices import ANCESTOR_COLUMNS
from grassroots.cadres.choices import Grade, LineKind, Period, SheetState, State
from grassroots.cadres.models import Appraisal, PayLine, PaySheet
from grassroots.figures import registry
from grassroots.figures.choices import Unit

SOURCE_NAME = "cadres"
PAY_SOURCE_NAME = "cadre_pay"
CONFIRMED = Q(period=Period.ANNUAL, state=State.CONFIRMED)
STAR_LABELS = {
    5: _("五星村干部"),
    4: _("四星村干部"),
    3: _("三星村干部"),
    2: _("二星村干部"),
    1: _("一星村干部"),
}


def _where(q: Q) -> Callable[[datetime.date], Q]:
    return lambda today: CONFIRMED & q


def _stamp() -> tuple[Any, ...]:
    """Changes with any write to an appraisal (`updated_at`)."""
    row = Appraisal.objects.aggregate(n=Count("pk"), hi=Max("updated_at"))
    return (row["n"], str(row["hi"]))


COUNTERS: list[tuple[str, Any, Q]] = [
    *((f"cadre_stars_{n}", label, Q(stars=n)) for n, label in STAR_LABELS.items()),
    *((f"cadre_grade_{g.value}", g.label, Q(grade=g.value)) for g in Grade),
    ("cadre_warning_talks", _("需约谈提醒"), Q(warning_talk=True)),
]

SOURCE = registry.register_count_source(
    registry.CountSource(
        name=SOURCE_NAME,
        rows=Appraisal.objects.all,
        counters=tuple(registry.Counter(n, "confirmed_on", _where(q)) for n, _l, q in COUNTERS),
        stamp=_stamp,
        list_url="cadres:appraisals",
    )
)
registry.register(
    *(registry.Figure(name=n, label=label, source=SOURCE_NAME) for n, label, _q in COUNTERS)
)


def figure_names() -> list[str]:
    return [n for n, _l, _q in COUNTERS]


# --- pay totals -------------------------------------------------------------------------------


def pay_rows() -> QuerySet[PayLine]:
    """Every pay line with its sheet's place (the area path columns and `area_id`, as the
    figures rollup reads them) and its amount in fen (`fen`: rounded, so exact on SQLite's
    floating decimals too)."""
    return PayLine.objects.annotate(
        area_id=F("sheet__area_id"),
        **{c: F(f"sheet__{c}") for c in ANCESTOR_COLUMNS},
        fen=Cast(Round(F("amount") * Value(Decimal(100))), BigIntegerField()),
    )


def _pay_stamp() -> tuple[Any, ...]:
    """Changes with any sheet's write (drawn, adjusted, confirmed) and any new line."""
    sheets = PaySheet.objects.aggregate(n=Count("pk"), hi=Max("updated_at"))
    lines = PayLine.objects.aggregate(n=Count("pk"), hi=Max("pk"))
    return (sheets["n"], str(sheets["hi"]), lines["n"], lines["hi"])


def _confirmed(kind: str) -> Callable[[datetime.date], Q]:
    return lambda today: Q(kind=kind, sheet__state=SheetState.CONFIRMED)


PAY_COUNTERS: list[tuple[str, Any, str]] = [
    ("cadre_pay_base", _("基本报酬合计"), LineKind.BASE),
    ("cadre_pay_performance", _("绩效报酬合计"), LineKind.PERFORMANCE),
]

PAY_SOURCE = registry.register_count_source(
    registry.CountSource(
        name=PAY_SOURCE_NAME,
        rows=pay_rows,
        counters=tuple(
            registry.Counter(n, "sheet__confirmed_on", _confirmed(kind), total="fen")
            for n, _l, kind in PAY_COUNTERS
        ),
        stamp=_pay_stamp,
        list_url="cadres:pay-lines",
    )
)
registry.register(
    *(
        registry.Figure(name=n, label=label, source=PAY_SOURCE_NAME, unit=Unit.FEN)
        for n, label, _k in PAY_COUNTERS
    )
)


def pay_figure_names() -> list[str]:
    return [n for n, _l, _k in PAY_COUNTERS]


def yuan(fen: int) -> Decimal:
    """A pay total (fen) in yuan, exact."""
    return (Decimal(fen) / 100).quantize(Decimal("0.01"))
