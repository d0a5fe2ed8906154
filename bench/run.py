"""The benchmark driver: `make bench` (full) and `make bench-quick` (tiny scale).

    .venv/bin/python bench/run.py [--scale full|quick|tiny] [--databases sqlite,postgres]

For each database it runs one worker process (its own fresh database: var/bench/*.sqlite3 or the
PostgreSQL database `grassroots_bench`) that builds the demo's tree, staff and catalogue and
generates cases in stages: at the peer's size (20,000 cases) it measures the lists and figures;
at county scale (100,000) intake and the workflow loop through gunicorn (gunicorn.conf.py,
2 × cores workers) driven by a separate load process (bench/loadgen.py, concurrency 8), the
bare reference view and plain executemany, on PostgreSQL the reads through a streaming
replica under intake (bench/replica.py, on a copy of the county in throwaway clusters), the
lists and figures again and the .xlsx import (bench/ledger.py, a child process for its peak
memory); then it extends to province scale (≈ 300,000 areas, 1,000,000 cases), measures the
lists and figures once more and the rollup lag under intake at 100 cases/s with the scheduler
running (bench/lag.py). GRASSROOTS_BENCH_PG_NAME names the PostgreSQL database. The peer,
django-helpdesk, runs after it on the same database engine (bench/peer/). Results:
bench/results/<date>-<machine>.json and bench/results/latest.md (bench/report.py).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

import generate as gen  # noqa: E402
import lag  # noqa: E402
import ledger  # noqa: E402
import replica  # noqa: E402
import report  # noqa: E402
from workloads import PY, http_workloads, read_workloads, say  # noqa: E402

SCALES: dict[str, dict[str, Any]] = {
    "full": {
        "peer_cases": 20_000,
        "county_cases": 100_000,
        "counties": 99,
        "province_cases": 1_000_000,
        "intake_seconds": 20,
        "loop_cases": 3_000,
        "runs": 50,
        "import_rows": 100_000,
        "ceiling_rows": 20_000,
        "replica_seconds": 20,
        "lag_seconds": 150,
    },
    "quick": {
        "peer_cases": 1_000,
        "county_cases": 3_000,
        "counties": 3,
        "province_cases": 20_000,
        "intake_seconds": 4,
        "loop_cases": 600,
        "runs": 15,
        "import_rows": 2_000,
        "ceiling_rows": 2_000,
        "replica_seconds": 10,
        "lag_seconds": 70,
    },
    "tiny": {
        "peer_cases": 100,
        "county_cases": 200,
        "counties": 1,
        "province_cases": 1_000,
        "intake_seconds": 3,
        "loop_cases": 300,
        "runs": 3,
        "import_rows": 200,
        "ceiling_rows": 200,
        "replica_seconds": 5,
        "lag_seconds": 40,
    },
}
# the intake rate the rollup-lag stage sustains (issue 21: within 60 s at 100 intakes/s)
LAG_RATE = 100.0


# ---------------------------------------------------------------------------------------------
# Inside a worker (Django set up for one database)


def load_lite(seed: int) -> None:
    """The demo's tree, units, staff and catalogue through its own functions — no residents
    and no case history (those take a minute; quick scales generate cases instead)."""
    import random

    from django.db import transaction

    from grassroots.areas.models import Area
    from grassroots.areas.services import area_import
    from grassroots.core.audit import audit_source
    from grassroots.demo.matters import load_catalogue
    from grassroots.demo.people import create_staff, create_units, define_post_types
    from grassroots.demo.tree import area_rows, build_tree

    rng = random.Random(seed)
    with audit_source("command:bench"), transaction.atomic():
        tree = build_tree(rng)
        area_import(actor=None, rows=area_rows(tree))
        areas = dict(Area.objects.in_bulk(field_name="code"))
        places = create_units(tree, areas)
        types = define_post_types()
        create_staff(tree=tree, places=places, types=types, rng=rng, password=gen.PASSWORD)
        load_catalogue(county_units=places.county_units, rng=rng)


def worker(kind: str, scale_name: str, seed: int, out: Path) -> None:
    """Every workload of one database at every stage, in order; the results as JSON to `out`."""
    scale = SCALES[scale_name]
    url = gen.database_url(kind)
    gen.recreate(url)
    env = gen.bench_environ(url, f"state-{kind}")
    gen.django_setup(env)
    res: dict[str, Any] = {"database": kind, "scale": scale_name, "settings": scale}
    times: dict[str, float] = {}
    res["generate"] = times
    t0 = time.perf_counter()
    say("  loading the demo tree, units, staff and catalogue")
    load_lite(seed)
    gen.add_cases(int(scale["peer_cases"]), seed=seed, label="cases (peer size)")
    times["figures_refresh_peer_s"] = gen.refresh_figures()
    times["peer_size_seconds"] = round(time.perf_counter() - t0, 1)
    res["peer_size_counts"] = gen.counts()
    say("  lists and figures at the peer's size")
    res["peer_size"] = read_workloads(int(scale["runs"]))
    t0 = time.perf_counter()
    more = int(scale["county_cases"]) - gen.counts()["cases"]
    gen.add_cases(more, seed=seed + 1, label="county cases")
    times["figures_refresh_county_s"] = gen.refresh_figures()
    times["county_seconds"] = round(time.perf_counter() - t0, 1)
    res["county_counts"] = gen.counts()
    res["problems"] = gen.check_valid()
    times["settle_county_s"] = gen.settle()
    res.update(http_workloads(env, scale))
    # the intake's and the loop's cases are part of the county now; the rollups include them
    gen.refresh_figures()
    if kind == "postgres":  # SQLite has no replica
        res["replica"] = replica.replica_workload(env, url, float(scale["replica_seconds"]))
    say("  lists and figures at county scale")
    res["county"] = read_workloads(int(scale["runs"]))
    res["import"] = ledger.import_workload(env, int(scale["import_rows"]))
    # the imported residents' households under the visit plans: the state grid health reads
    res["visit_state"] = gen.refresh_visit_state()
    if kind == "sqlite":
        # SQLite serves a county (README): its rollup lag is measured at county scale
        res["rollup_lag"] = lag_stage(env, scale, "county")
        out.write_text(json.dumps(res, ensure_ascii=False, indent=1, default=str), "utf-8")
    t0 = time.perf_counter()
    times.update(gen.extend_to_province(counties=int(scale["counties"])))
    more = int(scale["province_cases"]) - gen.counts()["cases"]
    gen.add_cases(more, seed=seed + 2, label="province cases")
    times["figures_refresh_province_s"] = gen.refresh_figures()
    # the kept states brought up to date too, as `refresh-figures` keeps them on a live system,
    # so that the lag stage's refreshes start from current states
    res["province_state"] = gen.refresh_visit_state()
    times["settle_province_s"] = gen.settle()
    times["province_seconds"] = round(time.perf_counter() - t0, 1)
    res["province_counts"] = gen.counts()
    say("  lists and figures at province scale")
    res["province"] = read_workloads(int(scale["runs"]))
    if kind == "postgres":
        res["rollup_lag"] = lag_stage(env, scale, "province")
    out.write_text(json.dumps(res, ensure_ascii=False, indent=1, default=str), encoding="utf-8")


def lag_stage(env: dict[str, str], scale: dict[str, Any], at: str) -> dict[str, Any]:
    """The rollup lag under intake (bench/lag.py) at scale `at`; a failure is recorded in the
    result (`error`), not allowed to lose the run's other figures."""
    try:
        found = lag.lag_workload(env, rate=LAG_RATE, secs=float(scale["lag_seconds"]))
    except Exception as exc:  # the stage's failure is a result
        say(f"  rollup lag stage failed: {exc!r}")
        return {"scale": at, "error": repr(exc)[:300]}
    return {**found, "scale": at}


