"""Benchmark data, generated straight into the database in bulk, deterministic by seed.

Two scales:

- **county**: the Shilou demo (`grassroots.demo.loader.load_demo`: tree, units, staff, the
  matter catalogue, residents, a year of cases through the services) plus `n` generated cases;
- **province**: `counties - 1` more counties imported through `area_import` (the same shape as
  bench/tree.py: about 3,000 nodes each), a township office and a village station per area, and
  cases up to the requested total spread over every micro grid of every county.

Generated cases obey the services' rules (see `CaseMaker`): routing as `cases.routing.route`
decides it (matter level → the township office or village station of the grid, or the matter's
county department), due times from `cases.sla.dues_for` on the working calendar, states reached
through the transitions of `cases.workflow` with one event per step (create, dispatch or answer,
accept, resolve, review, reopen after an unsatisfied review, the sweep's overdue flag), numbers
as `case_intake` writes them, and the area's ancestor columns filled by the import path.
Rows go in with multi-row `executemany` (SQLite) or `COPY` (PostgreSQL) in batched transactions.
"""

from __future__ import annotations

import datetime
import json
import os
import random
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
BENCH_VAR = Path(os.environ.get("GRASSROOTS_BENCH_DIR", REPO / "var" / "bench"))
PASSWORD = "Bench-Pass-2024!x"  # noqa: S105
BATCH = 20_000

ANCESTORS = ("county", "township", "community", "grid1", "grid2", "grid3")
CASE_COLUMNS = (
    "id",
    "number",
    "title",
    "description",
    "matter_id",
    "channel",
    "state",
    "area_id",
    "unit_id",
    "level",
    "household_id",
    "resident_id",
    "reporter_name",
    "reporter_phone_enc",
    "reporter_phone_index",
    "reporter_phone_masked",
    "lat",
    "lon",
    "address",
    "location_unmatched",
    "created_at",
    "dispatched_at",
    "accepted_at",
    "resolved_at",
    "closed_at",
    "limit_started_at",
    "response_due",
    "resolution_due",
    "reminded",
    "overdue",
    "responded_on_time",
    "supervised",
    "urge_count",
    "reopen_count",
    "escalation_count",
    "satisfaction",
    "closure",
    "needs_site_check",
    "site_checked",
    "extra",
    "merged_into_id",
    "updated_at",
    "terms",
    *ANCESTORS,
)
EVENT_COLUMNS = (
    "case_id",
    "at",
    "actor_id",
    "actor_name",
    "action",
    "from_state",
    "to_state",
    "from_unit_id",
    "to_unit_id",
    "note",
    "public_note",
    "data",
)

# Things residents call about; the keyword search looks for one of them (路灯).
TOPICS = (
    "路灯不亮，晚上出行不便",
    "小区垃圾清运不及时，气味很大",
    "自来水管道漏水，需要维修",
    "道路坑洼积水，车辆难以通行",
    "邻里噪音扰民，多次协商未果",
    "低保申请进度咨询",
    "楼道路灯损坏多日无人修理",
    "村里灌溉水渠堵塞",
    "养老保险缴费问题咨询",
    "流浪犬伤人隐患",
    "冬季供暖温度不达标",
    "农村危房改造申请",
    "医保报销流程咨询",
    "占道经营影响通行",
)
PLACES = ("村口", "小区东门", "三号楼", "集市旁", "学校附近", "卫生院门口", "文化广场")


def progress(label: str, done: int, total: int, started: float) -> None:
    """A plain progress bar on stderr (one line, redrawn with \\r)."""
    width = 30
    frac = done / total if total else 1.0
    bar = "#" * int(frac * width)
    rate = done / max(time.perf_counter() - started, 1e-9)
    end = "\n" if done >= total else ""
    sys.stderr.write(f"\r  {label:<22} [{bar:<{width}}] {done:>9,}/{total:,} {rate:>9,.0f}/s{end}")
    sys.stderr.flush()


# ---------------------------------------------------------------------------------------------
# Databases


def database_url(kind: str, name: str = "") -> str:
    """The worker's database; on PostgreSQL named by GRASSROOTS_BENCH_PG_NAME when set (a
    second checkout benchmarking on the same server), else `grassroots_bench`."""
    name = name or os.environ.get("GRASSROOTS_BENCH_PG_NAME", "grassroots_bench")
    if kind == "sqlite":
        return f"sqlite:///{BENCH_VAR / f'{name}.sqlite3'}"
    return f"postgres://postgres@127.0.0.1:5432/{name}"


