"""Retention of the audit log: rows older than `AUDIT_RETENTION_DAYS` go, the chain stays whole.

Rows are deleted only up to a checkpoint (never past a row younger than the retention period),
and only when the whole chain verifies first, so no evidence of tampering is ever pruned away.
The checkpoint kept becomes the chain's anchor: a signed ``prune`` line in the checkpoint file
and `AuditHead.anchor_seq`/`anchor_hash` in the database, which `core.audit_verify` compares.
The prune itself is an audit row (``audit.prune``). Run daily by the ``audit-prune`` job.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from grassroots.core.audit import audit_record, locked_head
from grassroots.core.audit_checkpoints import CHECKPOINT, checkpoints_read, prune_mark_write
from grassroots.core.audit_verify import chain_verify
from grassroots.core.auditlog import CoreAuditAction
from grassroots.core.models import AuditEvent

# MLPS 2.0 level 3 (GB/T 22239-2019 8.1.4.3) and the Cybersecurity Law (art. 21) ask for at
# least six months of logs.
MIN_RETENTION_DAYS = 180


class AuditChainBroken(Exception):
    """Pruning refused: the chain does not verify (its report says where)."""


@dataclass(frozen=True)
class PruneResult:
    """What a prune deleted: every row up to `through_seq`, `rows` of them."""

    through_seq: int
    rows: int


def retention_days() -> int:
    """The configured retention; ImproperlyConfigured below the minimum."""
    days = int(settings.AUDIT_RETENTION_DAYS)
    if days < MIN_RETENTION_DAYS:
        raise ImproperlyConfigured(
            f"GRASSROOTS_AUDIT_RETENTION_DAYS must be at least {MIN_RETENTION_DAYS} (is {days})"
        )
    return days


def audit_prune(*, now: datetime.datetime | None = None) -> PruneResult | None:
    """Delete the rows older than the retention period, up to the latest checkpoint among them.

    None when nothing can go (no row old enough, or no checkpoint at or before the old rows).
    Raises AuditChainBroken, deleting nothing, when the chain does not verify.
    """
    cutoff = (now or timezone.now()) - datetime.timedelta(days=retention_days())
    report = chain_verify()
    if not report.ok:
        raise AuditChainBroken(f"at {report.broken_at}: {report.reason}")
    oldest_kept = AuditEvent.objects.filter(at__lt=cutoff).aggregate(m=Max("seq"))["m"]
    if not oldest_kept:
        return None
    with transaction.atomic():
        head = locked_head()
        marks = [
            m
            for m in checkpoints_read()
            if m.kind == CHECKPOINT and head.anchor_seq < m.seq <= oldest_kept
        ]
        if not marks:
            return None
        mark = max(marks, key=lambda m: m.seq)
        if not AuditEvent.objects.filter(seq=mark.seq, hash=mark.hash).exists():
            raise AuditChainBroken(f"at {mark.seq}: the row differs from its checkpoint")
        # Written first: should the deletion then fail, the line is just one more checkpoint.
        prune_mark_write(mark)
        rows, _ = AuditEvent.objects.filter(seq__lte=mark.seq).delete()
        head.anchor_seq, head.anchor_hash = mark.seq, mark.hash
        head.save(update_fields=["anchor_seq", "anchor_hash"])
        audit_record(
            actor=None,
            actor_name="system",
            action=CoreAuditAction.AUDIT_PRUNE,
            object_type="audit_chain",
            changes={
                "through_seq": mark.seq,
                "rows": rows,
                "cutoff": timezone.localtime(cutoff).date().isoformat(),
            },
        )
    return PruneResult(mark.seq, rows)
