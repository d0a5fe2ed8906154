"""`grassroots import-areas FILE`: load a county's area tree from CSV or GeoJSON, all or nothing."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from grassroots.areas.importers import read_tree_file
from grassroots.areas.services import area_import
from grassroots.core.audit import audit_source
from grassroots.core.errors import DomainError


class Command(BaseCommand):
    help = "Import areas (county to micro grid) from a .csv or .geojson file; nothing on error."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            rows = read_tree_file(options["file"])
            with audit_source("command:import-areas"):
                created = area_import(actor=None, rows=rows)
        except DomainError as exc:
            lines = [str(exc.message)]
            for error in exc.detail.get("errors", []):
                lines.append(f"  row {error['row']}, {error['field']}: {error['message']}")
            raise CommandError("\n".join(lines)) from None
        self.stdout.write(f"imported {created} areas")
