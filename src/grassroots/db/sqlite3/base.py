"""Django's SQLite backend, with the database file and its WAL and shared-memory files private.

SQLite creates a database with the process's umask (0644 under the usual 022: anyone on the
machine could read the registry) and gives the ``-wal`` and ``-shm`` files it makes later the
mode of the database file. So before each new connection the database file is created with
mode 600 if it does not exist, and the database, WAL and SHM files that exist are set to 600
(issue 15, defect 9). A connection lives for CONN_MAX_AGE, so this runs once per worker and
connection, not per query. ``:memory:`` databases and ``file:`` URIs are left alone.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.db.backends.sqlite3 import base

PRIVATE = 0o600


def make_private(name: str) -> None:
    """Create the database file `name` with mode 600 if missing; set it and its WAL and SHM
    files, where they exist, to 600."""
    if not name or name == ":memory:" or name.startswith("file:"):
        return
    path = Path(name)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, PRIVATE))
    except FileNotFoundError:
        return  # no such directory: let SQLite say so
    for part in (path, Path(f"{name}-wal"), Path(f"{name}-shm")):
        try:
            if part.stat().st_mode & 0o777 != PRIVATE:
                part.chmod(PRIVATE)
        except FileNotFoundError:
            continue


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:
        make_private(str(conn_params.get("database", "")))
        return super().get_new_connection(conn_params)
