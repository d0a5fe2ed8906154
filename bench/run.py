"""The benchmark driver: `make bench` (full) and `make bench-quick` (tiny scale).

    .venv/bin/python bench/run.py [--scale full|quick|tiny] [--databases sqlite,postgres]

For each database it runs one worker process (its own fresh database: var/bench/*.sqlite3 or the
PostgreSQL database `grassroots_bench`) that generates the county scale, measures intake through
gunicorn (gunicorn.conf.py, 2 × cores workers, a free port on 127.0.0.1) driven by a separate
load process (bench/loadgen.py, concurrency 8), the bare reference view and plain executemany,
the lists and figures in-process (Django test client, the same at both scales), the .xlsx import
in a child process (peak RSS), then extends to province scale and measures the lists and figures
again. Results: bench/results/<date>-<machine>.json and bench/results/latest.md.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import resource
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

import generate as gen  # noqa: E402

PY = sys.executable
SCALES: dict[str, dict[str, Any]] = {
    "full": {
        "demo": "full",
        "county_cases": 100_000,
        "counties": 99,
        "province_cases": 1_000_000,
        "intake_seconds": 20,
        "runs": 50,
        "import_rows": 100_000,
        "ceiling_rows": 20_000,
    },
    "quick": {
        "demo": "lite",
        "county_cases": 3_000,
        "counties": 3,
        "province_cases": 20_000,
        "intake_seconds": 4,
        "runs": 15,
        "import_rows": 2_000,
        "ceiling_rows": 2_000,
    },
    "tiny": {
        "demo": "lite",
        "county_cases": 200,
        "counties": 1,
        "province_cases": 1_000,
        "intake_seconds": 3,
        "runs": 3,
        "import_rows": 200,
        "ceiling_rows": 200,
    },
}
CONCURRENCY = 8
TARGETS = {
    "intake_sqlite_per_s": 250,
    "intake_postgres_per_s": 150,
    "intake_p99_ms": 150,
    "intake_vs_reference": 0.5,
    "metrics_province_ms": 50,
    "metrics_ratio": 1.5,
    "list_province_ms": 50,
    "search_province_ms": 300,
    "import_rows_per_s": 5000,
    "import_peak_mb": 500,
}
SEARCH_WORD = "路灯"


def say(message: str) -> None:
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


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


def token_for(username: str) -> str:
    from rest_framework.authtoken.models import Token

    from grassroots.core.models import User

    token, _ = Token.objects.get_or_create(user=User.objects.get(username=username))
    return str(token.key)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def gunicorn(env: dict[str, str], settings: str) -> tuple[subprocess.Popen[bytes], int]:
    """gunicorn with the product's config file, 2 × cores sync workers, on a free port."""
    port = free_port()
    workers = 2 * (os.cpu_count() or 1)
    log = open(gen.BENCH_VAR / f"gunicorn-{port}.log", "wb")  # noqa: SIM115
    proc = subprocess.Popen(  # noqa: S603
        [
            str(Path(PY).with_name("gunicorn")),
            "grassroots.wsgi",
            "--config",
            str(REPO / "gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--access-logfile",
            "/dev/null",
        ],
        env={**os.environ, **env, "DJANGO_SETTINGS_MODULE": settings},
        cwd=str(REPO),
        stdout=log,
        stderr=log,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {log.name}") from None
            time.sleep(0.2)
    time.sleep(1.0)  # every worker booted
    return proc, port


def drive(port: int, path: str, token: str, bodies: list[dict[str, Any]], secs: float) -> Any:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as fh:
        json.dump(bodies, fh, ensure_ascii=False)
    out = subprocess.run(  # noqa: S603
        [
            PY,
            str(BENCH / "loadgen.py"),
            "--port",
            str(port),
            "--path",
            path,
            "--token",
            token,
            "--body-file",
            fh.name,
            "--concurrency",
            str(CONCURRENCY),
            "--duration",
            str(secs),
            "--warmup",
            "3",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    os.unlink(fh.name)
    return json.loads(out.stdout.strip().splitlines()[-1])


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
        f"site_checked, extra) VALUES ({', '.join([mark] * 10)}, '', '', '', '', '', FALSE, 0, "
        "FALSE, FALSE, 0, 0, 0, '', '', FALSE, FALSE, '{}')"
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


def http_workloads(env: dict[str, str], scale: dict[str, Any]) -> dict[str, Any]:
    from grassroots.cases.models import Case

    token = token_for("hotline")
    secs = float(scale["intake_seconds"])
    before = Case.objects.count()
    proc, port = gunicorn(env, "grassroots.settings")
    try:
        say(f"  intake: POST /api/v1/cases/ for {secs:g} s at c={CONCURRENCY} (port {port})")
        intake = drive(port, "/api/v1/cases/", token, intake_bodies(), secs)
    finally:
        proc.terminate()
        proc.wait(30)
    intake["cases_written"] = Case.objects.count() - before
    proc, port = gunicorn(env, "refsettings")
    try:
        say(f"  reference: POST /bench/reference/ for {secs:g} s at c={CONCURRENCY}")
        ref = drive(port, "/bench/reference/", "", reference_bodies(), secs)
    finally:
        proc.terminate()
        proc.wait(30)
    drop_reference_rows()
    say("  ceiling: executemany")
    return {"intake": intake, "reference": ref, "ceiling": ceiling(int(scale["ceiling_rows"]))}


def timed(fetch: Any, runs: int) -> dict[str, Any]:
    for _ in range(2):
        fetch()
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        status = fetch()
        samples.append((time.perf_counter() - t0) * 1000)
        if status != 200:
            raise RuntimeError(f"status {status}")
    samples.sort()
    return {
        "median_ms": round(statistics.median(samples), 2),
        "p99_ms": round(samples[min(len(samples) - 1, int(len(samples) * 0.99))], 2),
        "runs": runs,
    }


def read_workloads(runs: int) -> dict[str, Any]:
    """Lists and figures through the API, in-process (Django test client, token auth)."""
    from django.test import Client

    from grassroots.areas.models import Area

    county = Area.objects.get(code="141126000000")
    township = Area.objects.filter(level="township", county=county).order_by("code").first()
    assert township is not None
    desk = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Token {token_for('hotline')}")
    lead = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Token {token_for('leader')}")

    def get(client: Client, url: str, **params: Any) -> Any:
        return lambda: client.get(url, params).status_code

    return {
        "case_list": timed(
            get(desk, "/api/v1/cases/", state="dispatched", within=township.pk), runs
        ),
        "keyword_search": timed(get(desk, "/api/v1/cases/", q=SEARCH_WORD), runs),
        "county_metrics": timed(get(lead, "/api/v1/metrics/cases/", within=county.pk), runs),
        "dashboard": timed(get(lead, "/api/v1/metrics/dashboard/", within=county.pk), runs),
    }


def write_ledger(path: Path, rows: int) -> None:
    """`rows` residents in households of 4 on two of the county's grids, as .xlsx."""
    from openpyxl import Workbook

    from grassroots.areas.models import Area
    from grassroots.people.idnumber import make_id

    grids = list(
        Area.objects.filter(level="grid3", county__code="141126000000")
        .order_by("code")
        .values_list("code", flat=True)[:2]
    )
    heads = ["户编号", "网格代码", "地址", "楼栋/村组", "单元", "门牌/室", "备注"]
    cols = [
        "户编号",
        "姓名",
        "身份证号",
        "与户主关系",
        "联系电话",
        "民族",
        "文化程度",
        "就业状况",
        "职业",
        "政治面貌",
        "迁入日期",
        "标签",
        "备注",
    ]
    wb = Workbook(write_only=True)
    wh = wb.create_sheet("户")
    wh.append(heads)
    wr = wb.create_sheet("人")
    wr.append(cols)
    base = datetime.date(1941, 1, 1)
    seq = 0

    def nid() -> str:
        nonlocal seq
        day, s = divmod(seq, 500)
        seq += 1
        sex = "male" if s % 2 else "female"
        return make_id("149901", base + datetime.timedelta(days=day), s, sex)

    members = (("王建国", "户主"), ("李秀英", "配偶"), ("王小明", "子女"), ("王小红", "子女"))
    for h in range((rows + 3) // 4):
        num = f"B{h:06d}"
        wh.append(
            [
                num,
                grids[h % 2],
                f"石楼小镇{h // 20}号楼{h % 20}室",
                f"{h // 20}号楼",
                "",
                str(h % 20),
                "",
            ]
        )
        for i, (name, rel) in enumerate(members):
            if h * 4 + i >= rows:
                break
            phone = f"139{h:08d}" if i == 0 else ""
            wr.append(
                [
                    num,
                    name,
                    nid(),
                    rel,
                    phone,
                    "汉族",
                    "初中",
                    "务农",
                    "",
                    "群众",
                    "2020-01-01",
                    "",
                    "",
                ]
            )
    wb.save(path)


def import_child(path: str) -> None:
    """In a child process: import the ledger through the real path, print rows/s and peak RSS."""
    from grassroots.people.ledger import jobs

    t0 = time.perf_counter()
    with open(path, "rb") as fh:
        job = jobs.job_create(actor=None, upload=fh, filename=Path(path).name)
    job = jobs.job_validate(job.pk)
    if job.status == "preview":
        job = jobs.job_confirm(actor=None, job=job, digest=str(job.preview.get("digest", "")))
        job = jobs.job_apply(job.pk)
    secs = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "status": str(job.status),
                "message": str(job.message)[:200],
                "rows": job.total,
                "created": job.created,
                "seconds": round(secs, 2),
                "per_second": round((job.total or 0) / secs, 1),
                "peak_mb": round(peak, 1),
            }
        )
    )


def import_workload(env: dict[str, str], rows: int) -> dict[str, Any]:
    path = gen.BENCH_VAR / f"ledger-{rows}.xlsx"
    say(f"  import: writing {rows:,} residents to {path.name}")
    write_ledger(path, rows)
    say("  import: through the ledger import path (child process)")
    out = subprocess.run(  # noqa: S603
        [PY, str(Path(__file__)), "import-child", str(path)],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def worker(kind: str, scale_name: str, seed: int, out: Path) -> None:
    scale = SCALES[scale_name]
    url = gen.database_url(kind)
    gen.recreate(url)
    env = gen.bench_environ(url, f"state-{kind}")
    gen.django_setup(env)
    res: dict[str, Any] = {"database": kind, "scale": scale_name, "settings": scale}
    t0 = time.perf_counter()
    if scale["demo"] == "full":
        res["generate"] = gen.load_county(seed=seed)
    else:
        say("  loading the demo tree, units, staff and catalogue (lite)")
        load_lite(seed)
    gen.add_cases(int(scale["county_cases"]), seed=seed, label="county cases")
    res.setdefault("generate", {})["figures_refresh_county_s"] = gen.refresh_figures()
    res["generate"]["county_seconds"] = round(time.perf_counter() - t0, 1)
    res["county_counts"] = gen.counts()
    res["problems"] = gen.check_valid()
    res.update(http_workloads(env, scale))
    # the intake's cases are part of the county now; the rollups include them
    gen.refresh_figures()
    say("  lists and figures at county scale")
    res["county"] = read_workloads(int(scale["runs"]))
    res["import"] = import_workload(env, int(scale["import_rows"]))
    t0 = time.perf_counter()
    res["generate"].update(gen.extend_to_province(counties=int(scale["counties"])))
    more = int(scale["province_cases"]) - gen.counts()["cases"]
    gen.add_cases(more, seed=seed + 1, label="province cases")
    res["generate"]["figures_refresh_province_s"] = gen.refresh_figures()
    res["generate"]["province_seconds"] = round(time.perf_counter() - t0, 1)
    res["province_counts"] = gen.counts()
    say("  lists and figures at province scale")
    res["province"] = read_workloads(int(scale["runs"]))
    out.write_text(json.dumps(res, ensure_ascii=False, indent=1, default=str), encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# The driver


def machine() -> dict[str, Any]:
    mem = 0
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            mem = int(fh.readline().split()[1]) // 1024
    except OSError:
        pass
    pg = ""
    try:
        import psycopg

        dsn = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"
        with psycopg.connect(dsn, connect_timeout=3) as conn:
            row = conn.execute("SHOW server_version").fetchone()
            pg = str(row[0]) if row else ""
    except Exception:
        pg = "not reachable"
    return {
        "host": socket.gethostname(),
        "cores": os.cpu_count(),
        "memory_mb": mem,
        "cpu": platform.processor() or platform.machine(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": pg,
    }


def verdicts(dbs: dict[str, Any]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []

    def check(db: str, name: str, value: float, target: float, higher: bool) -> None:
        met = value >= target if higher else value <= target
        op = "≥" if higher else "≤"
        rows.append(
            {"database": db, "target": name, "value": value, "goal": f"{op} {target:g}", "met": met}
        )

    for db, r in dbs.items():
        intake, ref = r["intake"], r["reference"]
        check(db, "intake cases/s", intake["per_second"], TARGETS[f"intake_{db}_per_s"], True)
        check(db, "intake p99 ms", intake["p99_ms"], TARGETS["intake_p99_ms"], False)
        share = round(intake["per_second"] / ref["per_second"], 3) if ref["per_second"] else 0.0
        check(db, "intake / reference", share, TARGETS["intake_vs_reference"], True)
        p, c = r["province"], r["county"]
        metrics = p["county_metrics"]["median_ms"]
        check(
            db, "county metrics, province scale, ms", metrics, TARGETS["metrics_province_ms"], False
        )
        ratio = round(metrics / c["county_metrics"]["median_ms"], 2)
        check(db, "county metrics province/county", ratio, TARGETS["metrics_ratio"], False)
        check(
            db,
            "case list, province scale, ms",
            p["case_list"]["median_ms"],
            TARGETS["list_province_ms"],
            False,
        )
        check(
            db,
            "keyword search, province scale, ms",
            p["keyword_search"]["median_ms"],
            TARGETS["search_province_ms"],
            False,
        )
        imp = r["import"]
        check(db, "import rows/s", imp["per_second"], TARGETS["import_rows_per_s"], True)
        check(db, "import peak MB", imp["peak_mb"], TARGETS["import_peak_mb"], False)
    return rows


def markdown(result: dict[str, Any]) -> str:
    m = result["machine"]
    dbs: dict[str, Any] = result["databases"]
    names = list(dbs)
    lines = [
        f"Benchmark {result['date']} on {m['host']}: {m['cores']} cores, {m['memory_mb']:,} MB, "
        f"Python {m['python']}, SQLite {m['sqlite']}, PostgreSQL {m['postgresql']}; "
        f"scale `{result['scale']}`, load at concurrency {CONCURRENCY} "
        f"({'python threads client' if names else ''}).",
        "",
        "| workload | " + " | ".join(names) + " |",
        "|---|" + "---|" * len(names),
    ]

    def row(label: str, fn: Any) -> None:
        cells = []
        for n in names:
            try:
                cells.append(fn(dbs[n]))
            except (KeyError, TypeError, ZeroDivisionError):
                cells.append("—")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")

    def lat(d: dict[str, Any]) -> str:
        return f"{d['median_ms']:.1f} / {d['p99_ms']:.1f} ms (n={d['runs']})"

    row(
        "cases at county / province scale",
        lambda r: f"{r['county_counts']['cases']:,} / {r['province_counts']['cases']:,}",
    )
    row("areas at province scale", lambda r: f"{r['province_counts']['areas']:,}")
    row(
        "intake POST /api/v1/cases/ (cases/s, p50/p99, errors)",
        lambda r: (
            f"{r['intake']['per_second']:.0f}/s, {r['intake']['p50_ms']:.0f}/"
            f"{r['intake']['p99_ms']:.0f} ms, {r['intake']['errors']} err"
        ),
    )
    row(
        "bare reference view (2 rows/txn)",
        lambda r: (
            f"{r['reference']['per_second']:.0f}/s, {r['reference']['p50_ms']:.0f}/"
            f"{r['reference']['p99_ms']:.0f} ms, {r['reference']['errors']} err"
        ),
    )
    row(
        "intake as share of reference",
        lambda r: f"{r['intake']['per_second'] / r['reference']['per_second']:.0%}",
    )
    row("executemany ceiling (case+event/s)", lambda r: f"{r['ceiling']['per_second']:,.0f}/s")
    for key, label in (
        ("case_list", "case list (state + subtree, by due)"),
        ("keyword_search", f"keyword search ({SEARCH_WORD})"),
        ("county_metrics", "county metrics API"),
        ("dashboard", "dashboard API"),
    ):
        row(f"{label}, county (median / p99)", lambda r, k=key: lat(r["county"][k]))
        row(f"{label}, province (median / p99)", lambda r, k=key: lat(r["province"][k]))
        row(
            f"{label}, province / county",
            lambda r, k=key: f"{r['province'][k]['median_ms'] / r['county'][k]['median_ms']:.2f}×",
        )
    row(
        "import .xlsx (rows, rows/s, peak MB)",
        lambda r: (
            f"{r['import']['rows']:,}, {r['import']['per_second']:,.0f}/s, "
            f"{r['import']['peak_mb']:.0f} MB"
        ),
    )
    row("workflow loop (actions/s)", lambda r: "not measured yet")
    row("django-helpdesk peer (20,000 tickets)", lambda r: "not measured yet")
    lines += ["", "| target | database | measured | goal | met |", "|---|---|---|---|---|"]
    for v in result["verdicts"]:
        lines.append(
            f"| {v['target']} | {v['database']} | {v['value']:g} | {v['goal']} | "
            f"{'met' if v['met'] else '**missed**'} |"
        )
    lines.append("")
    return "\n".join(lines) + "\n"


def run(*, scale: str, databases: list[str], out_dir: Path, seed: int = 1) -> Path:
    """Run every workload on each database; write the JSON and Markdown; return the JSON path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    gen.BENCH_VAR.mkdir(parents=True, exist_ok=True)
    result: dict[str, Any] = {
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "scale": scale,
        "machine": machine(),
        "databases": {},
        "not_measured": ["workflow loop", "django-helpdesk peer"],
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
        result["databases"][kind] = data
    result["verdicts"] = verdicts(result["databases"])
    day = datetime.datetime.now().astimezone().date().isoformat()
    path = out_dir / f"{day}-{result['machine']['host']}.json"
    path.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    md = markdown(result)
    (out_dir / "latest.md").write_text(md, encoding="utf-8")
    print(md)
    return path


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "worker":
        kind, scale, seed, out = sys.argv[2:6]
        worker(kind, scale, int(seed), Path(out))
        return
    if len(sys.argv) > 1 and sys.argv[1] == "import-child":
        gen.django_setup({}, migrate=False)
        import_child(sys.argv[2])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="full")
    parser.add_argument("--databases", default="")
    parser.add_argument("--out-dir", default=str(BENCH / "results"))
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    dbs = [d for d in args.databases.split(",") if d]
    if not dbs:
        dbs = ["sqlite", "postgres"] if gen.postgres_up() else ["sqlite"]
    run(scale=args.scale, databases=dbs, out_dir=Path(args.out_dir), seed=args.seed)


if __name__ == "__main__":
    main()
