"""Checkpoints of the audit chain, kept outside the database (SECURITY.md 18).

A checkpoint is one JSON line appended to ``settings.AUDIT_CHECKPOINT_FILE`` (default
``var/audit-checkpoints.jsonl``; opened append-only, created mode 600; make it append-only on
disk with ``chattr +a``) and, when ``settings.AUDIT_SYSLOG`` names a syslog address, sent there
too. Each line holds the chain's sequence number and head hash at that moment and an HMAC under
the audit key's checkpoint sub-key, so it cannot be forged or edited without the key::

    {"at": "2026-12-04T09:30:00+08:00", "hash": "…", "kind": "checkpoint", "mac": "…", "seq": 41}

A line of kind ``prune`` records that retention deleted every row up to `seq`; the database's
anchor (`AuditHead.anchor_seq`) must be one of them. `core.audit_verify` checks the database
against every line; lines are never rewritten or removed by the application.
"""

from __future__ import annotations

import json
import logging
import logging.handlers
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from grassroots.core.audit import locked_head
from grassroots.core.audit_key import checkpoint_mac

CHECKPOINT = "checkpoint"
PRUNE = "prune"
_KINDS = (CHECKPOINT, PRUNE)


@dataclass(frozen=True)
class Checkpoint:
    """One signed line of the checkpoint file: the chain's `seq` and `hash` at `at`."""

    kind: str
    seq: int
    hash: str
    at: str
    line: int = 0


class CheckpointFileError(Exception):
    """A line of the checkpoint file that is malformed or whose HMAC does not verify."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(f"checkpoint file line {line}: {reason}")
        self.line = line
        self.reason = reason


def checkpoint_path() -> Path:
    """Where the checkpoints are appended."""
    return Path(settings.AUDIT_CHECKPOINT_FILE)


def _body(kind: str, seq: int, hash_: str, at: str) -> bytes:
    fields = {"at": at, "hash": hash_, "kind": kind, "seq": seq}
    return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()


def _line(mark: Checkpoint) -> str:
    fields: dict[str, Any] = {"at": mark.at, "hash": mark.hash, "kind": mark.kind, "seq": mark.seq}
    fields["mac"] = checkpoint_mac(_body(mark.kind, mark.seq, mark.hash, mark.at))
    return json.dumps(fields, sort_keys=True, separators=(",", ":"))


def _syslog(line: str) -> None:
    address = settings.AUDIT_SYSLOG
    if not address:
        return
    target: str | tuple[str, int] = address
    if not address.startswith("/"):
        host, _sep, port = address.rpartition(":")
        target = (host or "localhost", int(port))
    handler = logging.handlers.SysLogHandler(address=target)
    try:
        record = logging.LogRecord(
            "grassroots.audit", logging.INFO, __file__, 0, "grassroots-audit %s", (line,), None
        )
        handler.emit(record)
    finally:
        handler.close()


def _append(mark: Checkpoint) -> None:
    """Append `mark` (mode 600 on creation, synced to disk), then send it to syslog if set."""
    path = checkpoint_path()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    line = _line(mark)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, (line + "\n").encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    _syslog(line)


def _parse(number: int, text: str) -> Checkpoint:
    try:
        data = json.loads(text)
        mark = Checkpoint(
            kind=str(data["kind"]),
            seq=int(data["seq"]),
            hash=str(data["hash"]),
            at=str(data["at"]),
            line=number,
        )
        mac = str(data["mac"])
    except (ValueError, KeyError, TypeError):
        raise CheckpointFileError(number, "not a checkpoint line") from None
    if mark.kind not in _KINDS or mark.seq < 1:
        raise CheckpointFileError(number, "not a checkpoint line")
    if checkpoint_mac(_body(mark.kind, mark.seq, mark.hash, mark.at)) != mac:
        raise CheckpointFileError(number, "its HMAC does not verify (forged or edited)")
    return mark


def checkpoints_read() -> list[Checkpoint]:
    """Every line of the checkpoint file, verified; [] when there is no file yet.

    Raises CheckpointFileError at the first line that is malformed or does not verify.
    """
    path = checkpoint_path()
    if not path.exists():
        return []
    marks = []
    with path.open(encoding="utf-8") as fh:
        for number, text in enumerate(fh, start=1):
            if text.strip():
                marks.append(_parse(number, text))
    return marks


def checkpoint_write() -> Checkpoint | None:
    """Append a checkpoint of the current head, unless the last line already names it.

    Keys the chain first if it was not yet (see `core.audit.locked_head`). The line is written
    after the head's transaction commits, so it never names a row that was rolled back.
    """
    with transaction.atomic():
        head = locked_head()
        seq, hash_ = head.seq, head.last_hash
    if seq == 0:
        return None
    marks = checkpoints_read()
    if marks and marks[-1].seq == seq and marks[-1].hash == hash_:
        return None
    mark = Checkpoint(CHECKPOINT, seq, hash_, timezone.localtime().isoformat())
    _append(mark)
    return mark


def prune_mark_write(mark: Checkpoint) -> Checkpoint:
    """Append the record that rows up to `mark.seq` are being deleted; `mark` becomes the anchor."""
    pruned = Checkpoint(PRUNE, mark.seq, mark.hash, timezone.localtime().isoformat())
    _append(pruned)
    return pruned
