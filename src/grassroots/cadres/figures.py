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
from decimal import Decimal
from typing import Any

from django.db.models import BigIntegerField, Count, F, Max, Q, QuerySet, Value
from django.db.models.functions import Cast, Round
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
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


# --- the leaders' dashboard ---------------------------------------------------------------------

# The section covers the last year up to today: the latest annual round and a year of pay.
DASHBOARD_DAYS = 365


def dashboard_section(*, area: Any, scope: Any) -> dict[str, Any] | None:
    """The cadres section of a county's or township's dashboard: the star distribution, grade
    shares and warning talks (to those who see scores there) and the pay totals in yuan (to those
    who see pay), over the area's subtree and the last DASHBOARD_DAYS days, each linked to the
    list of exactly its rows. Read through `figures.counts` in a fixed number of queries (the
    marks, each source's stamp, one sum). None on other levels or without either right."""
    from grassroots.areas.choices import Level
    from grassroots.core.roles import Perm
    from grassroots.figures import counts

    if area.level not in (Level.COUNTY, Level.TOWNSHIP):
        return None
    scores = scope.covers_area(Perm.VIEW_CADRE_SCORES, area)
    pay = scope.covers_area(Perm.VIEW_CADRE_PAY, area)
    if not (scores or pay):
        return None
    end = timezone.localdate() + datetime.timedelta(days=1)
    start = end - datetime.timedelta(days=DASHBOARD_DAYS)
    names = (figure_names() if scores else []) + (pay_figure_names() if pay else [])
    figs = [f for f in (registry.figure(n) for n in names) if f is not None]
    values = counts.figure_counts(figs, area=area, start=start, end=end)
    shown = {}
    for f in figs:
        url = "cadres:pay-lines" if f.source == PAY_SOURCE_NAME else "cadres:appraisals"
        query = {"figure": f.name, "within": area.pk}
        query |= {"period_from": start.isoformat(), "period_to": end.isoformat()}
        shown[f.name] = {
            "name": f.name,
            "label": f.label,
            "value": values[f.name],
            "link": reverse(url) + "?" + urlencode(query),
        }
    graded = [shown[f"cadre_grade_{g.value}"] for g in Grade] if scores else []
    whole = sum(g["value"] for g in graded)
    for g in graded:
        g["share"] = g["value"] / whole if whole else None
    return {
        "start": start,
        "stars": [shown[f"cadre_stars_{n}"] for n in STAR_LABELS] if scores else [],
        "grades": graded,
        "talks": shown.get("cadre_warning_talks"),
        "pay": [shown[n] | {"yuan": yuan(shown[n]["value"])} for n in pay_figure_names()]
        if pay
        else [],
    }
