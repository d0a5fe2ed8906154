"""Serving and loading, shared by our workloads and the peer's: gunicorn on a free port with
the product's gunicorn.conf.py, and the separate load process (bench/loadgen.py). Standard
library only, so the peer's driver can use it too."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
CONCURRENCY = 8
WARMUP_SECONDS = 3


def say(message: str) -> None:
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def gunicorn(
    *, exe: Path, app: str, env: dict[str, str], cwd: Path, log_dir: Path
) -> tuple[subprocess.Popen[bytes], int]:
    """gunicorn `exe` serving `app` with the product's config file, 2 × cores sync workers and
    no access log, on a free port of 127.0.0.1; returns once it accepts connections and its
    workers have had a second to boot."""
    port = free_port()
    workers = 2 * (os.cpu_count() or 1)
    log = open(log_dir / f"gunicorn-{port}.log", "wb")  # noqa: SIM115
    proc = subprocess.Popen(  # noqa: S603
        [
            str(exe),
            app,
            "--config",
            str(REPO / "gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--access-logfile",
            "/dev/null",
        ],
        env=env,
        cwd=str(cwd),
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
    """POST `bodies` round-robin to `path` from the load process; its result dict."""
    return _loadgen(port, secs, "--body-file", bodies, "--path", path, "--token", token)


def drive_jobs(port: int, jobs: list[list[dict[str, Any]]], secs: float) -> Any:
    """Run `jobs` (each a list of steps sent in order, each job once) from the load process."""
    return _loadgen(port, secs, "--jobs-file", jobs)


def _loadgen(port: int, secs: float, kind: str, data: Any, *extra: str) -> Any:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False)
    try:
        out = subprocess.run(  # noqa: S603
            [
                sys.executable,
                str(BENCH / "loadgen.py"),
                "--port",
                str(port),
                kind,
                fh.name,
                *extra,
                "--concurrency",
                str(CONCURRENCY),
                "--duration",
                str(secs),
                "--warmup",
                str(WARMUP_SECONDS),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
    finally:
        os.unlink(fh.name)
    return json.loads(out.stdout.strip().splitlines()[-1])
