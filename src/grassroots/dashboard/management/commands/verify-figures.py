"""`grassroots verify-figures`: compare the rollups with the cases; exit 1 on any difference."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from grassroots.dashboard.checks import figures_verify
from grassroots.dashboard.services import figures_refresh

SHOWN = 50


class Command(BaseCommand):
    help = "Recompute every rollup row from the cases and report each difference (exit 1)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--refresh", action="store_true", help="run the refresher first (live systems)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["refresh"]:
            figures_refresh()
        differences = figures_verify()
        if not differences:
            self.stdout.write("figures consistent with the cases")
            return
        for d in differences[:SHOWN]:
            self.stderr.write(str(d))
        self.stderr.write(f"{len(differences)} difference(s)")
        raise SystemExit(1)