def peer(kind: str, scale_name: str) -> dict[str, Any]:
    """django-helpdesk on the same engine, server, load process and concurrency (bench/peer)."""
    scale = SCALES[scale_name]
    part = gen.BENCH_VAR / f"peer-{kind}.json"
    part.unlink(missing_ok=True)
    subprocess.run(  # noqa: S603
        [
            PY,
            str(BENCH / "peer" / "driver.py"),
            "--database",
            kind,
            "--tickets",
            str(scale["peer_cases"]),
            "--seconds",
            str(scale["intake_seconds"]),
            "--runs",
            str(scale["runs"]),
            "--out",
            str(part),
        ],
        check=True,
    )
    return dict(json.loads(part.read_text(encoding="utf-8")))


# ---------------------------------------------------------------------------------------------
# The driver


def run(
    *, scale: str, databases: list[str], out_dir: Path, seed: int = 1, with_peer: bool = True
) -> Path:
    """Run every workload on each database; write the JSON and Markdown; return the JSON path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    gen.BENCH_VAR.mkdir(parents=True, exist_ok=True)
    result: dict[str, Any] = {
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "scale": scale,
        "machine": report.machine(),
        "databases": {},
    }
    for kind in databases:
        say(f"[{kind}] scale {scale}")
        part = gen.BENCH_VAR / f"part-{kind}.json"
        part.unlink(missing_ok=True)
        t0 = time.perf_counter()
        subprocess.run(  # noqa: S603
            [PY, str(Path(__file__)), "worker", kind, scale, str(seed), str(part)],
            check=True,
            env={**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "src"), str(BENCH)])},
        )
        data = json.loads(part.read_text(encoding="utf-8"))
        data["wall_seconds"] = round(time.perf_counter() - t0, 1)
        if with_peer:
            say(f"[{kind}] the peer: django-helpdesk")
            t0 = time.perf_counter()
            data["peer"] = peer(kind, scale)
            data["peer"]["wall_seconds"] = round(time.perf_counter() - t0, 1)
        result["databases"][kind] = data
    result["verdicts"] = report.verdicts(result["databases"])
    day = datetime.datetime.now().astimezone().date().isoformat()
    path = out_dir / f"{day}-{result['machine']['host']}.json"
    path.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    md = report.markdown(result)
    (out_dir / "latest.md").write_text(md, encoding="utf-8")
    if scale == "full" and out_dir == BENCH / "results":
        report.update_readme(REPO / "README.md", md)
    print(md)
    return path


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "worker":
        kind, scale, seed, out = sys.argv[2:6]
        worker(kind, scale, int(seed), Path(out))
        return
    if len(sys.argv) > 1 and sys.argv[1] == "import-child":
        gen.django_setup({}, migrate=False)
        ledger.import_child(sys.argv[2])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="full")
    parser.add_argument("--databases", default="")
    parser.add_argument("--out-dir", default=str(BENCH / "results"))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-peer", action="store_true", help="skip django-helpdesk")
    args = parser.parse_args()
    dbs = [d for d in args.databases.split(",") if d]
    if not dbs:
        dbs = ["sqlite", "postgres"] if gen.postgres_up() else ["sqlite"]
    run(
        scale=args.scale,
        databases=dbs,
        out_dir=Path(args.out_dir),
        seed=args.seed,
        with_peer=not args.no_peer,
    )


if __name__ == "__main__":
    main()
