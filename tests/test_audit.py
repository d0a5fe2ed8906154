"""The audit log is hash-chained; tampering is found (SECURITY.md 18)."""

from django.core.management import call_command

from grassroots.core.audit import audit_record, audit_verify
from grassroots.core.models import AuditEvent, AuditHead


def test_chain_verifies(db):
    for i in range(5):
        audit_record(actor=None, action="test", object_id=i, changes={"n": i, "名": "值"})
    report = audit_verify()
    assert report.checked == 5 and report.broken_at is None and report.ok and report.keyed


def test_rows_are_numbered_without_gaps_and_keyed(db):
    rows = [audit_record(actor=None, action="test", object_id=i) for i in range(3)]
    assert [r.seq for r in rows] == [1, 2, 3]
    assert {r.version for r in rows} == {2}
    head = AuditHead.objects.get()
    assert (head.seq, head.last_hash) == (3, rows[-1].hash)


def test_edited_row_breaks_the_chain(db):
    rows = [audit_record(actor=None, action="test", object_id=i) for i in range(4)]
    AuditEvent.objects.filter(pk=rows[2].pk).update(action="edited")
    assert audit_verify().broken_at == rows[2].seq


def test_deleted_row_breaks_the_chain(db):
    rows = [audit_record(actor=None, action="test", object_id=i) for i in range(4)]
    AuditEvent.objects.filter(pk=rows[1].pk).delete()
    report = audit_verify()
    assert report.broken_at == rows[1].seq and report.reason == "row missing"


def test_deleted_tail_is_found(db):
    rows = [audit_record(actor=None, action="test", object_id=i) for i in range(3)]
    AuditEvent.objects.filter(pk=rows[-1].pk).delete()
    report = audit_verify()
    assert report.reason and report.broken_at == rows[-1].seq


def test_audit_verify_command(db, capsys):
    audit_record(actor=None, action="test")
    call_command("audit-verify")
    assert "intact: 1 rows" in capsys.readouterr().out
