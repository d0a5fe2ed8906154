"""Defect 3 against a real server: gunicorn with three worker processes, hit at once.

Before the fix each worker counted in its own cache, so a `per_minute=5` Open311 key let up to
3 × 5 requests through. The server runs against the test database (committed data:
`transaction=True`) and the shared store (the database, or Redis when it is running).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from grassroots.open311.services import apikey_issue
from tests.test_scheduler_serve import children, database_url, free_port
from tests.test_throttle import REDIS_URL, _redis_up

pytestmark = pytest.mark.django_db(transaction=True)
WORKERS = 3


def request(url: str, data: dict[str, str] | None = None) -> int:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    try:
        with urllib.request.urlopen(url, data=body, timeout=30) as resp:  # noqa: S310
            return resp.status
    except urllib.error.HTTPError as exc:
        return exc.code


def at_once(n: int, call) -> list[int]:
    barrier = threading.Barrier(n)
    codes: list[int] = []
    lock = threading.Lock()

    def run() -> None:
        barrier.wait(timeout=30)
        code = call()
        with lock:
            codes.append(code)

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(codes)


@pytest.fixture(params=["database", "redis"])
def server(request, tmp_path: Path):
    """gunicorn with WORKERS processes on a free port; its base URL."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "GRASSROOTS_VAR_DIR": str(settings.VAR_DIR),
        "GRASSROOTS_OPEN311_READS_PER_MINUTE": "10",
        "GRASSROOTS_REDIS_URL": "",
    }
    if request.param == "redis":
        if not _redis_up():
            pytest.skip("Redis is not running at 127.0.0.1:6379")
        env["GRASSROOTS_REDIS_URL"] = REDIS_URL
        env["GRASSROOTS_THROTTLE_PREFIX"] = f"t:{uuid.uuid4()}:"
    log = (tmp_path / "gunicorn.log").open("wb")
    proc = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "gunicorn",
            "grassroots.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(WORKERS),
        ],
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
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


def request_ok(url: str) -> bool:
    try:
        return request(url) in (200, 503)
    except OSError:
        return False


def test_a_key_s_limit_holds_across_gunicorn_workers(server, world, catalogue):
    _key, raw = apikey_issue(actor=None, name="随手拍", per_minute=5)
    body = {
        "api_key": raw,
        "service_code": "M001",
        "lat": "37.0025",
        "long": "110.8025",
        "description": "小区路灯不亮",
    }
    codes = at_once(20, lambda: request(f"{server}/open311/v2/requests.json", body))
    assert codes == [201] * 5 + [429] * 15


def test_reads_are_limited_across_gunicorn_workers(server, world):
    codes = at_once(16, lambda: request(f"{server}/open311/v2/services.json"))
    assert codes == [200] * 10 + [429] * 6
