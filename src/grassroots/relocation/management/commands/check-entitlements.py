"""`grassroots check-entitlements`: the omission check, recorded; lists each finding."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from grassroots.relocation.models import Omission
from grassroots.relocation.omissions import omission_check


class Command(BaseCommand):
    help = "Run the omission check of relocated households' entitlements and record it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--fail", action="store_true", help="exit with status 1 when anything is found"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        run = omission_check()
        rows = Omission.objects.filter(closed_on=None).select_related(
            "relocated__household", "entitlement"
        )
        for o in rows.order_by("relocated__household__number", "kind", "pk"):
            name = o.entitlement.name if o.entitlement else "-"
            self.stdout.write(f"{o.relocated.household.number}\t{o.kind}\t{name}\t{o.detail}")
        self.stdout.write(f"omissions: found {run.found}, new {run.opened}, closed {run.closed}")
        if options["fail"] and run.found:
            raise SystemExit(1)
