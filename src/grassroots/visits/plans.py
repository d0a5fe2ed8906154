"""Visit-plan arithmetic: pure functions over plain values, no query.

A rule is (area id or None, depth of that area (0 for the county-wide default), tag code ("" for
every household), interval in days). For each tag a household carries (and for "" always) the
deepest rule whose area holds the household wins; the household's interval is the shortest of
the winners. A household is due `interval` days after its last visit, or after it was registered
when it was never visited.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Rule:
    area_id: int | None
    depth: int
    tag: str
    interval_days: int


def interval_for(
    *, ancestors: Collection[int], tags: Iterable[str], rules: Iterable[Rule]
) -> tuple[int, str] | None:
    """The interval of a household whose grid has `ancestors` (its own id and every ancestor's)
    and whose members carry `tags`; with the tag of the deciding rule ("" for every household).
    None when no rule applies."""
    wanted = set(tags) | {""}
    winners: dict[str, Rule] = {}
    for rule in rules:
        if rule.tag not in wanted:
            continue
        if rule.area_id is not None and rule.area_id not in ancestors:
            continue
        held = winners.get(rule.tag)
        if held is None or rule.depth > held.depth:
            winners[rule.tag] = rule
    if not winners:
        return None
    best = min(winners.values(), key=lambda r: (r.interval_days, r.tag == "", r.tag))
    return best.interval_days, best.tag


def due_on(
    *, last_visit: datetime.date | None, since: datetime.date, interval: int
) -> datetime.date:
    """When the next visit is due: `interval` days after the last visit, or after `since` (the
    household's registration) when there was none."""
    return (last_visit or since) + datetime.timedelta(days=interval)


def balanced(*, households: list[int], loads: dict[int, int], cap: int) -> dict[int, int] | None:
    """Assign each of `households` to a member (keys of `loads`, value: households they already
    hold) so that no member holds more than `cap` and the loads stay as even as possible (each
    household goes to the least-loaded member, ties by member id). None when the free places
    (sum of cap - load) are fewer than the households."""
    free = sum(max(cap - load, 0) for load in loads.values())
    if free < len(households):
        return None
    current = dict(loads)
    out: dict[int, int] = {}
    for household in households:
        member = min((m for m in current if current[m] < cap), key=lambda m: (current[m], m))
        out[household] = member
        current[member] += 1
    return out


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres (haversine)."""
    from math import asin, cos, radians, sin, sqrt

    p1, p2 = radians(lat1), radians(lat2)
    dp, dl = p2 - p1, radians(lon2 - lon1)
    a = sin(dp / 2) ** 2 + cos(p1) * cos(p2) * sin(dl / 2) ** 2
    return 6371.0 * 2 * asin(sqrt(a))
