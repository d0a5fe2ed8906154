"""The scheduler: periodic jobs that apps declare, run by one process per database.

- `registry`: apps declare jobs in their own ``jobs.py`` (autodiscovered, like admin modules):
  ``register("sweep", schedule=EVERY_MINUTE, description=...)`` runs ``call_command("sweep")``.
- `lease`: one row per database that only one scheduler holds at a time; the others stand by.
- `state`: each job's last run, outcome, error, duration and next due time, kept in the database
  so that a restart neither forgets a job nor runs a missed one more than once.
- `runner`: the tick (take or renew the lease, start what is due) and the loop that drives it.
- `selectors.scheduler_status()`: whether a scheduler is alive, for pages and `/health/`.

`grassroots scheduler` runs it on its own; `grassroots serve` runs it beside the web server and
the task worker. See docs/operations.md.
"""

from grassroots.core.scheduler.registry import EVERY_MINUTE, register

__all__ = ["EVERY_MINUTE", "register"]
