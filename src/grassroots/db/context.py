"""Template context: "数据截至 HH:MM:SS" on pages whose reads came from the replica."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from grassroots.db.routing import REPLICA, current_read_alias


def replica_as_of(request: HttpRequest) -> dict[str, Any]:
    """``replica_as_of``: the local time up to which the replica holds every commit, or ''.

    Set only while the request is read-routed to the replica (see `grassroots.db.routing`): the
    moment the replica was known to hold when it was chosen for this request.
    """
    if current_read_alias() != REPLICA:
        return {"replica_as_of": ""}
    as_of = getattr(request, "replica_as_of", None)
    if as_of is None:
        return {"replica_as_of": ""}
    return {"replica_as_of": timezone.localtime(as_of).strftime("%H:%M:%S")}
