"""Rollup lag under sustained intake: how long after its creation a case is counted.

The product runs under gunicorn and the scheduler runs as its own process (`grassroots
scheduler`: ``refresh-figures`` every minute, on the minute, beside the other jobs); the load
process POSTs intake at a fixed rate (bench/loadgen.py ``--rate``). Meanwhile this process
polls, twice a second, the county's figures two ways:

- as the leader's dashboard reads them: ``GET /api/v1/metrics/cases/?within=<county>`` over
  HTTP, its ``total`` (the rollups of the days untouched since the refresh plus live rows of
  the days touched since, `grassroots.figures.live`);
- the rollup tables alone: the county's ``SubtreeFigure`` rows (what the refresher wrote).

The n-th new case of the county (by creation time) is counted once a poll returns at least
the count before the run plus n; its lag is that poll's answer time minus its ``created_at``
(an upper bound by at most the poll interval). After the load stops the polls go on until
every new case is counted, or for `DRAIN_SECONDS` at most (then the rest count as uncounted).
"""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import time
from typing import Any

import generate as gen
from serve import drive_in_background, say
from workloads import PY, REPO, gunicorn, intake_bodies, token_for

POLL_SECONDS = 0.5
DRAIN_SECONDS = 75.0
CONNECTIONS = 16  # enough connections that the pace holds through a slow request


def _received(data: Any) -> int:
    """The figure's count of cases received ("total", the dashboards' definition)."""
    if not isinstance(data, dict) or not isinstance(data.get("total"), int):
        raise RuntimeError(f"no total in {str(data)[:200]}")
    return int(data["total"])


def rollup_count(county_id: int) -> int:
    from django.db.models import Sum

    from grassroots.figures.models import SubtreeFigure

    total = SubtreeFigure.objects.filter(grain="area", node_id=county_id).aggregate(
        n=Sum("received")
    )["n"]
    return int(total or 0)


def lags(created: list[float], polls: list[tuple[float, int]], base: int) -> list[float]:
    """Per case (in creation order): seconds from its creation to the first poll counting it
    (a count ≥ base + its rank); cases never counted are left out."""
    out: list[float] = []
    i = 0
    for at, count in polls:
        while i < len(created) and count >= base + i + 1:
            out.append(max(0.0, at - created[i]))
            i += 1
    return out


def lag_summary(values: list[float], total: int) -> dict[str, Any]:
    ordered = sorted(values)

    def q(p: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(len(ordered) * p))], 1) if ordered else 0.0

    return {
        "counted": len(ordered),
        "uncounted": total - len(ordered),
        "median_s": q(0.5),
        "p95_s": q(0.95),
        "max_s": round(ordered[-1], 1) if ordered else 0.0,
    }


def lag_workload(env: dict[str, str], *, rate: float, secs: float) -> dict[str, Any]:
    """Intake at `rate` a second for `secs` with the scheduler running; both lags."""
    from grassroots.areas.models import Area
    from grassroots.cases.models import Case
    from grassroots.core.scheduler.models import JobState
    from grassroots.figures.models import RefreshMark

    county = Area.objects.get(code="141126000000")
    in_county = Case.objects.filter(area__county=county)
    lead = token_for("leader")
    first_id = (Case.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    sched_log = open(gen.BENCH_VAR / "scheduler.log", "wb")  # noqa: SIM115
    scheduler = subprocess.Popen(  # noqa: S603
        [PY, "-m", "grassroots", "scheduler"],
        env={**os.environ, **env},
        cwd=str(REPO),
        stdout=sched_log,
        stderr=sched_log,
    )
    proc, port = gunicorn(env, "grassroots.settings")
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    failed: list[int] = []

    def live() -> int | None:
        """The county's received cases as the dashboard reads them (None: the read failed, and
        is counted in `poll_errors`)."""
        conn.request(
            "GET",
            f"/api/v1/metrics/cases/?within={county.pk}",
            headers={"Authorization": f"Token {lead}"},
        )
        resp = conn.getresponse()
        body = resp.read()
        if resp.status != 200:
            failed.append(resp.status)
            return None
        return _received(json.loads(body))

    live_polls: list[tuple[float, int]] = []
    rollup_polls: list[tuple[float, int]] = []
    refreshes: set[Any] = set()
    # each scheduled job's runs that ended during the stage: (end, milliseconds, outcome)
    runs: dict[str, set[tuple[Any, int, str]]] = {}
    try:
        base_live, base_rollup = live(), rollup_count(county.pk)
        if base_live is None:
            raise RuntimeError(f"metrics: status {failed[-1]} before the load")
        say(f"  rollup lag: intake at {rate:g}/s for {secs:g} s, the scheduler running")
        load = drive_in_background(
            port,
            "/api/v1/cases/",
            token_for("hotline"),
            intake_bodies(),
            secs,
            rate=rate,
            concurrency=CONNECTIONS,
        )
        drain_until = load.ends + DRAIN_SECONDS
        while True:
            t0 = time.time()
            n_live = live()
            if n_live is not None:
                live_polls.append((time.time(), n_live))
            rollup_polls.append((time.time(), rollup_count(county.pk)))
            refreshes.add(RefreshMark.objects.values_list("refreshed_at", flat=True).first())
            for name, ended, ms, outcome in JobState.objects.filter(
                last_finished_at__isnull=False
            ).values_list("name", "last_finished_at", "last_duration_ms", "last_outcome"):
                runs.setdefault(name, set()).add((ended, ms or 0, outcome))
            if time.monotonic() > load.ends:
                made = in_county.filter(id__gte=first_id).count()
                shown = live_polls[-1][1] if live_polls else base_live
                caught_up = shown >= base_live + made and rollup_polls[-1][1] >= base_rollup + made
                if caught_up or time.monotonic() > drain_until:
                    break
            time.sleep(max(0.0, POLL_SECONDS - (time.time() - t0)))
        intake = load.result()
    finally:
        conn.close()
        proc.terminate()
        proc.wait(30)
        scheduler.terminate()
        scheduler.wait(60)
        sched_log.close()
    created = [
        at.timestamp()
        for at in in_county.filter(id__gte=first_id)
        .order_by("created_at")
        .values_list("created_at", flat=True)
    ]
    return {
        "rate_target": rate,
        "seconds": secs,
        "intake": intake,
        "cases": len(created),
        # the refresher's runs seen during the polls (the mark before the run is one of them)
        "refreshes": len(refreshes) - 1,
        # dashboard reads that failed during the load (their statuses), not counted as polls
        "poll_errors": len(failed),
        "poll_error_statuses": sorted(set(failed)),
        "dashboard_figures": lag_summary(lags(created, live_polls, base_live), len(created)),
        "rollup_tables": lag_summary(lags(created, rollup_polls, base_rollup), len(created)),
        # how long each minute's job ran (the one before the stage included): on SQLite a
        # job's write transaction holds the one write lock intake waits for
        "job_runs_ms": {
            name: [[ms, outcome] for _end, ms, outcome in sorted(seen)]
            for name, seen in sorted(runs.items())
        },
    }
