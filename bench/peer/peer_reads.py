"""The peer's read workloads, timed in-process like bench/run.py's read_workloads.

Django test client, the staff agent logged in (force_login: helpdesk's staff pages use the
session), 2 warm-up calls then `runs` timed calls per workload, median and p99; every timed
call must answer 200. Runs only inside the peer's virtual environment, after django.setup().
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from timing import timed_pass

OPEN_STATUSES = (1, 2)  # helpdesk's "Open" and "Reopened": its list's own default filter
PAGE_LENGTH = 25  # helpdesk's default tickets_per_page, the first page datatables asks for
DATA_URL = re.compile(r"""["'](/datatables_ticket_list/[^"']+)["']""")


def measure(*, runs: int, queue: int, username: str) -> dict[str, Any]:
    """The staff ticket list filtered by one queue and the open statuses (the HTML page, then
    the datatables JSON its script loads the rows from; "ticket_list" times the two together)
    and the staff dashboard. Checks that the filtered first page holds rows of that queue."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from helpdesk.models import Ticket

    agent = get_user_model().objects.get(username=username)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(agent)
    list_params: dict[str, Any] = {"queue": queue, "status": list(OPEN_STATUSES)}
    data_params: dict[str, str | int] = {
        "draw": 1,
        "start": 0,
        "length": PAGE_LENGTH,
        "search[value]": "",
    }

    page = client.get("/tickets/", list_params)
    if page.status_code != 200:
        raise RuntimeError(f"ticket list: status {page.status_code}")
    found = DATA_URL.search(page.content.decode())
    if not found:
        raise RuntimeError("ticket list: no datatables URL in the page")
    data_url = found.group(1)
    data = client.get(data_url, data_params).json()
    expected = Ticket.objects.filter(queue_id=queue, status__in=OPEN_STATUSES).count()
    if data.get("recordsFiltered") != expected or len(data.get("data", [])) != min(
        PAGE_LENGTH, expected
    ):
        raise RuntimeError(
            f"datatables: {data.get('recordsFiltered')} filtered, "
            f"{len(data.get('data', []))} rows; expected {expected}"
        )

    def list_page() -> int:
        return client.get("/tickets/", list_params).status_code

    def list_data() -> int:
        return client.get(data_url, data_params).status_code

    def dashboard() -> int:
        return client.get("/dashboard/").status_code

    listing = timed_pass({"page": list_page, "data": list_data}, runs)
    return {
        "filter": {"queue": queue, "status": list(OPEN_STATUSES), "matching": expected},
        "ticket_list": listing["total"],
        "ticket_list_page": listing["page"],
        "ticket_list_data": listing["data"],
        "dashboard": timed_pass({"page": dashboard}, runs)["page"],
    }
