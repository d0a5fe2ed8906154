"""Rollups of the cases (DESIGN §7: dashboards whose cost does not grow with the cases).

`DailyFigure` holds, for one registration day × area × matter × unit, the counts that every
figure of the dashboards, the metrics API and the exports is summed from. The area's ancestor
columns are copied onto the row (`AreaPath`), so a county, township, community or grid figure is
one filter (`Area.subtree_q()` applies unchanged) and one GROUP BY over rollup rows.

A busy county registers a few hundred cases a day in a thousand micro grids, so its daily rows
are nearly as many as its cases. `SubtreeFigure` sums them once more, per day for a whole county
or township subtree (and per matter or unit for a county): a county's month is then a few
hundred rows whatever the number of cases. `Escalation` lists each escalation with its case's
area path, so "the newest escalations under an area" is one index range.

Only `figures.services` writes these tables; `figures.checks.figures_verify` compares them
with a recomputation from the cases. The tables were born in the dashboard app and keep its
table names (`dashboard_*`): the move to this app changed Django's state only.

The rows reference the cases' models lazily (by name): the figures app imports no app's models
beyond the area tree.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.areas.choices import ANCESTOR_COLUMNS
from grassroots.areas.models import Area, AreaPath, Unit
from grassroots.figures.choices import Grain


def _count() -> models.PositiveIntegerField[int, int]:
    return models.PositiveIntegerField(default=0)


def _loose(to: type[models.Model] | str, *, null: bool = False, db_index: bool = False) -> Any:
    """A reference without a database constraint or reverse accessor: the rollups are rebuilt
    from the cases, never the other way round, so nothing cascades into them."""
    return models.ForeignKey(
        to,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=null,
        related_name="+",
        db_index=db_index,
    )


class Figures(models.Model):
    """The counters of a set of rows (`columns.COUNTERS`), each defined once by the registered
    source (`cases.figures` for cases); the histograms' bounds are `columns.BUCKET_BOUNDS`
    (`resp_b*`) and `columns.HANDLING_BOUNDS` (`hand_b*`)."""

    received = _count()
    answered = _count()
    handed = _count()
    responded = _count()
    on_time = _count()
    resolved = _count()
    solved = _count()
    reopened = _count()
    reviewed = _count()
    satisfied = _count()
    unsatisfied = _count()
    open = _count()
    overdue = _count()
    supervised = _count()
    patrol = _count()
    handling_hours = models.FloatField(default=0)
    handling_count = _count()
    response_hours = models.FloatField(default=0)
    response_count = _count()
    resp_b0 = _count()
    resp_b1 = _count()
    resp_b2 = _count()
    resp_b3 = _count()
    resp_b4 = _count()
    resp_b5 = _count()
    hand_b0 = _count()
    hand_b1 = _count()
    hand_b2 = _count()
    hand_b3 = _count()
    hand_b4 = _count()
    hand_b5 = _count()
    hand_b6 = _count()
    hand_b7 = _count()
    hand_b8 = _count()
    hand_b9 = _count()
    hand_b10 = _count()
    hand_b11 = _count()
    hand_b12 = _count()
    hand_b13 = _count()
    hand_b14 = _count()
    hand_b15 = _count()

    class Meta:
        abstract = True


class DailyFigure(AreaPath, Figures):
    """The counts of the cases registered on `day` in `area` about `matter`, owned by `unit`.

    `area` is the case's area (a micro grid, or a higher area when the case was placed there, or
    None when unplaced); `unit` its current owner (None at the county desk).
    """

    day = models.DateField(_("登记日期"))
    # Not indexed: rows are found by day and by their path (an unplaced row has no county).
    area = _loose(Area, null=True)
    matter = _loose("cases.Matter")
    unit = _loose(Unit, null=True, db_index=True)

    class Meta:
        db_table = "dashboard_dailyfigure"
        verbose_name = _("日统计")
        verbose_name_plural = _("日统计")
        indexes = [
            models.Index(fields=["day"], name="dailyfig_day"),
            *[models.Index(fields=[c, "day"], name=f"dailyfig_{c}_day") for c in ANCESTOR_COLUMNS],
            *[
                models.Index(fields=[c, "open"], name=f"dailyfig_{c}_open")
                for c in ("county", "township", "community")
            ],
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.area_id} {self.matter_id} {self.unit_id}"


class SubtreeFigure(Figures):
    """The sums of the `DailyFigure` rows of `day` in the subtree of `node` (a county or a
    township), whole (grain area) or per matter or unit (a county's only)."""

    day = models.DateField(_("登记日期"))
    node = _loose(Area)
    grain = models.CharField(max_length=12, choices=Grain.choices)
    matter = _loose("cases.Matter", null=True)
    unit = _loose(Unit, null=True)

    class Meta:
        db_table = "dashboard_subtreefigure"
        verbose_name = _("区域日统计")
        verbose_name_plural = _("区域日统计")
        indexes = [
            models.Index(fields=["grain", "node", "day"], name="subtreefig_node_day"),
            models.Index(fields=["day"], name="subtreefig_day"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.node_id} {self.grain}"


class Escalation(AreaPath):
    """One escalation (a `CaseEvent` of action escalate), placed where its case is now."""

    event = models.OneToOneField(
        "cases.CaseEvent",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        primary_key=True,
        related_name="+",
    )
    case = _loose("cases.Case", db_index=True)
    at = models.DateTimeField()
    to_unit = _loose(Unit, null=True)

    class Meta:
        db_table = "dashboard_escalation"
        verbose_name = _("提级记录")
        verbose_name_plural = _("提级记录")
        indexes = [
            *[models.Index(fields=[c, "event"], name=f"escalation_{c}") for c in ANCESTOR_COLUMNS],
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.event_id}"


class RefreshMark(models.Model):
    """The refresher's watermark (one row, pk=1): how far the rollups are current.

    `refreshed_at` is the clock at the last refresh (time-dependent counters such as "should
    have responded by now" are as of then); `cases_seen` the newest `Case.updated_at` it read.
    """

    refreshed_at = models.DateTimeField()
    cases_seen = models.DateTimeField(null=True)
    days_refreshed = models.PositiveIntegerField(default=0)
    rebuilt_at = models.DateTimeField(null=True)

    class Meta:
        db_table = "dashboard_refreshmark"
        verbose_name = _("统计刷新水位")
        verbose_name_plural = _("统计刷新水位")

    def __str__(self) -> str:
        return str(self.refreshed_at)


class SourceCount(AreaPath):
    """The generic rollup of a count source (`registry.CountSource`): how many of its rows meet
    the counter `figure` on `day` (the local date in the counter's day field) in `area`.

    One row per (source, figure, day, area) with a non-zero count; a new source or counter
    adds rows, never columns. Only `figures.counts` writes it.
    """

    source = models.CharField(max_length=40)
    figure = models.CharField(max_length=60)
    day = models.DateField(_("日期"))
    area = _loose(Area, null=True)
    count = _count()

    class Meta:
        verbose_name = _("分项日统计")
        verbose_name_plural = _("分项日统计")
        indexes = [
            models.Index(fields=["source", "figure", "day"], name="sourcecount_fig_day"),
            *[
                models.Index(fields=[c, "figure", "day"], name=f"sourcecount_{c}")
                for c in ("county", "township", "community")
            ],
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.figure} {self.day} {self.area_id}"


class SourceMark(models.Model):
    """A count source's watermark: when it was last recomputed and the source's stamp then
    (`registry.CountSource.stamp` with the local date), as a digest."""

    source = models.CharField(max_length=40, primary_key=True)
    refreshed_at = models.DateTimeField()
    stamp = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("分项统计水位")
        verbose_name_plural = _("分项统计水位")

    def __str__(self) -> str:
        return f"{self.source} {self.refreshed_at}"
