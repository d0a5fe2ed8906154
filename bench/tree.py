"""Area-tree queries at county and province scale: do they stay flat as the tree grows?

    .venv/bin/python bench/tree.py [--database-url URL] [--counties 100]

Builds, in its own database (default: var/bench-tree.sqlite3, recreated), a province-sized forest
through the real import path (`area_import`): `--counties` counties × 12 townships × 21 villages,
each village with 1 large, 2 small and 8 micro grids (about 300,000 nodes for 100 counties). Then
times, over many runs, the questions the tree must answer in one query each — the subtree of a
county and of a township, a leaf's ancestors, per-child counts under a county — and prints median
and 99th percentile in milliseconds. Not part of the test suite (tests assert query counts).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "grassroots.settings")
    import django

    django.setup()
    from django.core.management import call_command

    if _has_tables():
        call_command("flush", "--noinput", verbosity=0)
    call_command("migrate", verbosity=0)


def _has_tables() -> bool:
    from django.db import connection

    return "areas_area" in connection.introspection.table_names()


def rows_for(counties: int) -> list:
    from grassroots.areas.codes import grid_code
    from grassroots.areas.services import AreaRow

    rows: list[AreaRow] = []
    line = 1

    def add(code: str, name: str, level: str, parent: str | None) -> None:
        nonlocal line
        line += 1
        rows.append(AreaRow(line=line, code=code, name=name, level=level, parent_code=parent))

    for c in range(counties):
        county = f"14{c // 10 + 1:02d}{c % 10 + 21:02d}000000"
        add(county, f"县{c}", "county", None)
        for t in range(12):
            township = f"{county[:6]}{100 + t:03d}000"
            add(township, f"镇{c}-{t}", "township", county)
            for v in range(21):
                village = f"{township[:9]}{200 + v:03d}"
                add(village, f"村{c}-{t}-{v}", "village", township)
                g1 = grid_code(village, "grid1", 1)
                add(g1, f"{village}一", "grid1", village)
                for s in range(1, 3):
                    g2 = grid_code(g1, "grid2", s)
                    add(g2, f"{g1}-{s}", "grid2", g1)
                    for m in range(1, 5):
                        add(grid_code(g2, "grid3", m), f"{g2}-{m}", "grid3", g2)
    return rows


def timed(fn, runs: int) -> tuple[float, float]:
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(len(samples) * 0.99))]


def measure(runs: int) -> list[tuple[str, float, float]]:
    from grassroots.areas import selectors
    from grassroots.areas.models import Area

    county = Area.objects.filter(level="county").order_by("code").last()
    township = Area.objects.filter(level="township", county=county).order_by("code").last()
    leaf = Area.objects.filter(level="grid3", township=township).order_by("code").last()
    if county is None or township is None or leaf is None:
        raise SystemExit("the tree is empty")
    in_county = Area.objects.filter(county.subtree_q(), level="grid3")
    in_township = Area.objects.filter(township.subtree_q()).values_list("pk", flat=True)
    cases = [
        ("subtree of a county: count micro grids", lambda: in_county.count()),
        ("subtree of a township: list ids", lambda: list(in_township.all())),
        ("ancestors of a micro grid", lambda: selectors.area_ancestors(leaf)),
        (
            "children of a county with per-level counts",
            lambda: selectors.area_children(area=county),
        ),
        ("per-level totals under a county", lambda: selectors.area_level_counts(area=county)),
    ]
    return [(name, *timed(fn, runs)) for name, fn in cases]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_db = f"sqlite:///{REPO / 'var' / 'bench-tree.sqlite3'}"
    parser.add_argument("--database-url", default=default_db)
    parser.add_argument("--counties", type=int, default=100)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    setup(args.database_url)
    from django.db import connection

    from grassroots.areas.models import Area
    from grassroots.areas.services import area_import

    rows = rows_for(args.counties)
    t0 = time.perf_counter()
    area_import(actor=None, rows=rows, batch_size=5000)
    built = time.perf_counter() - t0
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE areas_area")
    print(
        f"{connection.vendor}: {Area.objects.count():,} nodes imported in {built:.1f} s "
        f"({len(rows) / built:,.0f} rows/s)"
    )
    print(f"{'query':48} {'median ms':>10} {'p99 ms':>8}")
    for name, median, p99 in measure(args.runs):
        print(f"{name:48} {median:10.2f} {p99:8.2f}")


if __name__ == "__main__":
    sys.path.insert(0, str(REPO / "src"))
    main()
