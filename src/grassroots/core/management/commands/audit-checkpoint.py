"""`grassroots audit-checkpoint`: append a signed checkpoint of the audit chain's head.

Writes nothing when the head has not moved since the last checkpoint. See
`core.audit_checkpoints`; the scheduler runs it every five minutes.
"""

from typing import Any

from django.core.management.base import BaseCommand

from grassroots.core.audit import audit_source
from grassroots.core.audit_checkpoints import checkpoint_path, checkpoint_write


class Command(BaseCommand):
    help = "Append a signed checkpoint of the audit chain to the checkpoint file (and syslog)."

    def handle(self, *args: Any, **options: Any) -> None:
        with audit_source("command:audit-checkpoint"):
            mark = checkpoint_write()
        if mark is None:
            self.stdout.write("audit checkpoint: nothing new")
        else:
            self.stdout.write(f"audit checkpoint: row {mark.seq} → {checkpoint_path()}")
