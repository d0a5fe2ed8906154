"""The report: machine facts, each target's verdict, and the Markdown table the README shows."""

from __future__ import annotations

import os
import platform
import socket
import sqlite3
from pathlib import Path
from typing import Any

from serve import CONCURRENCY
from workloads import SEARCH_WORD

TARGETS = {
    "intake_sqlite_per_s": 250,
    "intake_postgres_per_s": 150,
    "intake_p99_ms": 150,
    "intake_vs_reference": 0.5,
    "intake_vs_peer": 10,
    "metrics_province_ms": 50,
    "metrics_ratio": 1.5,
    "list_province_ms": 50,
    "search_province_ms": 300,
    "import_rows_per_s": 5000,
    "import_peak_mb": 500,
    # reads through the replica: the pages read under intake came from the standby
    "replica_read_share": 0.95,
    # rollup lag: a new case is in the county's figures within 60 s at 100 intakes/s
    "lag_rate_per_s": 95,
    "lag_max_s": 60,
}


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
        if "peer" in r:
            theirs = r["peer"]["intake"]["per_second"]
            ratio = round(intake["per_second"] / theirs, 1) if theirs else 0.0
            check(db, "intake / django-helpdesk", ratio, TARGETS["intake_vs_peer"], True)
        imp = r["import"]
        check(db, "import rows/s", imp["per_second"], TARGETS["import_rows_per_s"], True)
        check(db, "import peak MB", imp["peak_mb"], TARGETS["import_peak_mb"], False)
        rep = r.get("replica", {}).get("with_replica")
        if rep:
            reads = sum(rep[k]["runs"] for k in REPLICA_PAGES if k in rep)
            share = round(rep["stamped"] / reads, 3) if reads else 0.0
            check(
                db,
                "pages under intake read from the standby",
                share,
                TARGETS["replica_read_share"],
                True,
            )
        lag = r.get("rollup_lag")
        if lag and "error" in lag:
            check(db, "rollup-lag stage: intake cases/s", 0.0, TARGETS["lag_rate_per_s"], True)
        elif lag:
            check(
                db,
                "rollup-lag stage: intake cases/s",
                lag["intake"]["per_second"],
                TARGETS["lag_rate_per_s"],
                True,
            )
            check(
                db,
                "new case in the county's figures, max s",
                lag["dashboard_figures"]["max_s"]
                if not lag["dashboard_figures"]["uncounted"]
                else float("inf"),
                TARGETS["lag_max_s"],
                False,
            )
    return rows


REPLICA_PAGES = ("dashboard_page", "case_list_page")


def replica_rows(row: Any, lat: Any) -> None:
    """Reads under intake without and with the streaming replica; the rollup lag."""

    def reads(label: str, run: str, page: str) -> None:
        def cell(r: Any) -> str:
            if "replica" not in r:
                return "n/a (no replica)"
            rep = r["replica"]
            if "skipped" in rep:
                return f"skipped: {rep['skipped']}"
            return lat(rep[run][page])

        row(label, cell)

    for run, how in (("primary_only", "primary only"), ("with_replica", "with the replica")):
        reads(f"under intake, {how}: dashboard page (median / p99)", run, "dashboard_page")
        reads(f"under intake, {how}: case list page (median / p99)", run, "case_list_page")

        def intake(r: Any, run: str = run) -> str:
            if "replica" not in r:
                return "n/a (no replica)"
            i = r["replica"][run]["intake"]
            s = r["replica"][run]
            return (
                f"{i['per_second']:.0f}/s, {i['errors']} err, on a copy of "
                f"{r['replica']['cases']:,} cases; {s['stamped']} pages stamped "
                f"from the standby, {s['standby_xacts']} standby xacts"
            )

        row(f"under intake, {how}: intake alongside; reads served by the standby", intake)

    def lag_cell(part: str) -> Any:
        def cell(r: Any) -> str:
            g = r["rollup_lag"]
            f = g[part]
            left = f", {f['uncounted']} never counted" if f["uncounted"] else ""
            return (
                f"max {f['max_s']:.1f} s, p95 {f['p95_s']:.1f} s, "
                f"median {f['median_s']:.1f} s{left}"
            )

        return cell

    def lag_stage(r: Any) -> str:
        g = r["rollup_lag"]
        if "error" in g:
            return f"failed at {g['scale']} scale: {g['error']}"
        i = g["intake"]
        return (
            f"{g['scale']}: {i['per_second']:.1f}/s over {g['seconds']:g} s, p99 "
            f"{i['p99_ms']:.0f} ms, {i['errors']} err, {g['refreshes']} refreshes, "
            f"{g.get('poll_errors', 0)} failed dashboard reads"
        )

    row(
        "rollup lag stage: intake at 100/s with the scheduler (scale; achieved/s, p99, refreshes)",
        lag_stage,
    )
    row(
        "new case → the county's figures as the dashboard reads them", lag_cell("dashboard_figures")
    )
    row("new case → the rollup tables (refresh-figures)", lag_cell("rollup_tables"))


