"""`grassroots audit-prune`: delete audit rows past retention, up to a checkpoint.

Refuses (exit 1, nothing deleted) when the chain does not verify. See `core.audit_retention`;
the scheduler runs it nightly.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from grassroots.core.audit import audit_source
from grassroots.core.audit_retention import AuditChainBroken, audit_prune, retention_days


class Command(BaseCommand):
    help = "Prune audit rows older than GRASSROOTS_AUDIT_RETENTION_DAYS, keeping the chain whole."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with audit_source("command:audit-prune"):
                result = audit_prune()
        except AuditChainBroken as exc:
            raise CommandError(f"audit chain broken {exc}; nothing pruned") from None
        if result is None:
            self.stdout.write(f"audit prune: nothing older than {retention_days()} days to prune")
        else:
            self.stdout.write(
                f"audit prune: {result.rows} rows up to sequence {result.through_seq} deleted"
            )
