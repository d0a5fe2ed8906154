"""The registry of named figures: the one place a figure's definition lives.

An app registers a `Source` (the rows its figures count: for cases, `Case` registered on a
day, with the counters of `cases.figures`) and its `Figure`s, each a name, a label (Chinese,
translated), what it counts in and its definition — a counter's filter over the source's rows
as of a clock, or, for a rate, the names of its numerator and denominator figures. The
rollups count exactly these filters (`figures.rollup`), and a list behind a figure link
(`/cases/?figure=<name>`) applies exactly the same filter (`Figure.q`), so a figure equals its
list by construction. Registration happens when the app's `figures` module is imported
(`FiguresConfig.ready` imports every installed app's `figures` module).

The figures app itself imports no app's models beyond the area tree: what it needs of a source
(its rows, its registration day and change stamp, its counters, durations and escalations)
comes through the registered `Source`.

An app whose rows are not cases (visits, disputes) registers a `CountSource` instead: its own
`Counter`s, each a filter over its rows and the date field that places a counted row on a day.
Their rollup is the generic `SourceCount` table (one count per source, figure, day and area;
`figures.counts`), so a new source adds no table and no column.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q, QuerySet
from django.utils import timezone

from grassroots.figures.choices import Unit
from grassroots.figures.columns import COUNTERS

Clock = datetime.datetime


@dataclass(frozen=True)
class Source:
    """Rows that figures count, and what the rollups need to know about them.

    - `rows()`: every row (a queryset of a model with the area path columns, `area`, `matter`
      and `unit`); `day_field`: the time whose local date is the row's registration day;
      `changed_field`: stamped on every write (`auto_now`), so "changed since" is a filter.
    - `flags(now)`: each counter (exactly `columns.COUNTERS`) as a filter over the rows,
      time-dependent ones as of `now`.
    - `lapsed(since, now)`: rows whose time-dependent counters change between the two clocks
      with no write (a response limit passing).
    - `durations`: named durations (`Seconds`) and `histograms`: (fields, bounds, duration).
    - `escalations(rows | None)`: the escalation events of those rows (None: of every row) as
      values named like `rollup.ESCALATION_COLUMNS`' aliases.
    - `list_url`: the URL name of the list that takes `figure=<name>`.
    """

    name: str
    rows: Callable[[], QuerySet[Any]]
    day_field: str
    changed_field: str
    flags: Callable[[Clock], dict[str, Q]]
    lapsed: Callable[[Clock, Clock], Q]
    durations: Mapping[str, Any]
    histograms: tuple[tuple[tuple[str, ...], tuple[float, ...], str], ...]
    escalations: Callable[[QuerySet[Any] | None], QuerySet[Any]]
    list_url: str


@dataclass(frozen=True)
class Figure:
    """A named figure of a source: a counter (its rollup column is its name) or a rate.

    `current`: counts rows in their state now whatever their registration day (open,
    overdue, supervised): its list takes no period.
    `of` and `distinct` (count sources only): the figure counts the distinct values of the
    field `distinct` among the rows of the counter `of` (households visited: the visits'
    distinct households). Such a figure is never summed from the daily rollup (a household
    visited on two days counts once); it is counted live with its list's filter.
    """

    name: str
    label: Any
    source: str
    unit: str = Unit.COUNT
    numerator: str | None = None
    denominator: str | None = None
    current: bool = False
    of: str | None = None
    distinct: str = ""

    @property
    def counter_name(self) -> str:
        """The counter whose rows the figure counts (a rate: its denominator's)."""
        return str(self.denominator if self.is_rate else (self.of or self.name))

    @property
    def is_rate(self) -> bool:
        return self.unit == Unit.RATE

    def q(self, clock: Clock) -> Q:
        """The definition: which of the source's rows count, as of `clock`. The rollups count
        exactly this filter; for a rate, it is the denominator's (its list is the numerator's
        and the denominator's)."""
        if self.source in _COUNT_SOURCES:
            return counter(self.counter_name).q_on(day_of(clock))
        name = self.denominator if self.is_rate else self.name
        return _SOURCES[self.source].flags(clock)[str(name)]

    def period_q(self, start: datetime.date, end: datetime.date) -> Q:
        """A count source's rows of [start, end) for this figure: its counter's day field in the
        period (nothing to restrict for a `current` figure). Cases lists filter their own
        registration period."""
        if self.current:
            return Q()
        field = counter(self.counter_name).day_field
        return Q(**{f"{field}__gte": start, f"{field}__lt": end})


@dataclass(frozen=True)
class Counter:
    """One counter of a `CountSource`: the rows meeting `q(today)` (time-dependent conditions
    as of the local date `today`), each counted on the local date in its `day_field` (a
    DateField; rows where it is null are never counted)."""

    name: str
    day_field: str
    q: Callable[[datetime.date], Q]
    # When set, the counter adds up this whole-number field of its rows (a facility's m²)
    # instead of counting them; its rollup rows hold the sums.
    total: str = ""

    def q_on(self, today: datetime.date) -> Q:
        """The whole definition: the condition and a day to count the row on."""
        return self.q(today) & Q(**{f"{self.day_field}__isnull": False})


@dataclass(frozen=True)
class CountSource:
    """Rows counted into the generic rollup `SourceCount` (`figures.counts`).

    - `rows()`: every row, of a model with the area path columns (`AreaPath`) and `area`.
    - `counters`: its counters; each registered figure of the source is one of them (or a rate
      of two).
    - `stamp()`: a value that changes whenever a counted row may have changed (e.g. the row
      count and the newest change stamp, of every table a counter reads). The refresher
      recomputes the source when it (or the local date) changed since its last run, and
      `verify-figures` treats a changed stamp as lag, an unchanged one as "compare".
    - `list_url`: the URL name of the list that takes `figure=<name>`.
    """

    name: str
    rows: Callable[[], QuerySet[Any]]
    counters: tuple[Counter, ...]
    stamp: Callable[[], tuple[Any, ...]]
    list_url: str


Stored = dict[tuple[Any, ...], dict[str, Any]]


@dataclass(frozen=True)
class KeptState:
    """A table an app derives for its figures and keeps current through `refresh-figures`
    (before the count sources, which may count its rows; `figures.states`).

    - `stamp()`: changes whenever a row of the state may have changed (as for a count
      source; the local date is added by the refresher).
    - `rebuild(today)`: bring the table up to date as of the local date `today` — recompute it
      whole, or only what changed since its last run where the app keeps track (the residents
      served: `scorecard.served`); returns the rows written. It writes in a transaction of its
      own, as short as it can be (work the rows out first: on SQLite a write transaction holds
      the lock every intake waits for); `figures.kept.rows_replaced` writes worked-out rows by
      difference.
    - `expected(today)` / `stored()`: the rows a rebuild would write and the rows held, keyed
      alike, for `verify-figures`.
    """

    name: str
    stamp: Callable[[], tuple[Any, ...]]
    rebuild: Callable[[datetime.date], int]
    expected: Callable[[datetime.date], Stored]
    stored: Callable[[], Stored]


_STATES: dict[str, KeptState] = {}


def register_state(state: KeptState) -> KeptState:
    """Register a kept state (a name unique among states)."""
    if state.name in _STATES:
        raise ImproperlyConfigured(f"kept state {state.name}: registered twice")
    _STATES[state.name] = state
    return state


def kept_states() -> list[KeptState]:
    """Every registered kept state, in registration order."""
    return list(_STATES.values())


@dataclass(frozen=True)
class Check:
    """A consistency check an app adds to `verify-figures` (the scorecard's: every indicator
    of every area and period it shows, recomputed from the rows). `run()` returns each
    difference found as a line (empty: consistent); it only reads."""

    name: str
    run: Callable[[], list[str]]


_CHECKS: dict[str, Check] = {}


def register_check(check: Check) -> Check:
    """Register a check for `verify-figures` (a name unique among checks)."""
    if check.name in _CHECKS:
        raise ImproperlyConfigured(f"check {check.name}: registered twice")
    _CHECKS[check.name] = check
    return check


def checks() -> list[Check]:
    """Every registered check, in registration order."""
    return list(_CHECKS.values())


def day_of(clock: Clock) -> datetime.date:
    """The local date (Asia/Shanghai) of a clock: what count sources' counters are taken at."""
    return timezone.localtime(clock).date()


_SOURCES: dict[str, Source] = {}
_COUNT_SOURCES: dict[str, CountSource] = {}
_COUNTERS: dict[str, Counter] = {}
_COUNTER_SOURCE: dict[str, str] = {}
_FIGURES: dict[str, Figure] = {}


def register_count_source(source: CountSource) -> CountSource:
    """Register a source of the generic rollup; a counter name is unique across sources."""
    if source.name in _SOURCES:
        raise ImproperlyConfigured(f"count source {source.name}: a source of that name exists")
    for c in source.counters:
        owner = _COUNTER_SOURCE.get(c.name, source.name)
        if c.name in COUNTERS or owner != source.name:
            raise ImproperlyConfigured(f"count source {source.name}: counter {c.name} is taken")
    for c in source.counters:
        _COUNTERS[c.name] = c
        _COUNTER_SOURCE[c.name] = source.name
    _COUNT_SOURCES[source.name] = source
    return source


def counter(name: str) -> Counter:
    """The counter `name` of a count source (ImproperlyConfigured when none)."""
    try:
        return _COUNTERS[name]
    except KeyError:
        raise ImproperlyConfigured(f"no counter {name!r} registered") from None


def count_sources() -> list[CountSource]:
    """Every registered count source, in registration order."""
    return list(_COUNT_SOURCES.values())


def count_source(name: str) -> CountSource:
    """The registered count source `name` (ImproperlyConfigured when none)."""
    try:
        return _COUNT_SOURCES[name]
    except KeyError:
        raise ImproperlyConfigured(f"no count source {name!r} registered") from None


def register_source(source: Source) -> Source:
    """Register the rows an app's figures count; its counters must be the rollup columns."""
    names = tuple(source.flags(datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)))
    if names != COUNTERS:
        raise ImproperlyConfigured(f"source {source.name}: counters {names} != {COUNTERS}")
    _SOURCES[source.name] = source
    return source