def postgres_up() -> bool:
    try:
        import psycopg

        with psycopg.connect(
            "host=127.0.0.1 port=5432 user=postgres dbname=postgres", connect_timeout=3
        ):
            return True
    except Exception:
        return False


def recreate(url: str) -> None:
    """Drop and create the benchmark database (a SQLite file, or a PostgreSQL database)."""
    if url.startswith("sqlite"):
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    name = url.rsplit("/", 1)[1]
    dsn = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def bench_environ(url: str, state: str) -> dict[str, str]:
    """The environment of every benchmark process for one database."""
    var = BENCH_VAR / state
    var.mkdir(parents=True, exist_ok=True)
    return {
        "DATABASE_URL": url,
        "GRASSROOTS_VAR_DIR": str(var),
        "DJANGO_SETTINGS_MODULE": "grassroots.settings",
        "PYTHONPATH": os.pathsep.join([str(REPO / "src"), str(REPO / "bench")]),
        # the workloads measure throughput, not the rate limits: one token sends far more than a
        # person would (each request still counts, so its cost is in every figure)
        "GRASSROOTS_API_PER_MINUTE": "100000000",
        "GRASSROOTS_OPEN311_READS_PER_MINUTE": "100000000",
    }


def django_setup(env: dict[str, str], *, migrate: bool = True) -> None:
    os.environ.update(env)
    for p in (str(REPO / "src"), str(REPO)):
        if p not in sys.path:
            sys.path.insert(0, p)
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)


# ---------------------------------------------------------------------------------------------
# Bulk writes


def insert_rows(table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    """Insert `rows` in one go: COPY on PostgreSQL, executemany on SQLite (caller's transaction)."""
    from django.db import connection

    cols = ", ".join(columns)
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            raw: Any = cur.cursor
            with raw.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" for _ in columns)
            raw = cur.cursor
            raw.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", rows)  # noqa: S608


def reset_sequences(tables: Sequence[str]) -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cur:
        for t in tables:
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{t}', 'id'), "  # noqa: S608
                f"COALESCE((SELECT MAX(id) FROM {t}), 1))"
            )
        for t in tables:
            cur.execute(f"ANALYZE {t}")


# ---------------------------------------------------------------------------------------------
# Cases


@dataclass(frozen=True)
class MatterInfo:
    pk: int
    name: str
    level: str
    unit_id: int
    needs_site_check: bool
    obj: Any


@dataclass(frozen=True)
class Grid:
    pk: int
    township_unit: int | None
    community_unit: int | None
    lon: float | None
    lat: float | None
    path: tuple[int | None, ...]  # the grid's ancestor ids (the cases' AreaPath columns)


