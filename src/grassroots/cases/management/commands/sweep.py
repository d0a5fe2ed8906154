"""`grassroots sweep`: reminders, overdue flags and escalations; run every minute in production."""

from typing import Any

from django.core.management.base import BaseCommand

from grassroots.cases.services import case_sweep
from grassroots.core.audit import audit_source


class Command(BaseCommand):
    help = "Check every running case's time limits: remind, flag overdue, escalate (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        with audit_source("command:sweep"):
            counts = case_sweep()
        self.stdout.write(", ".join(f"{k} {v}" for k, v in counts.items()))
