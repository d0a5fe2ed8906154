"""Throwaway PostgreSQL clusters for the replica tests: a primary and its streaming standby.

Each cluster lives in a fresh temporary directory, listens on 127.0.0.1 at a free port and on
a socket in its own directory, and trusts local connections; the machine's own server and its
configuration are not touched. initdb refuses to run as root, so when the tests run as root
every server command runs as the ``postgres`` account (``runuser``).
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

BIN = Path(os.environ.get("GRASSROOTS_PG_BIN", "/usr/lib/postgresql/15/bin"))
TOOLS = ("initdb", "pg_ctl", "pg_basebackup", "postgres")


def available() -> str:
    """Why the clusters cannot be made here ('' when they can)."""
    missing = [t for t in TOOLS if not (BIN / t).exists()]
    if missing:
        return f"PostgreSQL server binaries missing in {BIN}: {', '.join(missing)}"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no postgres account to run the servers as"
    return ""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def as_server_user(args: list[str], **kw) -> subprocess.CompletedProcess[str]:
    """Run a server command (as ``postgres`` when we are root); raise with its output on failure."""
    if os.geteuid() == 0:
        args = ["runuser", "-u", "postgres", "--", *args]
    done = subprocess.run(args, capture_output=True, text=True, timeout=120, **kw)  # noqa: S603
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({done.returncode}): {done.stderr[-2000:]}")
    return done


@dataclass
class Cluster:
    data: Path
    port: int

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def start(self) -> None:
        as_server_user(
            [str(BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.data / "log"), "-w", "start"]
        )

    def stop(self) -> None:
        as_server_user([str(BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"])

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def sql(self, statement: str, db: str = "postgres") -> str:
        done = subprocess.run(  # noqa: S603
            [
                str(BIN / "psql"),
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "postgres",
                "-d",
                db,
                "-XAtq",
                "-v",
                "ON_ERROR_STOP=1",
                "-c",
                statement,
            ],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        return done.stdout.strip()


def _workdir() -> Path:
    path = Path(tempfile.mkdtemp(prefix="gr-replica-"))
    if os.geteuid() == 0:
        pg = pwd.getpwnam("postgres")
        os.chown(path, pg.pw_uid, pg.pw_gid)
    return path


def make_primary() -> Cluster:
    """initdb and start a primary that streams WAL (``wal_level=replica``)."""
    root = _workdir()
    cluster = Cluster(root / "data", free_port())
    as_server_user(
        [
            str(BIN / "initdb"),
            "-D",
            str(cluster.data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        ]
    )
    conf = (
        f"\nport = {cluster.port}\nlisten_addresses = '127.0.0.1'\n"
        f"unix_socket_directories = '{root}'\nwal_level = replica\nmax_wal_senders = 4\n"
        "hot_standby = on\nfsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
        "shared_buffers = 32MB\nmax_connections = 40\nwal_sender_timeout = 10s\n"
    )
    as_server_user(["sh", "-c", f"cat >> '{cluster.data}/postgresql.conf'"], input=conf)
    cluster.start()
    return cluster


def make_standby(primary: Cluster) -> Cluster:
    """pg_basebackup -R from `primary` into a new directory; start it as a hot standby."""
    root = _workdir()
    cluster = Cluster(root / "data", free_port())
    as_server_user(
        [
            str(BIN / "pg_basebackup"),
            "-h",
            "127.0.0.1",
            "-p",
            str(primary.port),
            "-U",
            "postgres",
            "-D",
            str(cluster.data),
            "-R",
            "-X",
            "stream",
            "--checkpoint=fast",
            "--no-sync",
        ]
    )
    conf = f"\nport = {cluster.port}\nunix_socket_directories = '{root}'\n"
    as_server_user(["sh", "-c", f"cat >> '{cluster.data}/postgresql.conf'"], input=conf)
    (cluster.data / "postmaster.pid").unlink(missing_ok=True)
    cluster.start()
    return cluster


def destroy(cluster: Cluster | None) -> None:
    """Stop the cluster if it runs and delete its directory (never raises)."""
    if cluster is None:
        return
    try:
        if cluster.running():
            cluster.stop()
    except Exception:  # cleanup goes on: an immediate stop, then nothing more to try
        with contextlib.suppress(Exception):
            as_server_user(
                [str(BIN / "pg_ctl"), "-D", str(cluster.data), "-m", "immediate", "stop"]
            )
    shutil.rmtree(cluster.data.parent, ignore_errors=True)
