"""The benchmark's workloads: intake, the bare reference view, the executemany ceiling and the
workflow loop through gunicorn driven by a separate load process; lists and figures in-process.

Each function runs inside a worker process whose Django is set up for one database.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import generate as gen
import serve
from serve import CONCURRENCY, drive, drive_jobs, say
from timing import timed

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
PY = sys.executable
SEARCH_WORD = "路灯"


def token_for(username: str) -> str:
    from grassroots.core.models import User
    from grassroots.core.tokens import token_issue

    _token, raw = token_issue(user=User.objects.get(username=username))
    return raw


def gunicorn(env: dict[str, str], settings: str) -> tuple[subprocess.Popen[bytes], int]:
    """The product (or, with settings "refsettings", the bare reference view) under gunicorn."""
    return serve.gunicorn(
        exe=Path(PY).with_name("gunicorn"),
        app="grassroots.wsgi",
        env={**os.environ, **env, "DJANGO_SETTINGS_MODULE": settings},
        cwd=REPO,
        log_dir=gen.BENCH_VAR,
    )


def intake_bodies(n: int = 400) -> list[dict[str, Any]]:
    """Varied intake bodies: by area or by location (routing), with a reporter's phone."""
    import random

    from grassroots.areas.models import Area
    from grassroots.cases.models import Matter

    rng = random.Random(7)
    matters = list(Matter.objects.filter(active=True).values_list("code", flat=True))
    grids = list(
        Area.objects.filter(level="grid3", county__code="141126000000").values_list(
            "pk", "centre_lon", "centre_lat"
        )[:500]
    )
    bodies = []
    for i in range(n):
        pk, lon, lat = rng.choice(grids)
        body: dict[str, Any] = {
            "matter": rng.choice(matters),
            "channel": "hotline",
            "description": f"{rng.choice(gen.PLACES)}{rng.choice(gen.TOPICS)}（压测 {i}）",
            "reporter": {"name": "张先生", "phone": f"138{rng.randrange(10**8):08d}"},
        }
        if i % 2 and lon is not None and lat is not None:
            body["location"] = {"lat": lat, "lon": lon}
        else:
            body["area"] = pk
        bodies.append(body)
    return bodies


def reference_bodies(n: int = 400) -> list[dict[str, Any]]:
    from grassroots.areas.models import Area
    from grassroots.cases.models import Matter

    matter = Matter.objects.order_by("id").values_list("pk", flat=True)[0]
    grids = list(Area.objects.filter(level="grid3").values_list("pk", flat=True)[:200])
    return [
        {"matter_id": matter, "area": grids[i % len(grids)], "description": f"参照请求 {i}"}
        for i in range(n)
    ]


def drop_reference_rows() -> None:
    from django.db import transaction

    from grassroots.cases.models import Case, CaseEvent

    with transaction.atomic():
        CaseEvent.objects.filter(case__title="BENCH-REF").delete()
        Case.objects.filter(title="BENCH-REF").delete()


