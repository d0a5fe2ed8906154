"""The benchmark harness at a tiny scale, so that it never rots (no timing is asserted)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
WORKLOADS = (
    "case_list",
    "case_list_page",
    "keyword_search",
    "county_metrics",
    "dashboard",
    "dashboard_page",
    "health_page",
    "map_data",
)


@pytest.mark.slow
def test_bench_quick_writes_every_workload(tmp_path: Path) -> None:
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pytest.skip("the harness makes its own SQLite databases: it runs once, in the SQLite pass")
    env = {**os.environ, "GRASSROOTS_BENCH_DIR": str(tmp_path / "var")}
    env.pop("DATABASE_URL", None)
    out = tmp_path / "results"
    subprocess.run(  # noqa: S603
        [
            sys.executable,
            str(REPO / "bench" / "run.py"),
            "--scale",
            "tiny",
            "--databases",
            "sqlite",
            "--out-dir",
            str(out),
        ],
        env=env,
        cwd=REPO,
        check=True,
        capture_output=True,
        timeout=600,
    )
    files = [p for p in out.glob("*.json")]
    assert len(files) == 1
    result = json.loads(files[0].read_text(encoding="utf-8"))
    assert {"cores", "memory_mb", "python", "sqlite", "postgresql"} <= set(result["machine"])
    r = result["databases"]["sqlite"]
    assert r["problems"] == []
    for name in ("intake", "reference", "loop"):
        assert r[name]["requests"] > 0 and r[name]["per_second"] > 0, r[name]
        assert r[name]["p50_ms"] > 0 and r[name]["p99_ms"] > 0
        assert r[name]["errors"] == 0, r[name]
    assert r["intake"]["cases_written"] >= r["intake"]["requests"]
    # every loop of four actions that finished closed its case
    assert r["loop"]["cases_closed"] >= r["loop"]["requests"] // 4 - r["loop"]["concurrency"]
    assert r["ceiling"]["per_second"] > 0
    peer = r["peer"]
    assert peer["problems"] == [] and peer["version"].startswith("2.")
    assert peer["intake"]["per_second"] > 0 and peer["intake"]["errors"] == 0
    assert peer["ticket_list"]["median_ms"] > 0 and peer["dashboard"]["median_ms"] > 0
    for scale in ("peer_size", "county", "province"):
        for w in WORKLOADS:
            assert r[scale][w]["median_ms"] > 0 and r[scale][w]["p99_ms"] > 0, (scale, w)
    assert r["province_counts"]["cases"] > r["county_counts"]["cases"]
    assert r["import"]["status"] == "done" and r["import"]["per_second"] > 0
    assert r["import"]["peak_mb"] > 0
    assert r["visit_state"]["visit_state_rows"] > 0  # the imported households, under a plan
    lag = r["rollup_lag"]  # intake at a fixed rate with the scheduler running
    assert "error" not in lag and lag["scale"] == "county", lag
    assert lag["intake"]["requests"] > 0 and lag["intake"]["errors"] == 0, lag["intake"]
    assert lag["intake"]["per_second"] <= lag["rate_target"] * 1.05
    assert lag["refreshes"] >= 1 and lag["cases"] > 0
    for part in ("dashboard_figures", "rollup_tables"):
        assert lag[part]["counted"] == lag["cases"] and lag[part]["uncounted"] == 0, lag[part]
    assert "replica" not in r  # PostgreSQL only: the row says n/a
    md = (out / "latest.md").read_text(encoding="utf-8")
    assert md.count("|") > 20
    assert "n/a (no replica)" in md and "new case in the county's figures, max s" in md
    assert result["verdicts"]
