"""Backups that restore (SECURITY.md 22): one encrypted archive of the database, the media files
(on disk, and the objects of the object store when uploads are kept in one) and a manifest;
restored only into an empty database (and an empty bucket), only whole.

- **Consistent**: SQLite through its online backup API; PostgreSQL by `pg_dump -Fc` on a
  snapshot exported from the transaction that also counts the rows and reads the audit head, so
  the manifest describes exactly the dump beside it.
- **Encrypted** with a key derived from the field key (`backup_crypt`); the field key, the
  secret key and the audit key are never in the archive.
- **Restored whole or not at all**: the archive is decrypted and checked to its last chunk into a
  private staging folder before anything is written; the target database must be empty; then
  the rows of every table and the audit head must equal the manifest, or the restore fails.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.db import connection
from django.utils import timezone

from grassroots.core.audit_checkpoints import checkpoint_path
from grassroots.core.backup_crypt import ArchiveError, DecryptingReader, EncryptingWriter
from grassroots.core.models import AuditEvent

FORMAT = 1
SUFFIX = ".grbak"
MANIFEST = "manifest.json"
DB_MEMBER = {"sqlite": "database/db.sqlite3", "postgresql": "database/db.dump"}
# A copy of the audit checkpoints (the chain's anchors outside the database), taken after the
# dump: every checkpoint it holds is of rows the dump has, or of rows written since.
ANCHORS = "anchors/audit-checkpoints.jsonl"


class BackupError(Exception):
    """A backup or restore that cannot proceed; the message says why (never a row's content)."""


@dataclass
class Manifest:
    """What an archive holds: counted from the same snapshot as the dump."""

    engine: str
    created_at: str
    tables: dict[str, int]
    audit_head: dict[str, Any]
    media: dict[str, str] = field(default_factory=dict)
    # uploads kept in an object store (GRASSROOTS_MEDIA_S3_BUCKET), by name: archived as
    # "store/<name>" and restored through the storage
    store: dict[str, str] = field(default_factory=dict)
    format: int = FORMAT

    @property
    def rows(self) -> int:
        return sum(self.tables.values())


def engine() -> str:
    """'sqlite' or 'postgresql': the configured database's kind."""
    return "postgresql" if connection.vendor == "postgresql" else "sqlite"


@contextlib.contextmanager
def _private_dir() -> Iterator[Path]:
    """A staging folder only this user can read, under VAR_DIR (plain dumps never leave it)."""
    base = Path(settings.VAR_DIR)
    base.mkdir(parents=True, exist_ok=True)
    path = Path(tempfile.mkdtemp(prefix=".backup-", dir=base))
    os.chmod(path, 0o700)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def _pg_env() -> tuple[list[str], dict[str, str]]:
    """Connection options for pg_dump/pg_restore from the Django settings (password by env)."""
    db = settings.DATABASES["default"]
    args = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _run(cmd: list[str], env: dict[str, str]) -> None:
    # our own fixed programs (pg_dump, pg_restore) with arguments from the settings
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        raise BackupError(f"{cmd[0]} failed (exit {done.returncode}): {' / '.join(tail)}")


def _audit_head(cursor: Any, quote: Any = None) -> dict[str, Any]:
    table = (quote or connection.ops.quote_name)(AuditEvent._meta.db_table)
    cursor.execute(f"SELECT id, hash FROM {table} ORDER BY id DESC LIMIT 1")  # noqa: S608
    row = cursor.fetchone()
    return {"id": row[0], "hash": row[1]} if row else {"id": None, "hash": ""}


def _counts(cursor: Any, tables: list[str], quote: Any) -> dict[str, int]:
    out = {}
    for name in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(name)}")  # noqa: S608
        out[name] = int(cursor.fetchone()[0])
    return out


def _dump_sqlite(target: Path) -> tuple[dict[str, int], dict[str, Any]]:
    source = sqlite3.connect(settings.DATABASES["default"]["NAME"])
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        source.close()
    try:
        cursor = copy.cursor()
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
        )
        names = [r[0] for r in cursor.fetchall()]
        quote = lambda n: '"' + n.replace('"', '""') + '"'  # noqa: E731
        tables = _counts(cursor, names, quote)
        head = _audit_head(cursor, quote)
    finally:
        copy.close()
    os.chmod(target, 0o600)
    return tables, head