class CaseMaker:
    """Rows of one case and its events, following the services' rules (see the module doc)."""

    def __init__(self, now: datetime.datetime, seed: int) -> None:
        from django.utils import timezone

        from grassroots.areas.models import Area, Unit
        from grassroots.cases.models import Matter

        self.now = now
        self.rng = random.Random(seed)
        self.tz = timezone.get_current_timezone()
        self.matters = [
            MatterInfo(m.pk, m.name, m.level, m.unit_id, m.needs_site_check, m)
            for m in Matter.objects.filter(active=True).order_by("code")
        ]
        units: dict[tuple[int, str], int] = {}
        for pk, area_id, level in (
            Unit.objects.filter(active=True).order_by("id").values_list("pk", "area_id", "level")
        ):
            units.setdefault((area_id, level), pk)
        self.grids = [
            Grid(
                pk,
                units.get((path[1], "township")),
                units.get((path[2], "community")),
                lon,
                lat,
                tuple(path),
            )
            for pk, lon, lat, *path in Area.objects.filter(level="grid3")
            .order_by("id")
            .values_list("pk", "centre_lon", "centre_lat", *(f"{a}_id" for a in ANCESTORS))
        ]
        self.dues: dict[tuple[int, datetime.datetime], Any] = {}

    def _dues(self, m: MatterInfo, start: datetime.datetime) -> Any:
        from grassroots.cases import sla

        return sla.dues_for(m.obj, start)

    def make(
        self, pk: int, grid: Grid | None = None
    ) -> tuple[tuple[Any, ...], list[tuple[Any, ...]]]:
        from grassroots.cases import sla
        from grassroots.cases.search import terms_for

        rng, now = self.rng, self.now
        m = rng.choice(self.matters)
        g = grid or rng.choice(self.grids)
        created = now - datetime.timedelta(seconds=rng.randrange(1, 365 * 86400))
        created = created.replace(microsecond=0)
        topic = rng.choice(TOPICS)
        description = f"{rng.choice(PLACES)}{topic}。"
        channel = rng.choices(("hotline", "patrol", "web", "visit", "api"), (6, 2, 2, 1, 1))[0]
        events: list[tuple[Any, ...]] = []
        c: dict[str, Any] = dict.fromkeys(CASE_COLUMNS)
        c.update(
            id=pk,
            number=f"{created.astimezone(self.tz):%Y%m%d}{pk:07d}",
            title=description[:30],
            description=description,
            terms=terms_for(description[:30], description),
            matter_id=m.pk,
            channel=channel,
            area_id=g.pk,
            **dict(zip(ANCESTORS, g.path, strict=True)),
            reporter_name="",
            reporter_phone_enc="",
            reporter_phone_index="",
            reporter_phone_masked="",
            lat=g.lat,
            lon=g.lon,
            address="",
            location_unmatched=False,
            created_at=created,
            reminded=0,
            overdue=False,
            supervised=False,
            urge_count=0,
            reopen_count=0,
            escalation_count=0,
            satisfaction="",
            closure="",
            needs_site_check=m.needs_site_check and channel == "patrol",
            site_checked=False,
            extra="{}",
        )
        # routing.route: the handler of the matter's level for the grid, else a desk
        if m.level == "county":
            unit, level = m.unit_id, "county"
        elif m.level == "township":
            unit, level = g.township_unit, "township"
        else:
            unit, level = g.community_unit, "community"
        dispatched = unit is not None
        reason = f"matter is handled at {level} level"
        if not dispatched:
            unit, level, reason = g.community_unit, "community", "community desk"
        c.update(unit_id=unit, level=level)

        def ev(at: datetime.datetime, action: str, frm: str, to: str, **kw: Any) -> None:
            events.append(
                (
                    pk,
                    at,
                    None,
                    "system",
                    action,
                    frm,
                    to,
                    kw.get("fu"),
                    kw.get("tu", unit),
                    kw.get("note", ""),
                    kw.get("note", ""),
                    json.dumps(kw.get("data", {})),
                )
            )

        ev(created, "create", "", "received", fu=None, data={"route": reason})
        last = created
        if rng.random() < 0.05 or not dispatched:
            # answered at the seat (or, with no handler, the desk answers it)
            answer = "已按知识库口径当场答复"
            c.update(state="closed", closure="answered", closed_at=created)
            ev(created, "answer", "received", "closed", fu=unit, note=answer)
            c["updated_at"] = created
            return tuple(c[k] for k in CASE_COLUMNS), events
        dues = self._dues(m, created)
        c.update(
            state="dispatched",
            dispatched_at=created,
            limit_started_at=created,
            response_due=dues.response,
            resolution_due=dues.resolution,
        )
        ev(created, "dispatch", "received", "dispatched", data={"automatic": True, "route": reason})
        span = dues.resolution - created
        accept = created + (dues.response - created) * rng.uniform(0.05, 1.3)
        resolve = accept + span * rng.uniform(0.1, 1.1)
        review = resolve + datetime.timedelta(hours=rng.uniform(2, 72))
        # the sweep flags a late case before it moves on (late response or past resolution)
        late_at = None
        if accept > dues.response:
            late_at = dues.response
        elif min(resolve, now) > dues.resolution:
            late_at = dues.resolution
        state = "dispatched"
        if late_at is not None and late_at < now and late_at < accept:
            c.update(overdue=True)
            ev(late_at, "overdue", state, state, data={"steps": ["late_response"]})
            last = late_at
        if accept >= now:
            c["updated_at"] = last
            return tuple(c[k] for k in CASE_COLUMNS), events
        c.update(state="accepted", accepted_at=accept, responded_on_time=accept <= dues.response)
        ev(accept, "accept", "dispatched", "accepted", fu=unit)
        state, last = "accepted", accept
        if dues.resolution < min(resolve, now) and not c["overdue"]:
            c.update(overdue=True, reminded=100)
            steps = ["remind50", "remind75", "remind100", "overdue"]
            ev(dues.resolution, "overdue", state, state, fu=unit, data={"steps": steps})
            last = dues.resolution
        if resolve >= now:
            c["updated_at"] = last
            return tuple(c[k] for k in CASE_COLUMNS), events
        c.update(state="resolved", resolved_at=resolve)
        ev(resolve, "resolve", "accepted", "resolved", fu=unit)
        last = resolve
        if c["needs_site_check"]:
            verify = resolve + (review - resolve) / 2
            if verify >= now:
                c["updated_at"] = last
                return tuple(c[k] for k in CASE_COLUMNS), events
            c["site_checked"] = True
            ev(verify, "verify", "resolved", "resolved", fu=unit)
            last = verify
        if review >= now:
            c["updated_at"] = last
            return tuple(c[k] for k in CASE_COLUMNS), events
        sat = rng.choices(("satisfied", "basic", "unsatisfied"), (80, 15, 5))[0]
        c.update(state="closed", satisfaction=sat, closure="resolved", closed_at=review)
        ev(review, "review", "resolved", "closed", fu=unit, data={})
        last = review
        if sat == "unsatisfied":
            # an unsatisfied review reopens the case with the same handler, a new resolution limit
            c.update(
                state="accepted",
                closure="",
                closed_at=None,
                resolved_at=None,
                site_checked=False,
                reopen_count=1,
                limit_started_at=review,
                resolution_due=sla.resolution_due(m.obj, review),
                reminded=0,
                overdue=False,
            )
            ev(review, "reopen", "closed", "accepted", fu=unit, note="回访不满意，重新办理")
        c["updated_at"] = last
        return tuple(c[k] for k in CASE_COLUMNS), events


