"""Report periods, pure: "2026-11" (a month), "2026-Q4" (a quarter), "2026" (a year), or none.

A period is the half-open range of local dates [start, end), the convention of every list the
ledgers link to (`/cases/?from=…&to=…` takes the day after the last as `to`).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from grassroots.reports.choices import PeriodKind
from grassroots.reports.errors import ReportError
from grassroots.reports.errors import ReportErrorCode as E

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})-[Qq]([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")


@dataclass(frozen=True)
class Period:
    """A report period: its kind, its key as typed ("2026-11"), and [start, end) in local dates
    (both None for a template without a period)."""

    kind: str
    key: str
    start: datetime.date | None
    end: datetime.date | None

    @property
    def year(self) -> int | None:
        return self.start.year if self.start else None

    def label(self) -> str:
        """How the period reads on a ledger's title line."""
        if self.start is None:
            return _("截至填报日")
        if self.kind == PeriodKind.MONTH:
            return _("%(y)s年%(m)s月") % {"y": self.start.year, "m": self.start.month}
        if self.kind == PeriodKind.QUARTER:
            q = (self.start.month - 1) // 3 + 1
            return _("%(y)s年第%(q)s季度") % {"y": self.start.year, "q": q}
        return _("%(y)s年度") % {"y": self.start.year}


def _bad(value: str, kind: str) -> ReportError:
    examples: dict[str, str] = {
        PeriodKind.MONTH: "2026-11",
        PeriodKind.QUARTER: "2026-Q4",
        PeriodKind.YEAR: "2026",
    }
    return ReportError(
        E.INVALID_PERIOD,
        _("报表期 %(v)s 无效，应形如 %(e)s") % {"v": value[:20], "e": examples.get(kind, "")},
        field="period",
    )


def _year(text: str, value: str, kind: str) -> int:
    year = int(text)
    if not 2000 <= year <= 2100:
        raise _bad(value, kind)
    return year


def period_parse(kind: str, value: str | None) -> Period:
    """The period `value` of a template whose periods are `kind`; ReportError naming `period`
    when it does not parse or is of another kind. A template without a period takes none."""
    text = (value or "").strip()
    if kind == PeriodKind.NONE:
        return Period(kind, "", None, None)
    if kind == PeriodKind.MONTH and (m := _MONTH.match(text)):
        year, month = _year(m[1], text, kind), int(m[2])
        if not 1 <= month <= 12:
            raise _bad(text, kind)
        start = datetime.date(year, month, 1)
        end = datetime.date(year + (month == 12), month % 12 + 1, 1)
        return Period(kind, f"{year}-{month:02d}", start, end)
    if kind == PeriodKind.QUARTER and (m := _QUARTER.match(text)):
        year, q = _year(m[1], text, kind), int(m[2])
        start = datetime.date(year, 3 * q - 2, 1)
        end = datetime.date(year + (q == 4), (3 * q) % 12 + 1, 1)
        return Period(kind, f"{year}-Q{q}", start, end)
    if kind == PeriodKind.YEAR and (m := _YEAR.match(text)):
        year = _year(m[1], text, kind)
        return Period(kind, str(year), datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1))
    raise _bad(text, kind)


def period_default(kind: str, today: datetime.date, which: str = "previous") -> str:
    """The period a page opens on, on `today`: the month, quarter or year just ended (what a
    superior usually asks for), or with `which="current"` the one running."""
    if which == "current":
        if kind == PeriodKind.MONTH:
            return f"{today.year}-{today.month:02d}"
        if kind == PeriodKind.QUARTER:
            return f"{today.year}-Q{(today.month - 1) // 3 + 1}"
        return str(today.year) if kind == PeriodKind.YEAR else ""
    if kind == PeriodKind.MONTH:
        last = today.replace(day=1) - datetime.timedelta(days=1)
        return f"{last.year}-{last.month:02d}"
    if kind == PeriodKind.QUARTER:
        q = (today.month - 1) // 3
        return f"{today.year - 1}-Q4" if q == 0 else f"{today.year}-Q{q}"
    if kind == PeriodKind.YEAR:
        return str(today.year - 1)
    return ""