def _dump_postgresql(target: Path) -> tuple[dict[str, int], dict[str, Any]]:
    """On a connection of its own (whatever transaction the caller is in), in a read-only
    repeatable-read transaction whose snapshot pg_dump shares."""
    import psycopg

    db = settings.DATABASES["default"]
    args, env = _pg_env()
    params = {"dbname": db["NAME"], "host": db.get("HOST") or None, "port": db.get("PORT") or None,
              "user": db.get("USER") or None, "password": db.get("PASSWORD") or None}  # fmt: skip
    quote = connection.ops.quote_name
    with psycopg.connect(**{k: v for k, v in params.items() if v}) as conn:
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        with conn.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]  # type: ignore[index]
            cursor.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = ANY(current_schemas(false))"
            )
            names = [r[0] for r in cursor.fetchall()]
            tables = _counts(cursor, names, quote)
            head = _audit_head(cursor, quote)
            _run(["pg_dump", "-Fc", "--no-owner", "--no-privileges", "--snapshot", snapshot,
                  "--file", str(target), *args], env)  # fmt: skip
    return tables, head


def _media_files() -> Iterator[tuple[str, Path]]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path.relative_to(root).as_posix(), path


def _object_store() -> Storage | None:
    """The uploads' storage when it is not the filesystem under MEDIA_ROOT (an S3 bucket)."""
    storage = storages["default"]
    return None if isinstance(storage, FileSystemStorage) else storage


def _stored_objects(staging: Path) -> list[tuple[str, Path]]:
    """Every object of the object store (if one is configured), copied into `staging`."""
    storage = _object_store()
    if storage is None:
        return []
    copied: list[tuple[str, Path]] = []
    folders = [""]
    while folders:
        folder = folders.pop()
        subfolders, files = storage.listdir(folder)
        folders += [f"{folder}{d}/" for d in subfolders]
        for file in files:
            name = f"{folder}{file}"
            target = staging.joinpath("store", *PurePosixPath(name).parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            with storage.open(name, "rb") as source, target.open("wb") as out:
                shutil.copyfileobj(source, out)
            copied.append((name, target))
    return sorted(copied)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o600
    tar.addfile(info, fileobj=_BytesReader(data))


class _BytesReader:
    def __init__(self, data: bytes) -> None:
        self._data = memoryview(data)

    def read(self, n: int = -1) -> bytes:
        n = len(self._data) if n < 0 else n
        out, self._data = self._data[:n], self._data[n:]
        return bytes(out)


def backup(out_dir: Path, *, now: datetime.datetime | None = None) -> tuple[Path, Manifest]:
    """Write one archive into `out_dir` (created 0700; the file 0600, written under a temporary
    name and renamed when complete, so a listed archive is always a whole one)."""
    kind = engine()
    now = timezone.localtime(now or timezone.now())
    out_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(out_dir, 0o700)
    with _private_dir() as staging:
        dump = staging / "db"
        tables, head = (_dump_postgresql if kind == "postgresql" else _dump_sqlite)(dump)
        media = list(_media_files())
        stored = _stored_objects(staging)
        manifest = Manifest(
            engine=kind,
            created_at=now.isoformat(),
            tables=tables,
            audit_head=head,
            media={name: _sha256(path) for name, path in media},
            store={name: _sha256(path) for name, path in stored},
        )
        final = out_dir / f"grassroots-{kind}-{now:%Y%m%dT%H%M%S}{SUFFIX}"
        partial = final.with_name(final.name + ".part")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "wb") as sink:
                writer = EncryptingWriter(sink)
                with tarfile.open(fileobj=writer, mode="w|") as tar:
                    _add_bytes(tar, MANIFEST, json.dumps(manifest.__dict__).encode())
                    tar.add(dump, arcname=DB_MEMBER[kind])
                    if checkpoint_path().is_file():
                        tar.add(checkpoint_path(), arcname=ANCHORS)
                    for name, path in media:
                        tar.add(path, arcname=f"media/{name}")
                    for name, path in stored:
                        tar.add(path, arcname=f"store/{name}")
                writer.close()
            os.replace(partial, final)
        finally:
            partial.unlink(missing_ok=True)
    return final, manifest


def prune(out_dir: Path, *, keep: int) -> list[Path]:
    """Remove all but the `keep` newest archives of `out_dir`; returns the removed ones."""
    archives = sorted(out_dir.glob(f"grassroots-*{SUFFIX}"), key=lambda p: p.name, reverse=True)
    removed = archives[max(keep, 1) :]
    for path in removed:
        path.unlink()
    return removed