def search_index(*, drop: bool) -> None:
    """Drop (or re-create) PostgreSQL's search index around a bulk load (cases.search)."""
    from django.db import connection

    from grassroots.cases import search

    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            for sql in (search.DROP_SQL if drop else search.CREATE_SQL)["postgresql"]:
                cur.execute(sql)


def add_cases(n: int, *, seed: int, label: str = "cases") -> int:
    """Insert `n` generated cases (with their events) after the existing ones; returns events."""
    from django.db import connection, transaction
    from django.db.models import Max
    from django.utils import timezone

    from grassroots.cases.models import Case
    from grassroots.cases.search import index_from

    if n <= 0:
        return 0
    maker = CaseMaker(timezone.now().replace(microsecond=0), seed)
    if not maker.grids or not maker.matters:
        raise RuntimeError("no grids or matters: load the demo first")
    first = (Case.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    started, done, n_events = time.perf_counter(), 0, 0
    search_index(drop=True)  # a bulk load indexes faster all at once afterwards
    while done < n:
        size = min(BATCH, n - done)
        cases, events = [], []
        for pk in range(first + done, first + done + size):
            row, evs = maker.make(pk)
            cases.append(row)
            events.extend(evs)
        with transaction.atomic():
            insert_rows("cases_case", CASE_COLUMNS, cases)
            insert_rows("cases_caseevent", EVENT_COLUMNS, events)
        done += size
        n_events += len(events)
        progress(label, done, n, started)
    reset_sequences(["cases_case", "cases_caseevent"])
    search_index(drop=False)
    index_from(first)
    with connection.cursor() as cur:
        cur.execute("ANALYZE")  # fresh statistics, as after any bulk load
    return n_events


# ---------------------------------------------------------------------------------------------
# Scales


def load_county(*, seed: int) -> dict[str, Any]:
    """The Shilou demo, loaded through its own services."""
    from grassroots.demo.loader import load_demo

    t0 = time.perf_counter()
    sys.stderr.write("  loading the Shilou demo (services)…\n")
    result = load_demo(password=PASSWORD, seed=seed)
    return {"demo_seconds": round(time.perf_counter() - t0, 1), "demo_cases": result.cases}


def province_rows(counties: int) -> list[Any]:
    """`counties` counties shaped like bench/tree.py's (about 3,037 nodes each)."""
    sys.path.insert(0, str(REPO / "bench"))
    from tree import rows_for  # type: ignore[import-not-found]

    return list(rows_for(counties))


def extend_to_province(*, counties: int) -> dict[str, Any]:
    """Import `counties` more counties through `area_import`, then a township office and a
    village station for each (bulk), so that routing finds a handler everywhere."""
    from django.db import transaction

    from grassroots.areas.models import Area, Unit
    from grassroots.areas.services import area_import

    rows = province_rows(counties)
    t0 = time.perf_counter()
    sys.stderr.write(f"  importing {len(rows):,} areas through area_import…\n")
    step = 20_000
    started = time.perf_counter()
    for i in range(0, len(rows), step):
        area_import(actor=None, rows=rows[i : i + step], batch_size=5000)
        progress("areas", min(i + step, len(rows)), len(rows), started)
    tree_s = time.perf_counter() - t0
    imported = {r.code for r in rows}
    # filtered in Python: an IN list of 300,000 codes is beyond SQLite's variable limit
    new = Area.objects.filter(level__in=("township", "village")).values_list(
        "pk", "code", "name", "level"
    )
    units = [
        Unit(
            code=f"B{code}",
            name=f"{name}{'办' if level == 'township' else '便民服务站'}",
            level="township" if level == "township" else "community",
            area_id=pk,
        )
        for pk, code, name, level in new.iterator(chunk_size=5000)
        if code in imported
    ]
    with transaction.atomic():
        Unit.objects.bulk_create(units, batch_size=2000)
    reset_sequences(["areas_area", "areas_unit"])
    return {"areas_imported": len(rows), "area_import_seconds": round(tree_s, 1)}


def refresh_figures() -> float:
    from grassroots.figures.services import figures_refresh

    t0 = time.perf_counter()
    sys.stderr.write("  refreshing the dashboard rollups (figures_refresh full)…\n")
    figures_refresh(full=True)
    return round(time.perf_counter() - t0, 1)


def settle() -> float:
    """Let the database finish the bulk load's after-work before a timed stage: on PostgreSQL
    VACUUM (ANALYZE) — else autovacuum's insert-triggered pass over the freshly loaded tables,
    and the hint bits every first read sets, run during whichever stage comes next — and a
    CHECKPOINT (the load's dirty pages written now, not under the timed load); on SQLite the
    WAL folded back into the database file. An operator does the same after a bulk import.
    Returns the seconds it took."""
    from django.db import connection

    t0 = time.perf_counter()
    sys.stderr.write("  settling the database after the load…\n")
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("VACUUM (ANALYZE)")
            cur.execute("CHECKPOINT")
        else:
            cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return round(time.perf_counter() - t0, 1)


def refresh_visit_state() -> dict[str, Any]:
    """Rebuild the households' visit state and the count sources over it (what
    `refresh-figures` does when a visit, a household or a plan rule changed): seconds, rows."""
    from grassroots.figures.counts import counts_refresh
    from grassroots.figures.states import states_refresh
    from grassroots.visits.models import HouseholdVisitDue

    t0 = time.perf_counter()
    sys.stderr.write("  rebuilding the households' visit state (states_refresh full)…\n")
    states_refresh(full=True)
    state_s = time.perf_counter() - t0
    counts_refresh(full=True)
    return {
        "visit_state_refresh_s": round(state_s, 2),
        "visit_state_and_counts_s": round(time.perf_counter() - t0, 2),
        "visit_state_rows": HouseholdVisitDue.objects.count(),
    }


def counts() -> dict[str, int]:
    from grassroots.areas.models import Area
    from grassroots.cases.models import Case, CaseEvent

    return {
        "areas": Area.objects.count(),
        "cases": Case.objects.count(),
        "events": CaseEvent.objects.count(),
    }


def check_valid(sample: int = 2000) -> list[str]:
    """Spot checks of generated rows against the services' rules; returns the problems found."""
    from grassroots.cases.models import Case

    problems: list[str] = []
    for c in Case.objects.order_by("-id")[:sample]:
        if c.state == "closed" and not c.closure:
            problems.append(f"{c.pk}: closed without closure")
        if c.state in ("dispatched", "accepted") and c.resolution_due is None:
            problems.append(f"{c.pk}: running without due time")
        if c.accepted_at and c.accepted_at < c.created_at:
            problems.append(f"{c.pk}: accepted before created")
        if c.resolved_at and c.accepted_at and c.resolved_at < c.accepted_at:
            problems.append(f"{c.pk}: resolved before accepted")
        if c.number and not c.number.endswith(f"{c.pk:07d}"):
            problems.append(f"{c.pk}: number")
    return problems


def iter_batches(seq: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for i in range(0, len(seq), size):
        yield seq[i : i + size]
