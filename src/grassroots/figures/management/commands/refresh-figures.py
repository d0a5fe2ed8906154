"""`grassroots refresh-figures`: bring the figures' rollups up to date (run every minute): the
cases' rollups, then the kept states (`figures.states`: the households' visit state), then
the count sources' (`figures.counts`: visits, disputes)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from grassroots.figures.counts import counts_refresh
from grassroots.figures.services import figures_refresh
from grassroots.figures.states import states_refresh


class Command(BaseCommand):
    help = (
        "Recompute the rollups of the days whose cases changed since the last run, and of "
        "the count sources (visits, disputes) that changed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--full", action="store_true", help="rebuild every day")

    def handle(self, *args: Any, **options: Any) -> None:
        result = figures_refresh(full=options["full"])
        states = states_refresh(now=result.refreshed_at, full=options["full"])
        sources = counts_refresh(now=result.refreshed_at, full=options["full"])
        self.stdout.write(
            f"refreshed {result.days} day(s), {result.rows} row(s)"
            + (" (full rebuild)" if result.rebuilt else "")
            + (f"; {states} kept state(s) rebuilt" if states else "")
            + (f"; {sources} count source(s) recomputed" if sources else "")
        )
