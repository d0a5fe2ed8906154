"""Checking the audit chain with the key and against the checkpoints outside the database.

`chain_verify` reads every kept row in sequence order and fails at the first of:

- a sequence number missing or repeated (a deleted or inserted row);
- a `prev_hash` that is not the previous row's hash;
- a hash that does not hold: version 2 rows under the audit key's HMAC, version 1 rows (written
  before the chain was keyed) under SHA-256, and no version 1 row after a version 2 one;
- a row whose hash differs from a checkpoint of its sequence number (a chain recomputed by
  someone holding the key, or an old one recomputed without it): the first bad sequence named is
  the one after the last checkpoint that still matched;
- a checkpoint beyond the last row (a truncated or rewritten tail: named from the row after the
  last checkpoint that matched), or a head that names more rows than there are;
- a kept chain whose start (after retention pruned older rows) is not a signed prune record;
- a checkpoint line that is malformed or whose HMAC does not verify.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from grassroots.core.audit import CHAIN_VERSION, GENESIS, event_hash
from grassroots.core.audit_checkpoints import PRUNE, Checkpoint, CheckpointFileError
from grassroots.core.audit_checkpoints import checkpoints_read as _read
from grassroots.core.models import AuditEvent, AuditHead


@dataclass(frozen=True)
class ChainReport:
    """The result of a check: rows and checkpoints read, and the first bad sequence, if any.

    The check failed when `reason` is set; `broken_at` is then the first sequence number that
    cannot be trusted (None when the fault is in the checkpoint file itself).
    """

    checked: int
    broken_at: int | None
    reason: str = ""
    checkpoints: int = 0
    keyed: bool = True

    @property
    def ok(self) -> bool:
        return not self.reason


class _Broken(Exception):
    def __init__(self, seq: int | None, reason: str) -> None:
        super().__init__(reason)
        self.seq = seq
        self.reason = reason


def _anchor(marks: list[Checkpoint]) -> tuple[int, str, AuditHead | None]:
    head = AuditHead.objects.filter(pk=1).first()
    if head is None or head.anchor_seq == 0:
        return 0, GENESIS, head
    if not any(
        m.kind == PRUNE and m.seq == head.anchor_seq and m.hash == head.anchor_hash for m in marks
    ):
        raise _Broken(head.anchor_seq + 1, "the kept chain does not start at a signed prune record")
    return head.anchor_seq, head.anchor_hash, head


def chain_verify() -> ChainReport:
    """Check the chain and every checkpoint; see the module's docstring for what fails."""
    checked = 0
    marks: list[Checkpoint] = []
    keyed = False
    try:
        marks = _read()
        seq, prev, head = _anchor(marks)
        by_seq: dict[int, list[Checkpoint]] = defaultdict(list)
        for mark in marks:
            if mark.seq > seq:
                by_seq[mark.seq].append(mark)
        vouched = seq
        for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=2000):
            seq += 1
            if event.seq != seq:
                raise _Broken(seq, "row missing" if event.seq > seq else "sequence out of order")
            if event.prev_hash != prev:
                raise _Broken(seq, "prev_hash does not match the previous row")
            if event.version == 1 and keyed:
                raise _Broken(seq, "an unkeyed row after the chain was keyed")
            if event.version not in (1, CHAIN_VERSION):
                raise _Broken(seq, f"unknown chain version {event.version}")
            keyed = keyed or event.version == CHAIN_VERSION
            # JSON read back from the database must hash the same as when written.
            if event_hash(event) != event.hash:
                raise _Broken(seq, "content does not match its hash")
            for mark in by_seq.get(seq, []):
                if mark.hash != event.hash:
                    raise _Broken(
                        vouched + 1,
                        f"rows {vouched + 1}–{seq} differ from the checkpoint of row {seq} "
                        f"(checkpoint file line {mark.line})",
                    )
            if seq in by_seq:
                vouched = seq
            prev = event.hash
            checked += 1
        beyond = [m for m in marks if m.seq > seq]
        if beyond:
            mark = beyond[0]
            raise _Broken(
                vouched + 1,
                f"rows after {vouched} are not those checkpointed: the checkpoint file (line "
                f"{mark.line}) names row {mark.seq}, the chain ends at {seq} (a truncated or "
                "rewritten tail)",
            )
        if head is None:
            head = AuditHead.objects.filter(pk=1).first()
        if head is not None and (head.seq != seq or head.last_hash != prev):
            raise _Broken(seq + 1, "rows after the last one were deleted")
    except CheckpointFileError as exc:
        return ChainReport(checked, None, str(exc), len(marks), keyed)
    except _Broken as exc:
        return ChainReport(checked, exc.seq, exc.reason, len(marks), keyed)
    return ChainReport(checked, None, "", len(marks), keyed or checked == 0)
