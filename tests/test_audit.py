"""The audit log is hash-chained; tampering is found (SECURITY.md 18)."""

from django.core.management import call_command

from grassroots.core.audit import audit_record, audit_verify
from grassroots.core.models import AuditEvent


def test_chain_verifies(db):
    for i in range(5):
        audit_record(actor=None, action="test", object_id=i, changes={"n": i, "名": "值"})
    report = audit_verify()
    assert report.checked == 5 and report.broken_at is None and not report.reason


def test_edited_row_breaks_the_chain(db):
    rows = [audit_record(actor=None, action="test", object_id=i) for i in range(4)]
    AuditEvent.objects.filter(pk=rows[2].pk).update(action="edited")
    assert audit_verify().broken_at == rows[2].pk


def test_deleted_row_breaks_the_chain(db):
    rows = [audit_record(actor=None, action="test", object_id=i) for i in range(4)]
    AuditEvent.objects.filter(pk=rows[1].pk).delete()
    assert audit_verify().broken_at == rows[2].pk


def test_deleted_tail_is_found(db):
    rows = [audit_record(actor=None, action="test", object_id=i) for i in range(3)]
    AuditEvent.objects.filter(pk=rows[-1].pk).delete()
    assert audit_verify().reason


def test_audit_verify_command(db, capsys):
    audit_record(actor=None, action="test")
    call_command("audit-verify")
    assert "1" in capsys.readouterr().out