def ceiling(rows: int) -> dict[str, Any]:
    """Plain executemany of the reference view's two rows per case: the database's ceiling."""
    from django.db import connection, transaction
    from django.utils import timezone

    from grassroots.areas.models import Area
    from grassroots.cases.models import Case, Matter

    matter = Matter.objects.order_by("id").values_list("pk", flat=True)[0]
    area = Area.objects.filter(level="grid3").values_list("pk", flat=True)[0]
    first = (Case.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    now = timezone.now()
    cases = [
        (pk, "BENCH-REF", "参照", matter, "api", "received", area, "county", now, now)
        for pk in range(first, first + rows)
    ]
    events = [
        (pk, now, "", "create", "", "received", "", "", "{}") for pk in range(first, first + rows)
    ]
    mark = "%s" if connection.vendor == "postgresql" else "?"
    case_sql = (
        "INSERT INTO cases_case (id, title, description, matter_id, channel, state, area_id, "  # noqa: S608
        "level, created_at, updated_at, reporter_name, reporter_phone_enc, reporter_phone_index, "
        "reporter_phone_masked, address, location_unmatched, reminded, overdue, supervised, "
        "urge_count, reopen_count, escalation_count, satisfaction, closure, needs_site_check, "
        f"site_checked, extra, terms) VALUES ({', '.join([mark] * 10)}, '', '', '', '', '', "
        "FALSE, 0, FALSE, FALSE, 0, 0, 0, '', '', FALSE, FALSE, '{}', '')"
    )
    event_sql = (
        "INSERT INTO cases_caseevent (case_id, at, actor_name, action, from_state, to_state, "  # noqa: S608
        f"note, public_note, data) VALUES ({', '.join([mark] * 9)})"
    )
    t0 = time.perf_counter()
    for i in range(0, rows, 500):
        with transaction.atomic(), connection.cursor() as cur:
            cur.executemany(case_sql, cases[i : i + 500])
            cur.executemany(event_sql, events[i : i + 500])
    secs = time.perf_counter() - t0
    gen.reset_sequences(["cases_case", "cases_caseevent"])
    drop_reference_rows()
    return {"rows": rows, "per_second": round(rows / secs, 1), "batch": 500}


def loop_jobs(n: int) -> list[list[dict[str, Any]]]:
    """`n` cases waiting at the county desk (registered through `case_intake`, with no place),
    each as a job of four steps: the desk dispatches it to a community station, the station
    accepts and resolves it, the desk reviews it (satisfied)."""
    from grassroots.areas.models import Post
    from grassroots.cases.models import Matter
    from grassroots.cases.services import Intake, case_intake

    station = (
        Post.objects.filter(person__username="community", unit__isnull=False)
        .values_list("unit_id", flat=True)
        .first()
    )
    matter = Matter.objects.filter(active=True, level="community").order_by("code").first()
    if station is None or matter is None:
        raise RuntimeError("the loop needs the demo's community account and a community matter")
    desk, handler = token_for("hotline"), token_for("community")
    jobs = []
    for i in range(n):
        case, _ = case_intake(
            actor=None,
            intake=Intake(matter=matter.code, channel="hotline", description=f"流程压测 {i}"),
        )
        path = f"/api/v1/cases/{case.pk}/actions/"
        jobs.append(
            [
                {"path": path, "token": desk, "body": {"action": "dispatch", "unit": station}},
                {"path": path, "token": handler, "body": {"action": "accept"}},
                {"path": path, "token": handler, "body": {"action": "resolve", "note": "已处理"}},
                {
                    "path": path,
                    "token": desk,
                    "body": {"action": "review", "satisfaction": "satisfied"},
                },
            ]
        )
    return jobs


# Intake and the bare view are measured in alternating rounds (intake, reference, intake, …):
# whatever else the machine does meanwhile falls on both alike, as in bench/intake_probe.py.
ROUNDS = 2


@contextmanager
def serving(env: dict[str, str], settings: str) -> Iterator[int]:
    """A fresh gunicorn serving `settings` for the block; its port. Stopped afterwards."""
    proc, port = gunicorn(env, settings)
    try:
        yield port
    finally:
        proc.terminate()
        proc.wait(30)


def merged(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    """The rounds of one workload as one result: requests and seconds summed, the rate over
    both, p50 the rounds' median and p99 their worst (the samples stay in the load process);
    each round's rate kept under `rounds`."""
    requests = sum(r["requests"] for r in rounds)
    seconds = round(sum(r["seconds"] for r in rounds), 2)
    kinds: dict[str, int] = {}
    for r in rounds:
        for k, v in r["error_kinds"].items():
            kinds[k] = kinds.get(k, 0) + v
    p50s = sorted(r["p50_ms"] for r in rounds)
    return {
        **rounds[-1],
        "requests": requests,
        "seconds": seconds,
        "per_second": round(requests / seconds, 1) if seconds else 0.0,
        "p50_ms": p50s[len(p50s) // 2],
        "p99_ms": max(r["p99_ms"] for r in rounds),
        "errors": sum(kinds.values()),
        "error_kinds": kinds,
        "rounds": [r["per_second"] for r in rounds],
    }


def http_workloads(env: dict[str, str], scale: dict[str, Any]) -> dict[str, Any]:
    """Intake against the reference view in alternating rounds; the workflow loop through the
    product after the first intake round; the ceiling."""
    from grassroots.cases.models import Case

    token = token_for("hotline")
    secs = float(scale["intake_seconds"])
    jobs = loop_jobs(int(scale["loop_cases"]))
    before = Case.objects.count()
    intakes: list[dict[str, Any]] = []
    refs: list[dict[str, Any]] = []
    loop: dict[str, Any] = {}
    for n in range(1, ROUNDS + 1):
        with serving(env, "grassroots.settings") as port:
            say(f"  intake {n}/{ROUNDS}: POST /api/v1/cases/ for {secs:g} s at c={CONCURRENCY}")
            intakes.append(drive(port, "/api/v1/cases/", token, intake_bodies(), secs))
            if n == 1:
                say(f"  workflow loop: dispatch → accept → resolve → review for {secs:g} s")
                loop = drive_jobs(port, jobs, secs)
        with serving(env, "refsettings") as port:
            say(f"  reference {n}/{ROUNDS}: POST /bench/reference/ for {secs:g} s")
            refs.append(drive(port, "/bench/reference/", "", reference_bodies(), secs))
        drop_reference_rows()
    intake = merged(intakes)
    intake["cases_written"] = Case.objects.count() - before
    closed = Case.objects.filter(description__startswith="流程压测", state="closed")
    loop["cases_closed"] = closed.count()
    say("  ceiling: executemany")
    return {
        "intake": intake,
        "loop": loop,
        "reference": merged(refs),
        "ceiling": ceiling(int(scale["ceiling_rows"])),
    }


def read_workloads(runs: int) -> dict[str, Any]:
    """Lists and figures through the API (token auth) and as pages (a signed-in browser
    session), in-process with the Django test client: median and p99 of `runs` calls each."""
    from django.test import Client

    from grassroots.areas.models import Area

    county = Area.objects.get(code="141126000000")
    township = Area.objects.filter(level="township", county=county).order_by("code").first()
    assert township is not None
    desk = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Token {token_for('hotline')}")
    lead = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Token {token_for('leader')}")

    def get(client: Client, url: str, **params: Any) -> Any:
        return lambda: client.get(url, params).status_code

    browser = Client(HTTP_HOST="127.0.0.1")  # the pages, signed in through the login page
    signed = browser.post("/login/", {"username": "leader", "password": gen.PASSWORD})
    if signed.status_code != 302:
        raise RuntimeError(f"login failed: {signed.status_code}")
    return {
        "case_list_page": timed(
            get(browser, "/cases/", state="dispatched", within=township.pk), runs
        ),
        "dashboard_page": timed(get(browser, f"/dashboard/area/{county.pk}/"), runs),
        # grid health and the map read the households' visit state: one GROUP BY over grids
        "health_page": timed(get(browser, f"/dashboard/area/{county.pk}/health/"), runs),
        "map_data": timed(get(browser, "/dashboard/map/data/", within=county.pk), runs),
        "case_list": timed(
            get(desk, "/api/v1/cases/", state="dispatched", within=township.pk), runs
        ),
        "keyword_search": timed(get(desk, "/api/v1/cases/", q=SEARCH_WORD), runs),
        "county_metrics": timed(get(lead, "/api/v1/metrics/cases/", within=county.pk), runs),
        "dashboard": timed(get(lead, "/api/v1/metrics/dashboard/", within=county.pk), runs),
    }
