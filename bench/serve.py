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
from dataclasses import dataclass
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


def drive_in_background(
    port: int,
    path: str,
    token: str,
    bodies: list[dict[str, Any]],
    secs: float,
    *,
    rate: float = 0.0,
    concurrency: int = CONCURRENCY,
) -> Load:
    """Start the load process POSTing `bodies` (at most `rate` a second when set) and return at
    once: the caller measures something else meanwhile, then calls `Load.result()`."""
    name = _data_file(bodies)
    args = _loadgen_args(port, secs, "--body-file", name, concurrency, "--path", path)
    args += ["--token", token, "--rate", str(rate)]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # noqa: S603
    return Load(proc, name, time.monotonic() + WARMUP_SECONDS + secs)


@dataclass
class Load:
    """A load process running in the background; `ends` is when it stops sending (monotonic)."""

    proc: subprocess.Popen[str]
    data_file: str
    ends: float

    def result(self) -> Any:
        try:
            out, err = self.proc.communicate(timeout=max(60.0, self.ends - time.monotonic() + 60))
        finally:
            os.unlink(self.data_file)
        if self.proc.returncode:
            raise RuntimeError(f"loadgen failed ({self.proc.returncode}): {err[-2000:]}")
        return json.loads(out.strip().splitlines()[-1])


def _data_file(data: Any) -> str:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False)
    return fh.name


def _loadgen_args(
    port: int, secs: float, kind: str, name: str, concurrency: int, *extra: str
) -> list[str]:
    return [
        sys.executable,
        str(BENCH / "loadgen.py"),
        "--port",
        str(port),
        kind,
        name,
        *extra,
        "--concurrency",
        str(concurrency),
        "--duration",
        str(secs),
        "--warmup",
        str(WARMUP_SECONDS),
    ]


def _loadgen(port: int, secs: float, kind: str, data: Any, *extra: str) -> Any:
    name = _data_file(data)
    try:
        out = subprocess.run(  # noqa: S603
            _loadgen_args(port, secs, kind, name, CONCURRENCY, *extra),
            capture_output=True,
            text=True,
            check=True,
        )
    finally:
        os.unlink(name)
    return json.loads(out.stdout.strip().splitlines()[-1])
