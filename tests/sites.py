"""Whole installations for the tests that run the real commands and the real server in their own
processes (backups, faults): each site has its own var folder and its own database on the
suite's engine (SQLite, or PostgreSQL when the suite runs on it)."""

from __future__ import annotations

import base64
import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
KEY = base64.urlsafe_b64encode(b"k" * 32).decode()
SUITE_URL = os.environ.get("DATABASE_URL", "")
POSTGRES = SUITE_URL.startswith("postgres")


@dataclass
class Site:
    """One installation: its own var folder and database."""

    var: Path
    url: str
    env_extra: dict[str, str] = field(default_factory=dict)  # settings of the site's own

    def env(self, key: str = KEY) -> dict[str, str]:
        env = dict(os.environ, GRASSROOTS_VAR_DIR=str(self.var), DATABASE_URL=self.url)
        env.update(self.env_extra)
        env["GRASSROOTS_FIELD_KEY"] = key
        # the site's own audit anchors (the suite's default file is shared by its servers)
        env["GRASSROOTS_AUDIT_CHECKPOINT_FILE"] = str(self.var / "audit-checkpoints.jsonl")
        return env

    def run(self, *args: str, key: str = KEY, check: bool = True) -> subprocess.CompletedProcess:
        done = subprocess.run(  # noqa: S603 — the project's own commands
            [*args], cwd=REPO, env=self.env(key), capture_output=True, text=True, check=False
        )
        if check and done.returncode != 0:
            raise AssertionError(f"{args} failed:\n{done.stdout}\n{done.stderr}")
        return done

    def grassroots(self, *args: str, **kw) -> subprocess.CompletedProcess:
        return self.run(str(BIN / "grassroots"), *args, **kw)

    def python(self, code: str) -> str:
        """Run `code` after django.setup() in the site's environment; what it printed."""
        return self.run(sys.executable, "-c", "import django; django.setup()\n" + code).stdout

    def totp_code(self, username: str) -> str:
        """A code `username`'s enrolled device accepts now and has not accepted before (the
        device read from the site's database; waits for the next time step if both codes of
        the window were used, as a person would)."""
        from django_otp.oath import hotp

        code = (
            "from django_otp.plugins.otp_totp.models import TOTPDevice\n"
            f"d = TOTPDevice.objects.get(user__username={username!r}, confirmed=True)\n"
            "print(d.key, d.last_t, d.t0, d.step, d.drift, d.tolerance, d.digits)"
        )
        key, last_t, t0, step, drift, tolerance, digits = self.python(code).split()
        while True:
            current = int(time.time() - int(t0)) // int(step) + int(drift)
            for t in (current, current + 1):
                if int(last_t) < t <= current + int(tolerance):
                    return str(hotp(bytes.fromhex(key), t, digits=int(digits))).zfill(int(digits))
            time.sleep(1)

    def seeded(self) -> Site:
        self.grassroots("migrate", "--noinput", "-v", "0")
        self.run(sys.executable, "-m", "tests.site_seed")
        return self

    def serve(self, workers: int = 2) -> Server:
        """A real gunicorn (the production server, with the project's config) on a free port."""
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        log = (self.var / f"gunicorn-{port}.log").open("wb")
        proc = subprocess.Popen(  # noqa: S603
            [str(BIN / "gunicorn"), "grassroots.wsgi", "--config", "gunicorn.conf.py",
             "--bind", f"127.0.0.1:{port}", "--workers", str(workers)],
            cwd=REPO, env=self.env(), stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        server = Server(proc, f"http://127.0.0.1:{port}")
        server.wait_ready()
        return server


@dataclass
class Server:
    proc: subprocess.Popen
    base: str

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"gunicorn exited with {self.proc.returncode}")
            try:
                with urllib.request.urlopen(self.base + "/login/", timeout=5):  # noqa: S310
                    return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        raise AssertionError("gunicorn did not answer in time")

    def kill(self) -> None:
        """SIGKILL the master and every worker at once (its own process group)."""
        os.killpg(self.proc.pid, 9)
        self.proc.wait()

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, 15)
            self.proc.wait(timeout=30)


def _pg_admin(sql: str) -> None:
    import psycopg

    base = SUITE_URL.rsplit("/", 1)[0]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(sql)  # type: ignore[arg-type]


def site_factory(tmp_path_factory) -> Iterator[Callable[[str], Site]]:
    """For a fixture: makes empty sites on the suite's engine; drops their databases after."""
    made: list[str] = []

    def make(name: str) -> Site:
        var = tmp_path_factory.mktemp(name)
        if not POSTGRES:
            return Site(var, f"sqlite:///{var}/grassroots.sqlite3")
        db = f"gr_site_{name.replace('-', '_')}_{uuid.uuid4().hex[:8]}"
        _pg_admin(f'CREATE DATABASE "{db}"')
        made.append(db)
        return Site(var, f"{SUITE_URL.rsplit('/', 1)[0]}/{db}")

    yield make
    for db in made:
        _pg_admin(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')


class WebSession:
    """A signed-in browser session over plain HTTP (cookies and the CSRF token of each form)."""

    _TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

    def __init__(self, server: Server, username: str, password: str, code: str = "") -> None:
        """Signs in with the password, then with `code` of the second factor when asked."""
        self.base = server.base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        page = self.get("/login/")
        url, page = self.post("/login/", {"username": username, "password": password}, page=page)
        if "/login/otp/" in url:
            self.post("/login/otp/", {"code": code}, page=page)

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=30) as resp:
            return resp.read().decode()

    def post(
        self, path: str, fields: dict[str, str], *, page: str, files: dict[str, Path] | None = None
    ) -> tuple[str, str]:
        """Submit a form of `page` (whose CSRF token it sends); the final URL and its body."""
        token = self._TOKEN.search(page)
        assert token, "no CSRF token on the page"
        fields = {"csrfmiddlewaretoken": token.group(1), **fields}
        boundary = uuid.uuid4().hex
        body = bytearray()
        for name, value in fields.items():
            head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
            body += head.encode()
            body += value.encode() + b"\r\n"
        for name, path_ in (files or {}).items():
            body += (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{path_.name}"\r\nContent-Type: application/octet-stream\r\n\r\n'
            ).encode()
            body += path_.read_bytes() + b"\r\n"
        body += f"--{boundary}--\r\n".encode()
        request = urllib.request.Request(  # noqa: S310 — our own server on loopback
            self.base + path,
            data=bytes(body),
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
            method="POST",
        )
        with self.opener.open(request, timeout=60) as resp:
            return resp.url, resp.read().decode()
