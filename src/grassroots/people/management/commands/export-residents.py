"""`grassroots export-residents OUT.xlsx --as USERNAME`: the resident list as .xlsx.

The same export as the page, for one account and within its scope: masked unless ``--unmasked``
(which needs the account's EXPORT_UNMASKED permission and ``--purpose``); audited with the file's
SHA-256. ``--within CODE`` limits it to an area's subtree, ``--households`` exports households.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from grassroots.areas.models import Area
from grassroots.core.audit import audit_source
from grassroots.core.errors import DomainError
from grassroots.core.models import User
from grassroots.people.ledger.export import households_export, residents_export
from grassroots.people.selectors import ResidentFilters


class Command(BaseCommand):
    help = "Export the residents (or households) an account sees as .xlsx; masked by default."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("out", type=Path)
        parser.add_argument("--as", dest="username", required=True, help="the exporting account")
        parser.add_argument("--within", help="an area code: export only its subtree")
        parser.add_argument("--households", action="store_true", help="export households")
        parser.add_argument("--unmasked", action="store_true", help="full ID numbers and phones")
        parser.add_argument("--purpose", default="", help="why (required with --unmasked)")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = User.objects.filter(username=options["username"], is_active=True).first()
        if actor is None:
            raise CommandError(f"no active account named {options['username']!r}")
        within = None
        if options["within"]:
            area = Area.objects.filter(code=options["within"]).first()
            if area is None:
                raise CommandError(f"no area with code {options['within']!r}")
            within = area.pk
        try:
            with audit_source("command:export-residents"):
                if options["households"]:
                    result = households_export(actor=actor, within=within)
                else:
                    result = residents_export(
                        actor=actor,
                        filters=ResidentFilters(within=within),
                        unmasked=options["unmasked"],
                        purpose=options["purpose"],
                    )
        except DomainError as exc:
            raise CommandError(str(exc.message)) from None
        with result.handle, options["out"].open("wb") as out:
            shutil.copyfileobj(result.handle, out)
        self.stdout.write(
            f"{result.rows} rows written to {options['out']} (sha256 {result.sha256})"
        )