def _safe_member(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise BackupError(f"the archive holds an unsafe path: {name!r}")
    return path


def _stage(archive: Path, staging: Path) -> Manifest:
    """Decrypt and unpack the whole archive into `staging`; the manifest it holds."""
    manifest: Manifest | None = None
    try:
        with archive.open("rb") as source:
            reader = DecryptingReader(source)
            with tarfile.open(fileobj=reader, mode="r|") as tar:
                for member in tar:
                    path = _safe_member(member.name)
                    if not member.isfile():
                        raise BackupError(f"the archive holds a non-file member: {member.name!r}")
                    data = tar.extractfile(member)
                    if data is None:
                        raise BackupError(f"the archive member cannot be read: {member.name!r}")
                    if member.name == MANIFEST:
                        manifest = Manifest(**json.loads(data.read()))
                        continue
                    target = staging.joinpath(*path.parts)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    with target.open("wb") as out:
                        shutil.copyfileobj(data, out)
            reader.read()  # to the last chunk: a cut archive fails here, before anything applies
    except (tarfile.TarError, ValueError, TypeError) as exc:
        raise BackupError(f"the archive cannot be read: {type(exc).__name__}") from None
    except ArchiveError as exc:
        raise BackupError(str(exc)) from None
    if manifest is None or manifest.format != FORMAT:
        raise BackupError("the archive has no manifest of a known format")
    return manifest


def _check_store(manifest: Manifest, staged: Path) -> Storage:
    """The storage the archive's stored objects go back into, after checking them: it must be
    an object store (or the filesystem, when the archive has none), hold none of them yet, and
    each staged object must match its digest."""
    storage = _object_store() or storages["default"]
    if manifest.store and _object_store() is None:
        raise BackupError(
            f"the archive holds {len(manifest.store)} objects of an object store: configure "
            "GRASSROOTS_MEDIA_S3_BUCKET (an empty bucket) before restoring"
        )
    clash = [n for n in manifest.store if storage.exists(n)]
    if clash:
        raise BackupError(f"{len(clash)} objects already exist in the object store")
    for name, digest in manifest.store.items():
        if _sha256(staged.joinpath(*PurePosixPath(name).parts)) != digest:
            raise BackupError("a stored object differs from the manifest")
    return storage


def _check_empty() -> None:
    if connection.introspection.table_names():
        raise BackupError(
            "the database is not empty: restore only into a new, empty database "
            "(create it, then run restore before migrate)"
        )


def _apply_database(kind: str, dump: Path) -> None:
    if kind == "postgresql":
        args, env = _pg_env()
        _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", *args,
              str(dump)], env)  # fmt: skip
        return
    name = Path(settings.DATABASES["default"]["NAME"])
    connection.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{name}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(dump, name)
    os.chmod(name, 0o600)


def _live_counts(names: list[str]) -> tuple[dict[str, int], dict[str, Any]]:
    with connection.cursor() as cursor:
        return _counts(cursor, names, connection.ops.quote_name), _audit_head(cursor)


def restore(archive: Path) -> Manifest:
    """Restore `archive` into the configured, empty database, MEDIA_ROOT and object store (if
    the archive holds objects); raises BackupError (and writes nothing) for a foreign, altered
    or cut archive, another engine's archive, a non-empty database, or media files or objects
    already present. After writing, the rows of
    every table and the audit head must equal the manifest."""
    kind = engine()
    _check_empty()
    media_root = Path(settings.MEDIA_ROOT)
    with _private_dir() as staging:
        manifest = _stage(archive, staging)
        if manifest.engine != kind:
            raise BackupError(f"a {manifest.engine} archive cannot be restored into {kind}")
        staged_media = staging / "media"
        clash = [n for n in manifest.media if (media_root / n).exists()]
        if clash:
            raise BackupError(f"{len(clash)} media files already exist under {media_root}")
        for name, digest in manifest.media.items():
            if _sha256(staged_media / name) != digest:
                raise BackupError("a media file differs from the manifest")
        store = _check_store(manifest, staging / "store")
        _apply_database(kind, staging.joinpath(*PurePosixPath(DB_MEMBER[kind]).parts))
        for name in manifest.media:
            target = media_root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(staged_media / name, target)
        for name in manifest.store:
            with (staging / "store").joinpath(*PurePosixPath(name).parts).open("rb") as fh:
                if store.save(name, File(fh)) != name:
                    raise BackupError(f"the object store kept {name!r} under another name")
        anchors = staging.joinpath(*PurePosixPath(ANCHORS).parts)
        if anchors.is_file() and not checkpoint_path().exists():
            checkpoint_path().parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(anchors, checkpoint_path())
            os.chmod(checkpoint_path(), 0o600)
    tables, head = _live_counts(list(manifest.tables))
    if tables != manifest.tables or head != manifest.audit_head:
        wrong = sorted(t for t in manifest.tables if tables.get(t) != manifest.tables[t])
        raise BackupError(f"restored rows differ from the manifest: {', '.join(wrong) or 'audit'}")
    return manifest
