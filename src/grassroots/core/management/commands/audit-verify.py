"""`grassroots audit-verify`: re-check the audit log's hash chain; exit 1 at the first break."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from grassroots.core.audit import audit_verify


class Command(BaseCommand):
    help = "Verify the audit log's hash chain (SECURITY.md 18)."

    def handle(self, *args: Any, **options: Any) -> None:
        report = audit_verify()
        if report.broken_at is not None or report.reason:
            raise CommandError(
                f"audit chain broken at row {report.broken_at}: {report.reason} "
                f"({report.checked} rows verified before it)"
            )
        self.stdout.write(f"audit chain intact: {report.checked} rows")
