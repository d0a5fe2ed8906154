"""`grassroots restore ARCHIVE`: an archive of `grassroots backup` into an empty database."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from grassroots.core.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore an archive made by `grassroots backup` into the configured, empty database "
        "(same engine, same GRASSROOTS_FIELD_KEY); checks every table's rows and the audit head."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        archive: Path = options["archive"]
        if not archive.is_file():
            raise CommandError(f"archive: no such file: {archive}")
        try:
            manifest = restore(archive)
        except BackupError as exc:
            raise CommandError(f"restore refused: {exc}") from None
        self.stdout.write(
            f"restored {manifest.rows} rows in {len(manifest.tables)} tables and "
            f"{len(manifest.media)} media files (backup of {manifest.created_at}); "
            "next: `grassroots audit-verify` and `grassroots verify-figures`"
        )
