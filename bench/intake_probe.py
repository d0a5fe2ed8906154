"""Intake against the bare view without the whole benchmark: build a database once, then run the
benchmark's intake and reference workloads through gunicorn alternately, `rounds` times, and
print each round's rates and their ratio (the figure `make bench` reports), or profile one
intake in-process.

    python bench/intake_probe.py sqlite gr_me_intake build 20000
    python bench/intake_probe.py postgres gr_me_intake settle   # VACUUM ANALYZE, CHECKPOINT
    python bench/intake_probe.py postgres gr_me_intake measure [rounds] [seconds]
    python bench/intake_probe.py postgres gr_me_intake stage [seconds]   # make bench's stage
    python bench/intake_probe.py postgres gr_me_intake profile [requests]
    py-spy record --format raw -o out.txt -- python bench/intake_probe.py … loop [requests]
    python bench/intake_probe.py sqlite gr_me_intake lag [rate] [seconds]   # bench/lag.py alone

`measure` alternates the two so that the machine's other load hits both alike; `profile` posts
the benchmark's bodies through the Django test client and prints the worker's CPU per intake
and per bare-view post, the statements of one intake and a cProfile of the intakes (top 40 by
cumulative time). Rows the probe writes stay in the database (they are cases like any other).
"""

from __future__ import annotations

import cProfile
import os
import pstats
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate as gen


def measure(kind: str, name: str, rounds: int, secs: float) -> None:
    import workloads as w
    from serve import drive

    env = gen.bench_environ(gen.database_url(kind, name), f"state-{name}")
    gen.django_setup(env, migrate=False)
    token = w.token_for("hotline")
    bodies, ref_bodies = w.intake_bodies(), w.reference_bodies()
    ratios = []
    for i in range(rounds):
        with w.serving(env, "grassroots.settings") as port:
            intake = drive(port, "/api/v1/cases/", token, bodies, secs)
        with w.serving(env, "refsettings") as port:
            ref = drive(port, "/bench/reference/", "", ref_bodies, secs)
        w.drop_reference_rows()
        ratio = intake["per_second"] / ref["per_second"]
        ratios.append(ratio)
        print(
            f"round {i + 1}: intake {intake['per_second']}/s (errors {intake.get('errors')}), "
            f"reference {ref['per_second']}/s, ratio {ratio:.1%}",
            flush=True,
        )
    print(f"mean ratio {sum(ratios) / len(ratios):.1%}")


def stage(kind: str, name: str, secs: float) -> None:
    """`make bench`'s intake stage as it runs there (`workloads.http_workloads`: intake and the
    bare view in alternating rounds, the workflow loop, the ceiling), once."""
    import workloads as w

    env = gen.bench_environ(gen.database_url(kind, name), f"state-{name}")
    gen.django_setup(env, migrate=False)
    found = w.http_workloads(
        env, {"intake_seconds": secs, "loop_cases": 3000, "ceiling_rows": 20000}
    )
    for part in ("intake", "reference"):
        r = found[part]
        print(
            f"{part}: {r['per_second']}/s (rounds {r['rounds']}), p50 {r['p50_ms']} ms, "
            f"p99 {r['p99_ms']} ms, errors {r['errors']}"
        )
    print(f"share {found['intake']['per_second'] / found['reference']['per_second']:.1%}")


def profile(kind: str, name: str, n: int, *, only_loop: bool = False) -> None:
    env = gen.bench_environ(gen.database_url(kind, name), f"state-{name}")
    os.environ["DJANGO_SETTINGS_MODULE"] = "refsettings"
    gen.django_setup({**env, "DJANGO_SETTINGS_MODULE": "refsettings"}, migrate=False)
    import json
    import uuid

    import workloads as w
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    desk = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Token {w.token_for('hotline')}")
    bare = Client(HTTP_HOST="127.0.0.1")
    bodies = [json.dumps(b, ensure_ascii=False) for b in w.intake_bodies(n)]
    refs = [json.dumps(b, ensure_ascii=False) for b in w.reference_bodies(n)]

    def intake(body: str) -> None:
        got = desk.post(
            "/api/v1/cases/",
            body,
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
        )
        assert got.status_code == 201, got.content

    def reference(body: str) -> None:
        assert bare.post("/bench/reference/", body, content_type="application/json").status_code
        reset_queries()

    for b in bodies[:20]:
        intake(b)
    if only_loop:  # for a sampling profiler outside (py-spy record -- python … loop)
        for i in range(n * 5):
            intake(bodies[i % n])
        return
    with CaptureQueriesContext(connection) as seen:
        intake(bodies[20])
    print(f"statements of one intake: {len(seen.captured_queries)}")
    for q in seen.captured_queries:
        print(f"  {q['time']:>6} {q['sql'][:150]}")
    for label, prof in (("", None), (" (under cProfile)", cProfile.Profile())):
        cpu = {"intake": 0.0, "reference": 0.0, "intake backend": 0.0, "reference backend": 0.0}
        for start in range(0, n, 20):
            t0, b0 = time.process_time(), backend_cpu(connection)
            if prof:
                prof.enable()
            for b in bodies[start : start + 20]:
                intake(b)
            if prof:
                prof.disable()
            cpu["intake"] += time.process_time() - t0
            cpu["intake backend"] += backend_cpu(connection) - b0
            t0, b0 = time.process_time(), backend_cpu(connection)
            for b in refs[start : start + 20]:
                reference(b)
            cpu["reference"] += time.process_time() - t0
            cpu["reference backend"] += backend_cpu(connection) - b0
        w.drop_reference_rows()
        print(f"CPU per request{label}:", {k: f"{v / n * 1000:.2f} ms" for k, v in cpu.items()})
    assert prof is not None
    pstats.Stats(prof).sort_stats("cumulative").print_stats(40)
    pstats.Stats(prof).sort_stats("tottime").print_stats(30)


def backend_cpu(connection: Any) -> float:
    """The PostgreSQL backend's CPU seconds so far (0 on SQLite, which runs in the worker)."""
    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        pid = cur.fetchone()[0]
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    kind, name, verb, *rest = sys.argv[1:]
    if verb == "build":
        import search_probe

        search_probe.build(kind, name, int(rest[0]) if rest else 20_000)
    elif verb == "measure":
        measure(kind, name, int(rest[0]) if rest else 3, float(rest[1]) if len(rest) > 1 else 15)
    elif verb == "settle":  # what the benchmark does between the load and the timed stages
        gen.django_setup(gen.bench_environ(gen.database_url(kind, name), f"state-{name}"))
        print(f"settled in {gen.settle()} s")
    elif verb == "stage":  # the benchmark's own intake stage (rounds, loop, ceiling) alone
        stage(kind, name, float(rest[0]) if rest else 20.0)
    elif verb == "profile":
        profile(kind, name, int(rest[0]) if rest else 400)
    elif verb == "lag":  # bench/lag.py's stage alone: intake at a set rate beside the scheduler
        import json

        import lag

        env = gen.bench_environ(gen.database_url(kind, name), f"state-{name}")
        gen.django_setup(env, migrate=False)
        rate, secs = (float(rest[0]), float(rest[1])) if len(rest) > 1 else (100.0, 60.0)
        print(json.dumps(lag.lag_workload(env, rate=rate, secs=secs), indent=1))
    elif verb == "loop":
        profile(kind, name, int(rest[0]) if rest else 400, only_loop=True)
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
