"""`grassroots purge-imports [--days N]`: delete old import jobs and their files."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from grassroots.people.ledger.purge import imports_purge, retention_days


class Command(BaseCommand):
    help = (
        "Delete import jobs untouched for N days (default PEOPLE_IMPORT_RETENTION_DAYS, 7) with "
        "their uploads and error reports, and stray files under MEDIA_ROOT/imports as old."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=None, help="retention in days")

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["days"] if options["days"] is not None else retention_days()
        if days < 1:
            raise CommandError("--days must be at least 1")
        purged = imports_purge(days=days)
        self.stdout.write(f"purged {purged.jobs} import jobs and {purged.files} files")
