"""`grassroots audit-verify`: check the audit chain with the key and against every checkpoint.

Exits 1 naming the first bad sequence number (see `core.audit_verify` for what fails).
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from grassroots.core.audit_verify import chain_verify


class Command(BaseCommand):
    help = "Verify the audit log's keyed hash chain and its checkpoints (SECURITY.md 18)."

    def handle(self, *args: Any, **options: Any) -> None:
        report = chain_verify()
        if not report.ok:
            where = f"at sequence {report.broken_at}" if report.broken_at else "in its checkpoints"
            raise CommandError(
                f"audit chain broken {where}: {report.reason} "
                f"({report.checked} rows verified before it)"
            )
        note = "" if report.keyed else "; not keyed yet (rows written before the upgrade)"
        self.stdout.write(
            f"audit chain intact: {report.checked} rows, {report.checkpoints} checkpoints{note}"
        )
