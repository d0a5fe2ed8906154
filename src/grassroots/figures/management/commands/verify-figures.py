"""`grassroots verify-figures`: compare the rollups with the cases at any moment.

Exit 0 when the rollups equal the cases on every day untouched since the last refresh; what was
written since is reported as lag (one "lag:" line), not as a difference. Exit 1 on corruption:
a rollup row that disagrees with the cases on a day untouched since the refresh.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from grassroots.figures.checks import figures_verify
from grassroots.figures.services import figures_refresh

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
            figures_refresh()
        verdict = figures_verify()
        if verdict.refreshed_at is None:
            self.stdout.write("no refresh yet: run refresh-figures")
            return
        if lag := verdict.lag_line():
            self.stdout.write(lag)
        if not verdict.corrupt:
            self.stdout.write("figures consistent with the cases")
            return
        for d in verdict.differences[:SHOWN]:
            self.stderr.write(f"corrupt: {d}")
        self.stderr.write(f"{len(verdict.differences)} difference(s) on untouched days")
        raise SystemExit(1)
