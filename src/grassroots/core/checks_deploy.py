"""grassroots' own deployment checks, run by ``grassroots check --deploy`` (SECURITY.md 15, 18, 24).

Each is a Django system check tagged ``deploy`` (so a plain ``check`` skips them) and fails as an
error, so a deployment with any of these faults does not pass:

- ``grassroots.E101``: a key file (field key or audit key) inside or beside the database's
  directory, where a copy of the database directory or a backup of it would take the key along;
- ``grassroots.E102``: a key file that group or others may read;
- ``grassroots.E103``: state others may read: the SQLite database and its WAL, the var
  directory, the media directory, the secret key, the checkpoint file;
- ``grassroots.E104``: ``DEBUG`` on;
- ``grassroots.E105``: audit retention shorter than six months;
- ``grassroots.E106``: no audit key configured in production;
- ``grassroots.E107``: ``GRASSROOTS_METRICS_ALLOW`` names something that is not an address or
  a network (``/metrics`` would fail).

and these as warnings (``check --deploy --fail-level WARNING`` refuses them too):

- ``grassroots.W108``: in production, ``/metrics`` open to an address allow-list without a
  token (behind a proxy on the same machine every visitor has the proxy's address);
- ``grassroots.W109``: a metrics token shorter than 32 characters.

The database's directory is the SQLite file's directory, or ``PGDATA`` for a local PostgreSQL.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from grassroots.core import audit_key, crypto
from grassroots.core.audit_retention import MIN_RETENTION_DAYS
from grassroots.core.observability.access import parse_networks

_OTHERS = 0o007
METRICS_TOKEN_MIN = 32
_GROUP_OR_OTHERS = 0o077


def database_dirs() -> list[Path]:
    """The directories that hold the database's files, as far as this process can tell."""
    dirs = []
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3") and str(db["NAME"]) != ":memory:":
        dirs.append(Path(db["NAME"]).resolve().parent)
    if os.environ.get("PGDATA"):
        dirs.append(Path(os.environ["PGDATA"]).resolve())
    return dirs


def _key_files() -> list[tuple[str, Path]]:
    named = [("field key", crypto.key_file()), ("audit key", audit_key.key_file())]
    return [(label, path.resolve()) for label, path in named if path is not None]


def _mode(path: Path) -> int | None:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        return None


@checks.register(checks.Tags.security, deploy=True)
def check_key_files(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """E101 (beside or inside the database's directory) and E102 (readable by others)."""
    errors: list[checks.CheckMessage] = []
    db_dirs = database_dirs()
    for label, path in _key_files():
        for db_dir in db_dirs:
            if path.parent == db_dir or db_dir in path.parents:
                errors.append(
                    checks.Error(
                        f"The {label} file {path} is inside the database's directory {db_dir}.",
                        hint="Keep keys apart from the database and its backups, e.g. in "
                        "/etc/grassroots/ (mode 600); see docs/operations.md.",
                        id="grassroots.E101",
                    )
                )
        mode = _mode(path)
        if mode is not None and mode & _GROUP_OR_OTHERS:
            errors.append(
                checks.Error(
                    f"The {label} file {path} has mode {mode:o}: others may read it.",
                    hint=f"chmod 600 {path}",
                    id="grassroots.E102",
                )
            )
    return errors


def _state_paths() -> Iterable[Path]:
    var_dir = Path(settings.VAR_DIR)
    yield var_dir
    yield Path(settings.MEDIA_ROOT)
    yield var_dir / "secret_key"
    yield Path(settings.AUDIT_CHECKPOINT_FILE)
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3") and str(db["NAME"]) != ":memory:":
        name = Path(db["NAME"])
        yield from (name, name.with_name(name.name + "-wal"), name.with_name(name.name + "-shm"))


@checks.register(checks.Tags.security, deploy=True)
def check_state_files(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """E103: the database files, var/, media/, the secret key or the checkpoints open to others."""
    errors: list[checks.CheckMessage] = []
    for path in dict.fromkeys(p.resolve() for p in _state_paths()):
        mode = _mode(path)
        if mode is not None and mode & _OTHERS:
            errors.append(
                checks.Error(
                    f"{path} has mode {mode:o}: others may read it.",
                    hint=f"chmod {'700' if path.is_dir() else '600'} {path}",
                    id="grassroots.E103",
                )
            )
    return errors


@checks.register(checks.Tags.security, deploy=True)
def check_debug(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """E104: DEBUG shows settings and code to anyone who causes an error."""
    if settings.DEBUG:
        return [
            checks.Error(
                "DEBUG is on (GRASSROOTS_DEBUG).",
                hint="Unset GRASSROOTS_DEBUG in production.",
                id="grassroots.E104",
            )
        ]
    return []


@checks.register(checks.Tags.security, deploy=True)
def check_audit(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """E105 (retention under six months) and E106 (no audit key in production)."""
    errors: list[checks.CheckMessage] = []
    if int(settings.AUDIT_RETENTION_DAYS) < MIN_RETENTION_DAYS:
        errors.append(
            checks.Error(
                f"GRASSROOTS_AUDIT_RETENTION_DAYS is {settings.AUDIT_RETENTION_DAYS}.",
                hint=f"MLPS level 3 asks for at least {MIN_RETENTION_DAYS} days.",
                id="grassroots.E105",
            )
        )
    if getattr(settings, "PRODUCTION", False) and not (
        os.environ.get(audit_key.ENV_VAR, "").strip() or audit_key.key_file()
    ):
        errors.append(
            checks.Error(
                f"No audit key: set {audit_key.ENV_VAR} or {audit_key.FILE_ENV_VAR}.",
                id="grassroots.E106",
            )
        )
    return errors


@checks.register(checks.Tags.security, deploy=True)
def check_metrics(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """E107 (a bad allow-list entry), W108 (allow-list without a token in production) and
    W109 (a short token)."""
    out: list[checks.CheckMessage] = []
    try:
        networks = parse_networks(settings.METRICS_ALLOW)
    except ImproperlyConfigured as exc:
        return [checks.Error(str(exc), id="grassroots.E107")]
    token = settings.METRICS_TOKEN
    if networks and not token and getattr(settings, "PRODUCTION", False):
        everyone = [str(n) for n in networks if n.prefixlen == 0]
        out.append(
            checks.Warning(
                "/metrics is open to an address allow-list without a token"
                + (f" ({', '.join(everyone)} allows every address)." if everyone else "."),
                hint="Set GRASSROOTS_METRICS_TOKEN and give it to Prometheus "
                "(authorization: credentials_file); see docs/operations.md, Metrics.",
                id="grassroots.W108",
            )
        )
    if token and len(token) < METRICS_TOKEN_MIN:
        out.append(
            checks.Warning(
                f"GRASSROOTS_METRICS_TOKEN has {len(token)} characters.",
                hint=f"Use at least {METRICS_TOKEN_MIN} random characters, e.g. "
                "python3 -c 'import secrets;print(secrets.token_urlsafe(32))'.",
                id="grassroots.W109",
            )
        )
    return out
