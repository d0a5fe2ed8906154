"""`grassroots verify-figures`: compare the rollups with the cases at any moment.

Exit 0 when the rollups equal the cases on every day untouched since the last refresh; what was
written since is reported as lag (one "lag:" line), not as a difference. Exit 1 on corruption:
a rollup row that disagrees with the cases on a day untouched since the refresh. The count
sources (`figures.counts`: visits, disputes) are checked the same way: a source changed since
its refresh is lag, a stored row that differs from its unchanged rows is corruption; and so
are the kept states (`figures.states`: the households' visit state). Last, the checks apps
register (`registry.register_check`: the scorecard recomputes every indicator of every area and
period it shows from the rows); a difference there is corruption too.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from grassroots.figures import registry
from grassroots.figures.checks import figures_verify
from grassroots.figures.counts import counts_refresh, counts_verify
from grassroots.figures.services import figures_refresh
from grassroots.figures.states import states_refresh, states_verify

SHOWN = 50


class Command(BaseCommand):
    help = (
        "Recompute the rollups from the cases: report lag (cases written since the last "
        "refresh, exit 0) and corruption (a row that disagrees on an untouched day, exit 1)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--refresh", action="store_true", help="run the refresher first")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["refresh"]:
            at = figures_refresh().refreshed_at
            states_refresh(now=at)
            counts_refresh(now=at)
        counted = self._counts() + self._checks()
        verdict = figures_verify()
        if verdict.refreshed_at is None:
            self.stdout.write("no refresh yet: run refresh-figures")
            if counted:
                raise SystemExit(1)
            return
        if lag := verdict.lag_line():
            self.stdout.write(lag)
        if not verdict.corrupt:
            self.stdout.write("figures consistent with the cases")
            if counted:
                raise SystemExit(1)
            return
        for d in verdict.differences[:SHOWN]:
            self.stderr.write(f"corrupt: {d}")
        self.stderr.write(f"{len(verdict.differences)} difference(s) on untouched days")
        raise SystemExit(1)

    def _checks(self) -> int:
        """Run the registered checks; report each, and return how many differences they found."""
        corrupt = 0
        for check in registry.checks():
            found = check.run()
            for line in found[:SHOWN]:
                self.stderr.write(f"corrupt: {check.name}: {line}")
            if found:
                self.stderr.write(f"{len(found)} difference(s) in {check.name}")
            else:
                self.stdout.write(f"{check.name}: consistent with the rows")
            corrupt += len(found)
        return corrupt

    def _counts(self) -> int:
        """Check the count sources; report each, and return how many rows are corrupt."""
        corrupt = 0
        for check in [*states_verify(), *counts_verify()]:
            if check.refreshed_at is None:
                self.stdout.write(f"{check.source}: no refresh yet")
            elif check.lag:
                self.stdout.write(f"lag: {check.source} changed since its refresh")
            elif not check.differences:
                self.stdout.write(f"{check.source}: figures consistent with its rows")
            for d in check.differences[:SHOWN]:
                self.stderr.write(f"corrupt: {d}")
            if check.differences:
                self.stderr.write(f"{len(check.differences)} difference(s) in {check.source}")
            corrupt += len(check.differences)
        return corrupt
