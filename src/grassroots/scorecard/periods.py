"""The scorecard's periods: calendar months, quarters and years. Pure."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

from grassroots.scorecard.choices import Span
from grassroots.scorecard.errors import ScorecardError
from grassroots.scorecard.errors import ScorecardErrorCode as E

# How many periods a trend shows, the period itself included.
TREND = 6


@dataclass(frozen=True)
class Period:
    """The dates [start, end) of one calendar month, quarter or year."""

    span: str
    start: datetime.date
    end: datetime.date

    @property
    def cumulative(self) -> bool:
        """Everything to date: its lists take no period."""
        return self.span == Span.ALL

    @property
    def label(self) -> str:
        if self.cumulative:
            return _("累计")
        if self.span == Span.YEAR:
            return _("%(y)d年") % {"y": self.start.year}
        if self.span == Span.QUARTER:
            q = (self.start.month - 1) // 3 + 1
            return _("%(y)d年第%(q)d季度") % {"y": self.start.year, "q": q}
        return _("%(y)d年%(m)d月") % {"y": self.start.year, "m": self.start.month}

    def previous(self) -> Period:
        return period_of(self.span, self.start - datetime.timedelta(days=1))

    def query(self) -> dict[str, str]:
        return {"span": self.span, "at": self.start.isoformat()}


# The bounds of "everything": no record is dated outside them.
FIRST_DAY = datetime.date(1900, 1, 1)
LAST_DAY = datetime.date(9999, 12, 31)


def _months(span: str) -> int:
    return {Span.MONTH: 1, Span.QUARTER: 3, Span.YEAR: 12}[Span(span)]


def period_of(span: str, at: datetime.date) -> Period:
    """The period of length `span` that holds the day `at` (累计: every day)."""
    if span == Span.ALL:
        return Period(str(Span.ALL), FIRST_DAY, LAST_DAY)
    n = _months(span)
    first_month = (at.month - 1) // n * n + 1 if n < 12 else 1
    start = datetime.date(at.year, first_month, 1)
    month = first_month + n
    end = datetime.date(at.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)
    return Period(str(Span(span)), start, end)


def trend_of(period: Period, n: int = TREND) -> list[Period]:
    """The `n` periods up to and including `period`, oldest first (累计: itself alone)."""
    if period.cumulative:
        return [period]
    out = [period]
    while len(out) < n:
        out.append(out[-1].previous())
    return out[::-1]


def parse(span: str | None, at: str | None, today: datetime.date) -> Period:
    """The requested period (`span`: all, month, quarter or year, default all — the article's
    figures are cumulative; `at`: a day in it, YYYY-MM-DD, default today); a bad value is
    ScorecardError naming the parameter."""
    span = span or Span.ALL
    if span not in Span.values:
        raise ScorecardError(E.INVALID_PERIOD, _("统计周期应为累计、月、季度或年"), field="span")
    day = today
    if at:
        try:
            day = datetime.date.fromisoformat(at)
        except ValueError:
            raise ScorecardError(
                E.INVALID_PERIOD, _("日期格式应为 YYYY-MM-DD：%(v)s") % {"v": at}, field="at"
            ) from None
    return period_of(span, day)
