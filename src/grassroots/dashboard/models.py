"""Rollups of the cases (DESIGN §7: dashboards whose cost does not grow with the cases).

`DailyFigure` holds, for one registration day × area × matter × unit, the counts that every
figure of the dashboards, the metrics API and the exports is summed from. The area's ancestor
columns are copied onto the row, so a county, township, community or grid figure is one
filter (`Area.subtree_q()` applies unchanged) and one GROUP BY over rollup rows.

Only `dashboard.services` writes these tables; `dashboard.checks.figures_verify` compares them
with a recomputation from the cases.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.areas.choices import ANCESTOR_COLUMNS
from grassroots.areas.models import Area, Unit
from grassroots.cases.models import Matter


def _count() -> models.PositiveIntegerField[int, int]:
    return models.PositiveIntegerField(default=0)


class DailyFigure(models.Model):
    """The counts of the cases registered on `day` in `area` about `matter`, owned by `unit`.

    `area` is the case's area (a micro grid, or a higher area when the case was placed there, or
    None when unplaced); `unit` its current owner (None at the county desk). Each counter is
    defined once, in `dashboard.definitions`.
    """

    day = models.DateField(_("登记日期"))
    area = models.ForeignKey(
        Area, on_delete=models.DO_NOTHING, db_constraint=False, null=True, related_name="+"
    )
    matter = models.ForeignKey(
        Matter, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.DO_NOTHING, db_constraint=False, null=True, related_name="+"
    )
    # Copies of the area's ancestor ids (Area.county_id …): derived, rewritten with the row.
    county = models.BigIntegerField(null=True)
    township = models.BigIntegerField(null=True)
    community = models.BigIntegerField(null=True)
    grid1 = models.BigIntegerField(null=True)
    grid2 = models.BigIntegerField(null=True)
    grid3 = models.BigIntegerField(null=True)

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

    class Meta:
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
        verbose_name = _("统计刷新水位")
        verbose_name_plural = _("统计刷新水位")

    def __str__(self) -> str:
        return str(self.refreshed_at)
