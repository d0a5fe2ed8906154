"""System checks of the replica settings (``grassroots check``; docs/deploy.md "Scale-out").

- ``grassroots.W201``: a replica is configured and ``GRASSROOTS_REPLICA_STICKY_SECONDS`` is
  shorter than ``GRASSROOTS_REPLICA_MAX_LAG_SECONDS``: a writer may then read a copy that has not
  replayed their own write yet.
- ``grassroots.E202``: a bound that is not positive (a zero lag bound skips every replica).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks

from grassroots.db.routing import replica_configured


@checks.register(checks.Tags.database)
def replica_settings(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    if not replica_configured():
        return []
    sticky = float(settings.REPLICA_STICKY_SECONDS)
    max_lag = float(settings.REPLICA_MAX_LAG_SECONDS)
    found: list[checks.CheckMessage] = []
    for name, value in (
        ("GRASSROOTS_REPLICA_MAX_LAG_SECONDS", max_lag),
        ("GRASSROOTS_REPLICA_STICKY_SECONDS", sticky),
        ("GRASSROOTS_REPLICA_CHECK_SECONDS", float(settings.REPLICA_CHECK_SECONDS)),
    ):
        if value <= 0:
            found.append(
                checks.Error(f"{name} must be positive, not {value:g}", id="grassroots.E202")
            )
    if 0 < sticky < max_lag:
        found.append(
            checks.Warning(
                f"GRASSROOTS_REPLICA_STICKY_SECONDS ({sticky:g}) is shorter than "
                f"GRASSROOTS_REPLICA_MAX_LAG_SECONDS ({max_lag:g}): a writer may read a replica "
                "that has not replayed their write yet",
                hint="make the sticky window at least the lag bound",
                id="grassroots.W201",
            )
        )
    return found
