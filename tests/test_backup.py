"""Backups that restore (SECURITY.md 22, issue 15): `grassroots backup` → `grassroots restore` into
an empty database, on the suite's engine (SQLite in one CI run, PostgreSQL in the other), through
the real commands in their own processes; and every way an archive can be wrong refused with
nothing written."""

from __future__ import annotations

import base64
import io
import os
import tarfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from grassroots.core import backup_crypt, crypto
from grassroots.core.backup_crypt import ArchiveError, DecryptingReader, EncryptingWriter
from tests.sites import KEY, Site, site_factory

OTHER_KEY = base64.urlsafe_b64encode(b"o" * 32).decode()


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> Iterator[Callable[[str], Site]]:
    yield from site_factory(tmp_path_factory)


@pytest.fixture(scope="module")
def source(sites) -> tuple[Site, Path]:
    """A site with the personas' world, a case, a reveal and a media file, refreshed, backed up."""
    site = sites("source").seeded()
    site.grassroots("refresh-figures")
    site.grassroots("audit-checkpoint")
    out = site.grassroots("backup", "--out-dir", str(site.var / "archives"))
    assert "backup written" in out.stdout
    (archive,) = (site.var / "archives").glob("grassroots-*.grbak")
    return site, archive


def _tables(site: Site) -> str:
    code = "from django.db import connection; print(len(connection.introspection.table_names()))"
    return site.python(code).strip()


def test_a_backup_restores_into_an_empty_database_that_passes_every_check(source, sites):
    site, archive = source
    # given the archive is private and holds no key
    assert oct(archive.stat().st_mode & 0o777) == "0o600"
    assert KEY.encode() not in archive.read_bytes()
    # when it is restored into a new, empty installation
    target = sites("target")
    done = target.grassroots("restore", str(archive))
    # then every table's rows and the audit head equal the manifest, and the checks pass
    assert "restored" in done.stdout, done.stdout
    assert (target.var / "audit-checkpoints.jsonl").read_bytes() == (
        site.var / "audit-checkpoints.jsonl"
    ).read_bytes()  # the chain's anchors came along
    assert "audit chain intact" in target.grassroots("audit-verify").stdout
    target.grassroots("verify-figures")
    photo = Path("media/backup-test/photo.jpg")
    assert (target.var / photo).read_bytes() == (site.var / photo).read_bytes()
    # and the restored site is the same site: the same accounts sign in, the same case is there
    code = (
        "from grassroots.cases.models import Case; from grassroots.people.models import Resident; "
        "print(Case.objects.count(), Resident.objects.count())"
    )
    assert target.python(code).split() == ["1", "5"]
    # and the archive holds no key: neither the field key nor the secret key
    plain = _decrypted(archive)
    assert KEY.encode() not in plain
    assert (site.var / "secret_key").read_bytes().strip() not in plain


def _decrypted(archive: Path) -> bytes:
    os.environ["GRASSROOTS_FIELD_KEY"] = KEY
    crypto.reset_keys()
    try:
        with archive.open("rb") as fh:
            return DecryptingReader(fh).read()
    finally:
        del os.environ["GRASSROOTS_FIELD_KEY"]
        crypto.reset_keys()


def test_restore_refuses_a_database_that_is_not_empty(source):
    site, archive = source
    done = site.grassroots("restore", str(archive), check=False)
    assert done.returncode != 0
    assert "not empty" in done.stderr


@pytest.mark.parametrize("damage", ["flipped", "cut", "foreign key", "not an archive"])
def test_a_damaged_archive_is_refused_and_nothing_is_written(source, sites, damage, tmp_path):
    _site, archive = source
    data = archive.read_bytes()
    key = KEY
    bad = tmp_path / "bad.grbak"
    if damage == "flipped":
        middle = len(data) // 2
        data = data[:middle] + bytes([data[middle] ^ 1]) + data[middle + 1 :]
    elif damage == "cut":
        data = data[: len(data) - 100]
    elif damage == "foreign key":
        key = OTHER_KEY
    else:
        data = b"PK\x03\x04" + data[4:]
    bad.write_bytes(data)
    target = sites("damaged")
    done = target.grassroots("restore", str(bad), key=key, check=False)
    assert done.returncode != 0
    assert "restore refused" in done.stderr
    assert _tables(target) == "0"
    assert not (target.var / "media" / "backup-test").exists()


# The stream format on its own, in process (no database).


@pytest.fixture
def field_key(monkeypatch):
    monkeypatch.setenv("GRASSROOTS_FIELD_KEY", KEY)
    crypto.reset_keys()
    yield
    crypto.reset_keys()


def _sealed(payload: bytes) -> bytes:
    sink = io.BytesIO()
    writer = EncryptingWriter(sink)
    writer.write(payload)
    writer.close()
    return sink.getvalue()


def test_the_stream_round_trips_across_chunks(field_key):
    payload = os.urandom(backup_crypt.CHUNK * 2 + 123)
    assert DecryptingReader(io.BytesIO(_sealed(payload))).read() == payload


def test_dropping_the_last_chunk_or_adding_bytes_is_caught(field_key):
    payload = os.urandom(backup_crypt.CHUNK + 10)
    sealed = _sealed(payload)
    first = len(backup_crypt.MAGIC) + 8 + 4 + backup_crypt.CHUNK + 16
    with pytest.raises(ArchiveError, match="cut short"):
        DecryptingReader(io.BytesIO(sealed[:first])).read()
    with pytest.raises(ArchiveError, match="after its end"):
        DecryptingReader(io.BytesIO(sealed + b"x")).read()


def test_an_archive_tarball_never_escapes_its_folder(field_key, tmp_path, settings):
    from grassroots.core.backup import BackupError, _stage

    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w") as tar:
        info = tarfile.TarInfo("../escape.txt")
        info.size = 1
        tar.addfile(info, io.BytesIO(b"x"))
    archive = tmp_path / "evil.grbak"
    archive.write_bytes(_sealed(raw.getvalue()))
    with pytest.raises(BackupError, match="unsafe path"):
        _stage(archive, tmp_path / "staging")
    assert not (tmp_path / "escape.txt").exists()
