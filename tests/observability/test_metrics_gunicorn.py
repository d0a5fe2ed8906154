"""Multiprocess mode against a real gunicorn: three workers, the project's gunicorn.conf.py and
PROMETHEUS_MULTIPROC_DIR; whichever worker answers a scrape reports every worker's requests."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from prometheus_client.parser import text_string_to_metric_families

from tests.test_scheduler_serve import children, database_url, free_port
from tests.test_throttle_gunicorn import at_once, request, request_ok

pytestmark = pytest.mark.django_db(transaction=True)
WORKERS = 3
TOKEN = "m" * 40
REPO = Path(__file__).resolve().parent.parent.parent


@pytest.fixture
def server(tmp_path: Path):
    port = free_port()
    multiproc = tmp_path / "metrics"
    multiproc.mkdir()
    (multiproc / "counter_99999.db").write_bytes(b"left by a previous run")
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "GRASSROOTS_VAR_DIR": str(settings.VAR_DIR),
        "GRASSROOTS_METRICS_TOKEN": TOKEN,
        "PROMETHEUS_MULTIPROC_DIR": str(multiproc),
        "GRASSROOTS_LOG_FORMAT": "json",
    }
    log = (tmp_path / "gunicorn.log").open("wb")
    proc = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "gunicorn",
            "grassroots.wsgi",
            "--config",
            str(REPO / "gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(WORKERS),
        ],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if len(children(proc.pid)) == WORKERS and request_ok(f"{base}/health/"):
                break
            time.sleep(0.2)
        else:
            pytest.fail("gunicorn did not start: " + (tmp_path / "gunicorn.log").read_text())
        yield base, multiproc, tmp_path / "gunicorn.log"
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


def scrape(base: str) -> float:
    """The 5xx /health/ requests counted, as one scrape reports them."""
    headers = {"Authorization": f"Bearer {TOKEN}"}
    req = urllib.request.Request(f"{base}/metrics", headers=headers)  # noqa: S310
    with urllib.request.urlopen(req, timeout=30) as resp:  # noqa: S310
        text = resp.read().decode()
    for family in text_string_to_metric_families(text):
        if family.name == "grassroots_http_requests":
            for s in family.samples:
                if s.labels == {"view": "health", "method": "GET", "status": "5xx"}:
                    return s.value
    return 0.0


def test_every_scrape_sums_every_worker_and_needs_the_token(server):
    base, multiproc, log = server
    first = scrape(base)  # the start-up probes, on whichever workers took them
    codes = at_once(24, lambda: request(f"{base}/health/"))
    assert codes == [503] * 24  # no scheduler runs: /health/ fails, and is counted as 5xx
    # the stale file of a previous run was removed at start; more than one worker wrote counts
    assert not (multiproc / "counter_99999.db").exists()
    writers = {p.name.rsplit("_", 1)[1] for p in multiproc.glob("counter_*.db")}
    assert len(writers) >= 2
    assert [scrape(base) for _ in range(6)] == [first + 24] * 6
    # the JSON request lines of the workers carry a request id each
    lines = [line for line in log.read_text().splitlines() if '"grassroots.request"' in line]
    assert len(lines) >= 24 and all('"request_id": "' in line for line in lines)

    # and without the token, no worker answers it
    try:
        urllib.request.urlopen(f"{base}/metrics", timeout=30)  # noqa: S310
    except urllib.error.HTTPError as exc:
        assert exc.code == 404
    else:
        pytest.fail("/metrics answered without the token")
