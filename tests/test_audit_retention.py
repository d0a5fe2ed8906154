"""Retention prunes old audit rows only up to a checkpoint, and the chain still verifies."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError

from grassroots.core.audit import audit_record
from grassroots.core.audit_checkpoints import PRUNE, checkpoint_write, checkpoints_read
from grassroots.core.audit_retention import AuditChainBroken, audit_prune
from grassroots.core.audit_verify import chain_verify
from grassroots.core.models import AuditEvent, AuditHead

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=TZ)


def _rows(n: int) -> None:
    for i in range(n):
        audit_record(actor=None, action="test", object_id=i)


@pytest.fixture
def aged(db, settings):
    """January: 3 rows, a checkpoint, 2 rows. March: 2 rows, a checkpoint. Kept 180 days."""
    settings.AUDIT_RETENTION_DAYS = 180
    with time_machine.travel(at(2026, 1, 5, 10), tick=False):
        _rows(3)
        checkpoint_write()
        _rows(2)
    with time_machine.travel(at(2026, 3, 5, 10), tick=False):
        _rows(2)
        checkpoint_write()


def test_prune_stops_at_the_last_checkpoint_among_the_old_rows(aged):
    with time_machine.travel(at(2026, 8, 1, 3, 50), tick=False):
        result = audit_prune()
    # rows 1–5 are past retention; the last checkpoint among them is row 3
    assert result is not None and (result.through_seq, result.rows) == (3, 3)
    assert list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True)) == [4, 5, 6, 7, 8]
    head = AuditHead.objects.get()
    assert head.anchor_seq == 3
    assert checkpoints_read()[-1].kind == PRUNE and checkpoints_read()[-1].seq == 3
    pruned = AuditEvent.objects.get(action="audit.prune")
    assert pruned.changes["through_seq"] == 3 and pruned.changes["rows"] == 3
    report = chain_verify()
    assert report.ok and report.checked == 5


def test_nothing_within_retention_is_pruned(aged):
    with time_machine.travel(at(2026, 5, 1), tick=False):
        assert audit_prune() is None
    assert AuditEvent.objects.count() == 7


def test_an_anchor_moved_in_the_database_is_caught(aged):
    with time_machine.travel(at(2026, 8, 1), tick=False):
        audit_prune()
    # an attacker deletes more and moves the anchor to a later (genuine) checkpoint
    later = next(m for m in checkpoints_read() if m.seq == 7)
    AuditEvent.objects.filter(seq__lte=7).delete()
    AuditHead.objects.update(anchor_seq=7, anchor_hash=later.hash)
    report = chain_verify()
    assert not report.ok and report.broken_at == 8 and "prune" in report.reason


def test_a_broken_chain_is_never_pruned(aged):
    AuditEvent.objects.filter(seq=2).update(action="edited")
    with time_machine.travel(at(2026, 8, 1), tick=False):
        with pytest.raises(AuditChainBroken):
            audit_prune()
        with pytest.raises(CommandError, match="nothing pruned"):
            call_command("audit-prune")
    assert AuditEvent.objects.count() == 7


def test_retention_below_six_months_is_refused(db, settings):
    settings.AUDIT_RETENTION_DAYS = 90
    with pytest.raises(ImproperlyConfigured, match="at least 180"):
        audit_prune()