def peer_rows(row: Any, lat: Any) -> None:
    """Our side and django-helpdesk's at the same size (20,000 cases / tickets), with ratios."""

    def ratio(ours: float, theirs: float, higher: bool) -> str:
        """ours ÷ theirs: cases/s over tickets/s (`higher`), or their time over ours."""
        if not ours or not theirs:
            return "—"
        return f"{ours / theirs:.1f}×"

    row(
        "django-helpdesk: version, tickets",
        lambda r: f"{r['peer']['version']}, {r['peer']['tickets']:,}",
    )
    row(
        "django-helpdesk intake via its API (tickets/s, p50/p99, errors)",
        lambda r: (
            f"{r['peer']['intake']['per_second']:.0f}/s, {r['peer']['intake']['p50_ms']:.0f}/"
            f"{r['peer']['intake']['p99_ms']:.0f} ms, {r['peer']['intake']['errors']} err"
        ),
    )
    row(
        "our intake ÷ django-helpdesk's (> 1: ours faster)",
        lambda r: ratio(r["intake"]["per_second"], r["peer"]["intake"]["per_second"], True),
    )
    for ours, theirs, label in (
        ("case_list_page", "ticket_list", "staff list page by queue/state"),
        ("dashboard_page", "dashboard", "dashboard page"),
    ):
        row(f"django-helpdesk {label} (median / p99)", lambda r, t=theirs: lat(r["peer"][t]))
        row(
            f"ours at 20,000 cases: {label} (median / p99)",
            lambda r, o=ours: lat(r["peer_size"][o]),
        )
        row(
            f"{label}: django-helpdesk's time ÷ ours (> 1: ours faster)",
            lambda r, o=ours, t=theirs: ratio(
                r["peer"][t]["median_ms"], r["peer_size"][o]["median_ms"], False
            ),
        )


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
    row(
        "workflow loop dispatch→accept→resolve→review (actions/s, p50/p99, errors)",
        lambda r: (
            f"{r['loop']['per_second']:.0f}/s, {r['loop']['p50_ms']:.0f}/"
            f"{r['loop']['p99_ms']:.0f} ms, {r['loop']['errors']} err"
        ),
    )
    for key, label in (
        ("case_list", "case list API (state + subtree, by due)"),
        ("case_list_page", "case list page (same filter)"),
        ("dashboard_page", "dashboard page (county)"),
        ("keyword_search", f"keyword search ({SEARCH_WORD})"),
        ("county_metrics", "county metrics API"),
        ("dashboard", "dashboard API"),
        ("health_page", "grid health page (county)"),
        ("map_data", "map data (county)"),
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
    row(
        "households' visit state rebuild (households under a plan, s; with its counts, s)",
        lambda r: (
            f"{r['visit_state']['visit_state_rows']:,}, "
            f"{r['visit_state']['visit_state_refresh_s']:.2f} s; "
            f"{r['visit_state']['visit_state_and_counts_s']:.2f} s"
        ),
    )
    replica_rows(row, lat)
    peer_rows(row, lat)
    lines += ["", "| target | database | measured | goal | met |", "|---|---|---|---|---|"]
    for v in result["verdicts"]:
        lines.append(
            f"| {v['target']} | {v['database']} | {v['value']:g} | {v['goal']} | "
            f"{'met' if v['met'] else '**missed**'} |"
        )
    lines.append("")
    return "\n".join(lines) + "\n"


README_START = "<!-- bench:start (written by bench/run.py --scale full) -->"
README_END = "<!-- bench:end -->"


def update_readme(readme: Path, md: str) -> bool:
    """Put `md` between the README's benchmark markers (the table stays current with every full
    run); False, and nothing written, when the markers are missing."""
    text = readme.read_text(encoding="utf-8")
    start, end = text.find(README_START), text.find(README_END)
    if start < 0 or end < start:
        return False
    new = text[: start + len(README_START)] + "\n\n" + md.strip() + "\n\n" + text[end:]
    readme.write_text(new, encoding="utf-8")
    return True
