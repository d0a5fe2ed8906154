"""`grassroots throttle-purge`: drop the rate-limit counters whose window has closed."""

from typing import Any

from django.core.management.base import BaseCommand

from grassroots.core.throttle import DatabaseStore


class Command(BaseCommand):
    help = "Delete closed rate-limit windows from the database store (Redis expires its own)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"throttle counters purged: {DatabaseStore().purge()}")