def register(*figures: Figure) -> None:
    """Register named figures; a counter must be a rollup column, a rate's parts registered."""
    for fig in figures:
        if fig.source in _COUNT_SOURCES:
            _register_counted(fig)
            continue
        if fig.source not in _SOURCES:
            raise ImproperlyConfigured(f"figure {fig.name}: unknown source {fig.source}")
        if fig.is_rate:
            for part in (fig.numerator, fig.denominator):
                if part not in _FIGURES:
                    raise ImproperlyConfigured(f"figure {fig.name}: unknown part {part}")
        elif fig.name not in COUNTERS:
            raise ImproperlyConfigured(f"figure {fig.name}: not a rollup counter")
        _FIGURES[fig.name] = fig


def _register_counted(fig: Figure) -> None:
    own = {c.name for c in _COUNT_SOURCES[fig.source].counters}
    parts = (fig.numerator, fig.denominator) if fig.is_rate else (fig.of or fig.name,)
    for part in parts:
        if part not in own:
            raise ImproperlyConfigured(f"figure {fig.name}: {part} is not a {fig.source} counter")
    taken = _FIGURES.get(fig.name)
    if taken is not None and taken.source != fig.source:
        raise ImproperlyConfigured(f"figure {fig.name}: already a {taken.source} figure")
    _FIGURES[fig.name] = fig


def source(name: str = "cases") -> Source:
    """The registered source `name` (ImproperlyConfigured when its app is not installed)."""
    try:
        return _SOURCES[name]
    except KeyError:
        raise ImproperlyConfigured(f"no figures source {name!r} registered") from None


def figure(name: str) -> Figure | None:
    """The registered figure `name`, None when there is none."""
    return _FIGURES.get(name)


def figures() -> list[Figure]:
    """Every registered figure, in registration order."""
    return list(_FIGURES.values())
