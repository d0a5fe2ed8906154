"""The benchmark's rollup-lag arithmetic and the load process's fixed rate (no database)."""

from __future__ import annotations

import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))

import lag  # noqa: E402
import loadgen  # noqa: E402


def test_a_case_counts_from_the_first_poll_holding_its_rank() -> None:
    # given three cases created at 1, 2 and 3 s, and polls of a figure that stood at 10 before
    created = [1.0, 2.0, 3.0]
    polls = [(1.5, 10), (2.5, 11), (4.0, 13)]
    # then the first is counted at 2.5, the other two at 4.0
    assert lag.lags(created, polls, base=10) == [1.5, 2.0, 1.0]


def test_cases_never_counted_are_reported_as_such() -> None:
    values = lag.lags([1.0, 2.0, 3.0], [(5.0, 11)], base=10)
    summary = lag.lag_summary(values, total=3)
    assert summary == {"counted": 1, "uncounted": 2, "median_s": 4.0, "p95_s": 4.0, "max_s": 4.0}


def test_lag_summary_of_nothing() -> None:
    assert lag.lag_summary([], total=0)["max_s"] == 0.0


class _Ok(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        body = json.dumps({"ok": True}).encode()
        self.send_response(201)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_loadgen_holds_a_fixed_rate() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Ok)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        result = loadgen.run(
            port=server.server_address[1],
            jobs=[[("/x/", "", b"{}")]],
            repeat=True,
            concurrency=4,
            duration=2.0,
            warmup=0.5,
            rate=50.0,
        )
    finally:
        server.shutdown()
    # 50/s for 2 s: about 100 requests, far below what the local server answers unpaced
    assert result["errors"] == 0 and result["rate_limit"] == 50.0
    assert 40 <= result["per_second"] <= 55, result
