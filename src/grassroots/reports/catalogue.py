"""The catalogue: every column a ledger template may draw on, as named row sources.

A row source is one kind of ledger row (a case, a household, a person, a dispute, an area …):
the records it reads, the permission that reads them, the date field a period restricts, the
filters a template may set, and its columns. A column is a safe accessor — a plain function
of one loaded row — with the annotations (counts over related rows) it reads; nothing in a
template is ever evaluated. A template names a row source and, for each column, one of its
column names (`definition.py` refuses any other).

Sources register themselves when their module is imported (`sources_*.py`, imported by
`sources()`), so the catalogue is the union of those modules and nothing else.
"""

from __future__ import annotations

import datetime
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from grassroots.areas.models import Area
from grassroots.core.models import User
from grassroots.reports.periods import Period


@dataclass(frozen=True)
class Ctx:
    """What a fill is for: who asks, for which area's subtree, which period, as of when."""

    actor: User
    area: Area
    period: Period
    clock: datetime.datetime
    # the level of the rows of an area source ("" = the area's direct children)
    level: str = ""


@dataclass(frozen=True)
class Column:
    """One column a template may use.

    `get(row, ctx)` reads the value from one loaded row (the annotations of `annotate(ctx)`
    applied); `link(row, ctx)` where the cell's rows are (None: the row's own record link).
    `perm`: a further permission this column needs (scores, pay). `text`: written as text.
    """

    label: Any
    get: Callable[[Any, Ctx], Any]
    unit: Any = ""
    annotate: Callable[[Ctx], Mapping[str, Any]] | None = None
    link: Callable[[Any, Ctx], str | None] | None = None
    perm: str = ""
    text: bool = False
    # "number" columns are totalled on the 合计 row
    number: bool = False
    # related rows the accessor reads (prefetched once for the whole ledger)
    prefetch: tuple[str, ...] = ()
    # the 合计 cell over all the loaded rows, when not the sum of a number column (a rate:
    # its numerator's total over its denominator's)
    total: Callable[[list[Any]], Any] | None = None


@dataclass(frozen=True)
class Filter:
    """A filter a template may set: its allowed values (value → label) and the condition for
    one value, for the fill's context (a post held on the period's last day)."""

    label: Any
    choices: Mapping[str, Any]
    q: Callable[[str, Ctx], Q]


@dataclass(frozen=True)
class RowSource:
    """One kind of ledger row. `rows(ctx)`: the records before scope, area and period;
    `area_prefix` reaches the row's area path ("" when the row carries it, "area__" through
    its area); `period_field` the date (or datetime, `period_datetime`) a period restricts
    (empty: the source takes no period); `record(row)` the link to the row's own record."""

    name: str
    label: Any
    perm: str
    rows: Callable[[Ctx], QuerySet[Any]]
    columns: Mapping[str, Column]
    record: Callable[[Any], str | None]
    area_prefix: str = ""
    period_field: str = ""
    period_datetime: bool = False
    order: tuple[str, ...] = ("pk",)
    filters: Mapping[str, Filter] = field(default_factory=dict)
    # the source's rows are areas (each a subtree), not records
    areas: bool = False
    # a source whose rows are prepared in bulk (areas: one grouped query per figure source)
    prepare: Callable[[list[Any], Ctx, list[str]], None] | None = None


_SOURCES: dict[str, RowSource] = {}


def register(source: RowSource) -> RowSource:
    if source.name in _SOURCES:
        raise ValueError(f"row source {source.name}: registered twice")
    _SOURCES[source.name] = source
    return source


_LOADED = threading.Event()
_LOADING = threading.Lock()


def sources() -> dict[str, RowSource]:
    """Every row source, by name (the source modules imported once, on first use, after the
    figures registry is complete; a second thread waits for the whole catalogue)."""
    if not _LOADED.is_set():
        with _LOADING:
            if not _LOADED.is_set():
                from grassroots.reports import (  # noqa: F401
                    sources_areas,
                    sources_people,
                    sources_pillars,
                    sources_support,
                )

                _LOADED.set()
    return _SOURCES


def source(name: str) -> RowSource | None:
    return sources().get(name)


def display(row: Model, name: str) -> str:
    """A choice field's label (``get_<name>_display``), "" when empty."""
    return str(getattr(row, f"get_{name}_display")()) if getattr(row, name) else ""


def yes_no(value: Any) -> str:
    from django.utils.translation import gettext as _

    if value is None:
        return ""
    return _("是") if value else _("否")


def day(value: Any) -> datetime.date | None:
    """A date, or the local date of an aware datetime."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        from django.utils import timezone

        return timezone.localtime(value).date()
    return value


def attr(path: str) -> Callable[[Any, Ctx], Any]:
    """An accessor of a dotted attribute path ("household.number"); None through a missing
    relation. The path is fixed in code, never taken from a template."""
    parts = path.split(".")

    def get(row: Any, ctx: Ctx) -> Any:
        value = row
        for part in parts:
            value = getattr(value, part, None)
            if value is None:
                return None
        return value

    return get


def choice_column(name: str, label: Any) -> Column:
    """A column showing the label of the row's choice field `name`."""
    return Column(label, lambda r, c: display(r, name))


# The unit of a count of rows (件), unless a column names another.
PIECES = _("件")


def count_column(alias: str, label: Any, expr: Any, unit: Any = PIECES) -> Column:
    """A column counting related rows: `expr` is the aggregate, read back as `alias`."""
    return Column(label, attr(alias), unit=unit, annotate=lambda c: {alias: expr}, number=True)
