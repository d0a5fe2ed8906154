"""What Open311 may read: public, active matters and the cases filed under public matters.

Open311 is anonymous for reads, so its scope is the public part of the catalogue: a case of a
non-public matter is never listed nor found. Documents built from these rows carry no personal
data (`open311.documents`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from grassroots.areas import geo
from grassroots.areas.choices import Level as AreaLevel
from grassroots.areas.models import Area
from grassroots.cases.choices import State
from grassroots.cases.models import Case, CaseEvent, Matter
from grassroots.open311.errors import Open311Error
from grassroots.open311.errors import Open311ErrorCode as E

DEFAULT_DAYS = 90
MAX_ROWS = 1000
STATUSES = frozenset({"open", "closed"})


def public_matters() -> QuerySet[Matter]:
    """The services: active, public matters by code."""
    return Matter.objects.filter(active=True, public=True).order_by("code")


def public_matter(code: str) -> Matter | None:
    return public_matters().filter(code=code).first()


def public_cases() -> QuerySet[Case]:
    """Cases of public matters, with what a document shows (the newest public note first)."""
    notes = CaseEvent.objects.exclude(public_note="").order_by("-id")
    return (
        Case.objects.filter(matter__public=True)
        .select_related("matter", "unit", "area")
        .prefetch_related(Prefetch("events", queryset=notes, to_attr="public_events"))
    )


def public_case(pk: int) -> Case | None:
    return public_cases().filter(pk=pk).first()


@dataclass(frozen=True)
class RequestSearch:
    """GET /requests parameters, parsed. With `ids`, the spec ignores every other one."""

    ids: list[int] | None = None
    codes: tuple[str, ...] = ()
    start: datetime.datetime | None = None
    end: datetime.datetime | None = None
    statuses: frozenset[str] = frozenset()


def request_search(search: RequestSearch) -> QuerySet[Case]:
    """The requests asked for, newest first, at most MAX_ROWS; without dates, the DEFAULT_DAYS
    up to now. A start after the end, or an unknown status, is a 400."""
    qs = public_cases()
    if search.ids is not None:
        return qs.filter(pk__in=search.ids[:MAX_ROWS]).order_by("-id")
    if search.codes:
        qs = qs.filter(matter__code__in=search.codes)
    end = search.end or timezone.now()
    start = search.start or end - datetime.timedelta(days=DEFAULT_DAYS)
    if start > end:
        raise Open311Error(E.INVALID_PERIOD, "after end_date", field="start_date")
    qs = qs.filter(created_at__gte=start, created_at__lte=end)
    if search.statuses:
        if not search.statuses <= STATUSES:
            raise Open311Error(E.INVALID_VALUE, "open or closed", field="status")
        if search.statuses == {"open"}:
            qs = qs.exclude(state=State.CLOSED)
        elif search.statuses == {"closed"}:
            qs = qs.filter(state=State.CLOSED)
    return qs.order_by("-created_at", "-id")[:MAX_ROWS]


def inside_county(lon: float, lat: float) -> bool:
    """Whether the point lies in a county's boundary (true when no boundary is drawn)."""
    counties = Area.objects.filter(level=AreaLevel.COUNTY).exclude(polygon=None)
    shapes = [c.polygon for c in counties if c.polygon]
    return not shapes or any(geo.contains(shape, lon, lat) for shape in shapes)


def area_by_code(code: str) -> Area | None:
    return Area.objects.filter(code=code).first()
