"""`grassroots serve`, for real: web server, scheduler and task worker from one command, all
stopped cleanly by Ctrl-C (SIGINT) or SIGTERM.

Starts the real processes against the test database (committed data: `transaction=True`), so
it waits on them — with a bounded poll, never a fixed sleep.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from grassroots.core.scheduler.models import SchedulerLease

pytestmark = pytest.mark.django_db(transaction=True)


def database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def children(pid: int) -> dict[int, str]:
    """The child processes of `pid` with their command lines (Linux /proc)."""
    found = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            cmdline = Path(f"/proc/{child}/cmdline").read_bytes().replace(b"\0", b" ")
            found[int(child)] = cmdline.decode()
    return found


def health(port: int) -> tuple[int, dict] | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=5) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())
    except OSError:
        return None


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("stop_with", [signal.SIGINT, signal.SIGTERM])
def test_serve_runs_web_scheduler_and_worker_and_stops_them_all(tmp_path, stop_with):
    port = free_port()
    log = (tmp_path / "serve.log").open("wb")
    env = {**os.environ, "DATABASE_URL": database_url()}
    env.pop("GRASSROOTS_TASKS", None)
    serve = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "grassroots",
            "serve",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        # the web server answers, and its health check sees the scheduler's heartbeat
        deadline = time.monotonic() + 120
        answer = None
        while time.monotonic() < deadline and serve.poll() is None:
            answer = health(port)
            if answer and answer[0] == 200:
                break
            time.sleep(0.5)
        assert answer and answer[0] == 200, (answer, (tmp_path / "serve.log").read_text())
        assert answer[1]["checks"]["scheduler"]["age_seconds"] <= 30
        running = children(serve.pid)
        kinds = sorted(
            "web" if "gunicorn" in c else "scheduler" if " scheduler" in c else "worker"
            for c in running.values()
        )
        assert kinds == ["scheduler", "web", "worker"], running
        assert any("db_worker" in c for c in running.values())
        # when stopped, each child stops, and the scheduler hands its lease back
        serve.send_signal(stop_with)
        assert serve.wait(timeout=90) == 0, (tmp_path / "serve.log").read_text()
        for pid in running:
            assert (
                not Path(f"/proc/{pid}").exists()
                or "zombie" in Path(f"/proc/{pid}/status").read_text()
            ), pid
        lease = SchedulerLease.objects.get()
        assert lease.expires_at <= timezone.now()
        assert "stopped: web 0, scheduler 0, worker 0" in (tmp_path / "serve.log").read_text()
    finally:
        if serve.poll() is None:
            serve.kill()
            serve.wait()
