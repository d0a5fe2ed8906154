"""Filling a template from records: for one area (the actor's scope; outside it 404) and one
period, every row the template's row source holds there, every cell read by its catalogue
accessor, every cell linked to the rows it comes from.

Guarantees:
- Nothing is typed and nothing invented: a cell is a catalogue accessor's value over records,
  or, for a column declared unknowable, blank — and named with its reason in `unknown`.
- Scope: the area must lie in a subtree over which the actor holds every permission the
  template needs (the row source's and each column's); otherwise NotFound (403 without the
  permission at all). Rows are restricted to the same subtrees.
- Cost: one query for the rows (counts are annotations), one per prefetched relation, and for
  area rows one grouped query per figure column; never one per row.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.areas.models import Area
from grassroots.areas.scope import scope_for
from grassroots.areas.selectors import area_get
from grassroots.core.models import User
from grassroots.figures import live
from grassroots.reports.catalogue import Ctx, RowSource
from grassroots.reports.definition import ColumnDef, Definition
from grassroots.reports.errors import ReportError
from grassroots.reports.errors import ReportErrorCode as E
from grassroots.reports.periods import Period, period_parse

MAX_ROWS = 20_000


@dataclass(frozen=True)
class Cell:
    """One filled cell: its value (None: blank), where its rows are, whether it is text, and
    whether the platform cannot know it."""

    value: Any
    link: str | None = None
    text: bool = False
    unknown: bool = False


@dataclass
class FilledRow:
    cells: list[Cell]
    record: str | None


@dataclass
class Filled:
    """A template filled for an area and a period, ready for the page and the workbook."""

    definition: Definition
    area: Area
    period: Period
    clock: datetime.datetime
    generated_at: datetime.datetime
    actor: User
    rows: list[FilledRow] = field(default_factory=list)
    totals: list[Cell] | None = None

    @property
    def columns(self) -> tuple[ColumnDef, ...]:
        return self.definition.columns

    @property
    def unknown(self) -> list[ColumnDef]:
        """The columns the platform cannot fill, each with its reason."""
        return [c for c in self.columns if c.unknown]


def _aware(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


def _period_q(src: RowSource, period: Period) -> Q:
    if period.start is None or period.end is None or src.period_field in ("", "-"):
        return Q()
    lo, hi = (
        (_aware(period.start), _aware(period.end))
        if src.period_datetime
        else (period.start, period.end)
    )
    return Q(**{f"{src.period_field}__gte": lo, f"{src.period_field}__lt": hi})


def fill_area(*, actor: User, definition: Definition, area_pk: Any) -> Area:
    """The area to fill for: in scope for every permission the template needs, else 404."""
    area = area_get(actor=actor, pk=area_pk)
    scope = scope_for(actor)
    for perm in sorted(definition.perms):
        scope.require_area(perm, area)
    return area


def rows_of(definition: Definition, ctx: Ctx) -> QuerySet[Any]:
    """The template's rows for `ctx`: in scope, in the area's subtree, in the period, filtered;
    with the annotations and prefetches its columns read."""
    src = definition.rows
    scope = scope_for(ctx.actor)
    qs = src.rows(ctx).filter(scope.area_q(src.perm, src.area_prefix))
    qs = qs.filter(ctx.area.subtree_q(src.area_prefix)).filter(_period_q(src, ctx.period))
    for key, value in definition.filters.items():
        qs = qs.filter(src.filters[key].q(value, ctx))
    annotations: dict[str, Any] = {}
    prefetch: list[str] = []
    for col in definition.columns:
        if col.column is not None and col.column.annotate is not None:
            annotations.update(col.column.annotate(ctx))
        if col.column is not None:
            prefetch.extend(col.column.prefetch)
    if annotations:
        qs = qs.annotate(**annotations)
    if prefetch:
        qs = qs.prefetch_related(*dict.fromkeys(prefetch))
    return qs.order_by(*src.order)


def _cell(col: ColumnDef, row: Any, ctx: Ctx, record: str | None) -> Cell:
    if col.column is None:
        return Cell(None, unknown=True)
    value = col.column.get(row, ctx)
    link = col.column.link(row, ctx) if col.column.link is not None else record
    return Cell(value, link=link, text=col.column.text)


def _totals(definition: Definition, rows: list[FilledRow], records: list[Any]) -> list[Cell]:
    """The 合计 row: a number column's sum, a column's own total (a rate from its parts'
    totals); blank for text."""
    out: list[Cell] = []
    for i, col in enumerate(definition.columns):
        if col.column is not None and col.column.total is not None:
            out.append(Cell(col.column.total(records)))
        elif col.column is not None and col.column.number:
            values = [r.cells[i].value for r in rows if r.cells[i].value is not None]
            out.append(Cell(sum(values) if values else 0))
        else:
            out.append(Cell(None))
    return out


def ledger_fill(
    *,
    actor: User,
    definition: Definition,
    area_pk: Any,
    period: str | None,
    now: datetime.datetime | None = None,
) -> Filled:
    """Fill `definition` for the area `area_pk` and the period `period` (see the module
    docstring for what is guaranteed)."""
    area = fill_area(actor=actor, definition=definition, area_pk=area_pk)
    when = period_parse(definition.period, period)
    ctx = Ctx(actor=actor, area=area, period=when, clock=live.clock(), level=definition.level)
    src = definition.rows
    records = list(rows_of(definition, ctx)[: MAX_ROWS + 1])
    if len(records) > MAX_ROWS:
        raise ReportError(
            E.INVALID_VALUE,
            _("该区域的行数超过 %(n)s 行，请选择更小的区域") % {"n": MAX_ROWS},
            field="area",
        )
    if src.prepare is not None:
        src.prepare(records, ctx, [c.source for c in definition.columns if c.source])
    filled = Filled(
        definition=definition,
        area=area,
        period=when,
        clock=ctx.clock,
        generated_at=now or timezone.now(),
        actor=actor,
    )
    for row in records:
        record = src.record(row)
        cells = [_cell(col, row, ctx, record) for col in definition.columns]
        filled.rows.append(FilledRow(cells=cells, record=record))
    if definition.total:
        filled.totals = _totals(definition, filled.rows, records)
    return filled
