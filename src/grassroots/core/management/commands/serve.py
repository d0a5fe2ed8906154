"""`grassroots serve`: the embedded setup in one command (what `make demo` runs).

Starts, as child processes of this one, the web server (gunicorn with ``gunicorn.conf.py``),
the scheduler (``grassroots scheduler``) and the task worker (``grassroots db_worker``), with
the task queue in the database (``GRASSROOTS_TASKS=database`` unless the environment says
otherwise; with any other value tasks run in the web workers' threads and no worker starts).
Ctrl-C or SIGTERM stops all three cleanly (each gets SIGTERM once and up to
``--stop-timeout`` seconds); if any of them exits on its own, the others are stopped too and
the command fails, naming it. Production runs the same three as separate services
(docs/operations.md).
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """In the child: get SIGTERM if `serve` itself dies without stopping its children."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


class Command(BaseCommand):
    help = "Serve the web app with the scheduler and the task worker, in one command."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8000", help="address:port to serve on")
        parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
        parser.add_argument(
            "--config",
            default=str(settings.REPO_DIR / "gunicorn.conf.py"),
            help="gunicorn configuration file",
        )
        parser.add_argument("--no-scheduler", action="store_true", help="do not run the jobs")
        parser.add_argument(
            "--stop-timeout", type=float, default=40.0, help="seconds to wait for each to stop"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        env = dict(os.environ)
        env.setdefault("GRASSROOTS_TASKS", "database")
        env.setdefault("DJANGO_SETTINGS_MODULE", "grassroots.settings")
        # The web workers' metric files (docs/operations.md, "Metrics"): every scrape sums them.
        metrics_dir = Path(
            env.setdefault("PROMETHEUS_MULTIPROC_DIR", str(settings.VAR_DIR / "metrics"))
        )
        metrics_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        python = sys.executable
        web = [python, "-m", "gunicorn", "grassroots.wsgi", "--bind", options["bind"]]
        web += ["--workers", str(options["workers"])]
        if Path(options["config"]).is_file():
            web += ["--config", options["config"]]
        elif options["config"] != self._default_config():
            raise CommandError(f"gunicorn configuration not found: {options['config']}")
        commands = {"web": web}
        if not options["no_scheduler"]:
            commands["scheduler"] = [python, "-m", "grassroots", "scheduler"]
        if env["GRASSROOTS_TASKS"] == "database":
            commands["worker"] = [python, "-m", "grassroots", "db_worker", "--queue-name", "*"]

        stopping = False

        def on_signal(signum: int, frame: FrameType | None) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, on_signal)
        signal.signal(signal.SIGTERM, on_signal)
        children: dict[str, subprocess.Popen[bytes]] = {}
        failed: list[str] = []
        try:
            for name, argv in commands.items():
                # Its own process group: a Ctrl-C at the terminal reaches `serve` alone, which
                # then stops each child once (a second signal makes the task worker abandon
                # the task it is running).
                children[name] = subprocess.Popen(  # noqa: S603 (our own interpreter and args)
                    argv, env=env, process_group=0, preexec_fn=_die_with_parent
                )
            self.stderr.write(
                f"serving http://{options['bind']}/ with "
                + ", ".join(f"{n} (pid {p.pid})" for n, p in children.items())
            )
            while not stopping:
                failed = [n for n, p in children.items() if p.poll() is not None]
                if failed:
                    break
                time.sleep(0.5)
        finally:
            codes = self._stop(children, timeout=options["stop_timeout"])
        if failed:
            raise CommandError(
                "stopped because " + ", ".join(f"{n} exited with status {codes[n]}" for n in failed)
            )
        self.stderr.write("stopped: " + ", ".join(f"{n} {c}" for n, c in codes.items()))

    @staticmethod
    def _default_config() -> str:
        return str(settings.REPO_DIR / "gunicorn.conf.py")

    @staticmethod
    def _stop(children: dict[str, subprocess.Popen[bytes]], *, timeout: float) -> dict[str, int]:
        for proc in children.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        codes = {}
        for name, proc in children.items():
            try:
                codes[name] = proc.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
                codes[name] = proc.wait()
        return codes
