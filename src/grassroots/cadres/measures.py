"""Outcome measures an indicator may read from what the platform already records (read-only).

Never activity (log-ins, clicks, check-ins, likes, time on screen): only results of work done
for residents in the cadre's village or community, each as a score 0–100:

- `cases_on_time`: of the cases of the subtree resolved in the period, the share resolved by
  their resolution limit;
- `disputes_settled`: of the disputes of the subtree found in the period, the share settled;
- `visits_done`: of the households under a visit plan in the subtree, the share whose next
  visit is not overdue (as of the last refresh of the visit state);
- `training_hours`: the hours credited to the appraised cadre at training sessions starting
  from 1 January of the appraisal's year to the end of its period, against the yearly
  requirement, capped at 100. Read by the `training` app, which registers it here
  (`register`): `training` builds on `cadres`, so `cadres` never imports it.

None when there is nothing to measure (no case, no dispute, no plan): the assessor enters the
score by hand then.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal

from django.db.models import F, Q

from grassroots.areas.models import Area
from grassroots.cadres.choices import QUARTERS, Period
from grassroots.cadres.scoring import HUNDRED, q2
from grassroots.cases.models import Case
from grassroots.disputes.choices import State as DisputeState
from grassroots.disputes.models import Dispute
from grassroots.visits.models import HouseholdVisitDue

# measure name → reader(cadre id, area, start, end), registered by the apps that build on
# `cadres` (their AppConfig.ready) so the measure reads their data without `cadres` importing them
Reader = Callable[[int | None, Area, datetime.date, datetime.date], Decimal | None]
_READERS: dict[str, Reader] = {}


def register(measure: str, reader: Reader) -> None:
    """Let `measure` be read by `reader` (one reader a measure; registering again replaces it)."""
    _READERS[measure] = reader


def period_bounds(year: int, period: str) -> tuple[datetime.date, datetime.date]:
    """[start, end) of a quarter or of the year."""
    if period == Period.ANNUAL:
        return datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
    q = QUARTERS.index(Period(period))
    start = datetime.date(year, 3 * q + 1, 1)
    end = datetime.date(year + (q == 3), (3 * q + 3) % 12 + 1, 1)
    return start, end


def _share(part: int, whole: int) -> Decimal | None:
    return q2(Decimal(part) * HUNDRED / whole) if whole else None


def measure_score(
    measure: str,
    area: Area,
    start: datetime.date,
    end: datetime.date,
    cadre_id: int | None = None,
) -> Decimal | None:
    """The measure's score over `area`'s subtree (or the cadre's own record) and [start, end),
    or None without data."""
    if measure in _READERS:
        return _READERS[measure](cadre_id, area, start, end)
    if measure == "cases_on_time":
        resolved = Case.objects.filter(
            area.subtree_q(), resolved_at__date__gte=start, resolved_at__date__lt=end
        )
        on_time = resolved.filter(
            Q(resolution_due__isnull=True) | Q(resolved_at__lte=F("resolution_due"))
        )
        return _share(on_time.count(), resolved.count())
    if measure == "disputes_settled":
        found = Dispute.objects.filter(area.subtree_q(), found_on__gte=start, found_on__lt=end)
        return _share(found.filter(state=DisputeState.SETTLED).count(), found.count())
    if measure == "visits_done":
        plan = HouseholdVisitDue.objects.filter(area.subtree_q())
        return _share(plan.filter(due_on__gte=F("as_of")).count(), plan.count())
    return None
