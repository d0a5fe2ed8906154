"""Kept states (`registry.KeptState`): tables an app derives for its figures, refreshed and
verified like the count sources (`figures.counts`).

- **refresh** (`states_refresh`, run by `refresh-figures` after the cases and before the count
  sources, which may count a state's rows): a state's `rebuild` runs when its stamp (the
  app's `stamp()` and the local date) differs from the one its last rebuild recorded (a
  `SourceMark` named `state:<name>`); the rebuild writes in its own transaction, then the
  stamp read before it is recorded.
- **verify** (`states_verify`, run by `verify-figures`): with the stamp unchanged since the
  rebuild (as of its date), every stored row must equal the recomputation — a difference is
  corruption; a changed stamp is lag.
"""

from __future__ import annotations

import datetime
import hashlib

from django.db import transaction
from django.utils import timezone

from grassroots.figures.checks import compare
from grassroots.figures.counts import CountCheck
from grassroots.figures.models import SourceMark
from grassroots.figures.registry import KeptState, day_of, kept_states


def mark_name(state: KeptState) -> str:
    """The `SourceMark` row of a state."""
    return f"state:{state.name}"


def stamp_of(state: KeptState, today: datetime.date) -> str:
    """The digest of the state's stamp and the date it is computed as of."""
    raw = repr((state.stamp(), today.isoformat()))
    return hashlib.sha256(raw.encode()).hexdigest()


def states_refresh(*, now: datetime.datetime | None = None, full: bool = False) -> int:
    """Rebuild every kept state whose stamp changed since its last rebuild (every one when
    `full`); returns how many were rebuilt.

    The stamp is read before the rebuild and recorded after it: a change made meanwhile leaves
    the recorded stamp behind, so the next run rebuilds again (never the other way round, a
    stamp newer than the rows). The rebuild writes in its own transaction (`KeptState`), not
    inside the mark's: on SQLite that one would hold the write lock while the state is
    worked out."""
    now = now or timezone.now()
    today = day_of(now)
    done = 0
    for state in kept_states():
        name = mark_name(state)
        stamp = stamp_of(state, today)
        if not full and SourceMark.objects.filter(source=name, stamp=stamp).exists():
            continue
        state.rebuild(today)
        with transaction.atomic():
            mark, _ = SourceMark.objects.select_for_update().get_or_create(
                source=name, defaults={"refreshed_at": now, "stamp": ""}
            )
            mark.stamp, mark.refreshed_at = stamp, now
            mark.save()
        done += 1
    return done


def states_verify() -> list[CountCheck]:
    """Each kept state against a recomputation as of its rebuild's date. Read-only."""
    out = []
    for state in kept_states():
        name = mark_name(state)
        mark = SourceMark.objects.filter(source=name).first()
        if mark is None:
            out.append(CountCheck(name, None, False, []))
            continue
        today = day_of(mark.refreshed_at)
        if stamp_of(state, today) != mark.stamp:
            out.append(CountCheck(name, mark.refreshed_at, True, []))
            continue
        found = compare(name, state.expected(today), state.stored())
        out.append(CountCheck(name, mark.refreshed_at, False, found))
    return out


def rebuilt_stamp(name: str) -> tuple[str, str]:
    """What a count source over the state `name` stamps itself with: the state's last rebuild
    (its stamp and clock; empty when never rebuilt). One query."""
    row = SourceMark.objects.filter(source=f"state:{name}").values_list("stamp", "refreshed_at")
    got = row.first()
    return (got[0], str(got[1])) if got else ("", "")
