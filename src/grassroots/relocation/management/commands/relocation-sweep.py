"""`grassroots relocation-sweep`: re-generate items, follow linked cases, escalate stuck items."""

from typing import Any

from django.core.management.base import BaseCommand

from grassroots.relocation.services import relocation_sweep


class Command(BaseCommand):
    help = "Re-generate relocated households' items, follow linked cases, escalate stuck items."

    def handle(self, *args: Any, **options: Any) -> None:
        out = relocation_sweep()
        self.stdout.write(
            f"generated {out.generated}, lapsed {out.lapsed}, "
            f"followed {out.followed}, escalated {out.escalated}"
        )
