"""Where a keyword search's time goes: build a database once, then time the benchmark's search
(GET /api/v1/cases/?q=… as the county desk, token auth, through the test client, as
`workloads.read_workloads` does) and print each query of one request with its time.

    python bench/search_probe.py sqlite gr_me_county build 100000      # county scale
    python bench/search_probe.py postgres gr_me_prov province          # after a county build,
                                          # on a copy: 99 more counties, 1,000,000 cases
    python bench/search_probe.py sqlite gr_me_county measure [路灯] [40] [page=3 …]

SQLite files go to GRASSROOTS_BENCH_DIR (var/bench by default); PostgreSQL databases are named
as given. `measure` runs the src beside this script: to compare two versions, run each
checkout's copy on the same database, alternately (the machine's other load moves the figures).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate as gen


def build(kind: str, name: str, cases: int) -> None:
    import run

    url = gen.database_url(kind, name)
    gen.recreate(url)
    gen.django_setup(gen.bench_environ(url, f"state-{name}"))
    run.load_lite(1)
    gen.add_cases(cases, seed=2, label="cases")
    print(gen.counts())


def province(kind: str, name: str) -> None:
    gen.django_setup(gen.bench_environ(gen.database_url(kind, name), f"state-{name}"))
    print(gen.extend_to_province(counties=99))
    gen.add_cases(1_000_000 - gen.counts()["cases"], seed=3, label="province cases")
    print(gen.counts())


def measure(kind: str, name: str, text: str, runs: int, extra: dict[str, str]) -> None:
    env = gen.bench_environ(gen.database_url(kind, name), f"state-{name}")
    gen.django_setup(env, migrate=False)
    from django.conf import settings
    from django.db import connection, reset_queries
    from django.test import Client
    from workloads import token_for

    desk = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Token {token_for('hotline')}")
    params = {"q": text, **extra}
    for _ in range(2):
        desk.get("/api/v1/cases/", params)
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        got = desk.get("/api/v1/cases/", params)
        samples.append((time.perf_counter() - t0) * 1000)
        if got.status_code != 200:
            raise RuntimeError(f"status {got.status_code}")
    print(
        f"{kind} {name} q={text}: median {statistics.median(samples):.1f} ms, "
        f"min {min(samples):.1f}, max {max(samples):.1f}, count {got.json()['count']}"
    )
    settings.DEBUG = True
    reset_queries()
    desk.get("/api/v1/cases/", params)
    for query in connection.queries:
        print(f"  {float(query['time']) * 1000:7.1f} ms  {query['sql'][:300]}")


def main() -> None:
    kind, name, action, *rest = sys.argv[1:]
    if action == "build":
        build(kind, name, int(rest[0]) if rest else 100_000)
    elif action == "province":
        province(kind, name)
    else:
        text = rest[0] if rest else "路灯"
        runs = int(rest[1]) if len(rest) > 1 else 40
        measure(kind, name, text, runs, dict(a.split("=", 1) for a in rest[2:]))


if __name__ == "__main__":
    main()
