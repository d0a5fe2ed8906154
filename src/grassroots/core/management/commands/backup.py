"""`grassroots backup`: an encrypted archive of the database and media files (SECURITY.md 22)."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from grassroots.core.backup import BackupError, backup, prune


class Command(BaseCommand):
    help = (
        "Write an encrypted archive of the database and media files into GRASSROOTS_BACKUP_DIR "
        "and keep the newest GRASSROOTS_BACKUP_KEEP (restore with `grassroots restore`)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out-dir", type=Path, help="where to write (default: the setting)")
        parser.add_argument("--keep", type=int, help="archives to keep (default: the setting)")

    def handle(self, *args: Any, **options: Any) -> None:
        out_dir = options["out_dir"] or Path(settings.BACKUP_DIR)
        keep = options["keep"] if options["keep"] is not None else settings.BACKUP_KEEP
        try:
            path, manifest = backup(out_dir)
        except BackupError as exc:
            raise CommandError(f"backup failed: {exc}") from None
        removed = prune(out_dir, keep=keep)
        self.stdout.write(
            f"backup written: {path} ({len(manifest.tables)} tables, {manifest.rows} rows, "
            f"{len(manifest.media)} media files; {len(removed)} older archives removed)"
        )
