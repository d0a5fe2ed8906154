"""The audit chain cannot be quietly rewritten (issue 15, defect 2; SECURITY.md 18).

Before the fix the chain was unkeyed SHA-256 with nothing outside the database: deleting a
``resident.reveal`` row, recomputing the later hashes with the project's own function and updating
the head left ``audit-verify`` reporting "intact". Now the chain is an HMAC under a key kept out
of the database, and signed checkpoints outside it vouch for the rows.
"""

import base64
import hashlib
import json
import os
import socket

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from grassroots.core import audit_key
from grassroots.core.audit import audit_record, event_hash
from grassroots.core.audit_checkpoints import checkpoint_path, checkpoint_write, checkpoints_read
from grassroots.core.audit_verify import chain_verify
from grassroots.core.models import AuditEvent, AuditHead
from grassroots.people.services import resident_reveal


def _rows(n: int) -> list[AuditEvent]:
    return [audit_record(actor=None, action="test", object_id=i) for i in range(n)]


def _reveal(world, registry) -> AuditEvent:
    resident_reveal(
        actor=world.users["township"],
        resident=registry.father,
        field="id_number",
        purpose="核对低保申请材料",
    )
    return AuditEvent.objects.get(action="resident.reveal")


def _rewrite_without(victim: AuditEvent) -> None:
    """The attack: delete `victim`, renumber and recompute every later row, update the head."""
    prev = victim.prev_hash
    AuditEvent.objects.filter(pk=victim.pk).delete()
    for event in AuditEvent.objects.filter(seq__gt=victim.seq).order_by("seq"):
        event.seq -= 1
        event.prev_hash = prev
        event.hash = event_hash(event)  # the project's own hash function
        event.save()
        prev = event.hash
    head = AuditHead.objects.get()
    AuditHead.objects.filter(pk=head.pk).update(seq=head.seq - 1, last_hash=prev)


@pytest.fixture
def logged(world, registry):
    """Rows, a checkpoint, a reveal, more rows, a second checkpoint, rows not yet checkpointed."""
    _rows(3)
    checkpoint_write()
    reveal = _reveal(world, registry)
    _rows(3)
    checkpoint_write()
    _rows(2)
    assert chain_verify().ok
    return reveal


def test_deleting_a_reveal_and_recomputing_the_chain_is_caught(logged):
    # given: the exact rewrite, with the project's own (keyed) hash function
    _rewrite_without(logged)
    # then: the chain holds together on its own, but the checkpoint outside the database does not
    report = chain_verify()
    assert not report.ok
    assert report.broken_at == logged.seq
    assert "checkpoint" in report.reason
    with pytest.raises(CommandError, match=f"at sequence {logged.seq}"):
        call_command("audit-verify")


def test_without_the_key_a_rewrite_breaks_the_chain_itself(logged, monkeypatch):
    # given: an attacker who does not hold the key recomputes under a key of their own
    monkeypatch.setenv(audit_key.ENV_VAR, base64.urlsafe_b64encode(b"x" * 32).decode())
    audit_key.reset_keys()
    _rewrite_without(logged)
    monkeypatch.undo()
    audit_key.reset_keys()
    # and: no checkpoint to help
    checkpoint_path().unlink()
    report = chain_verify()
    assert report.broken_at == logged.seq
    assert report.reason == "content does not match its hash"


def test_the_old_unkeyed_hash_does_not_verify(logged):
    event = AuditEvent.objects.order_by("-seq").first()
    payload = json.dumps(
        {"v": 2, "seq": event.seq, "prev": event.prev_hash, "row": {}}, sort_keys=True
    )
    AuditEvent.objects.filter(pk=event.pk).update(
        hash=hashlib.sha256((event.prev_hash + payload).encode()).hexdigest()
    )
    assert chain_verify().broken_at == event.seq


def test_a_truncated_tail_is_caught_by_the_checkpoint(logged):
    first, second = checkpoints_read()
    keep = AuditEvent.objects.get(seq=second.seq - 1)
    AuditEvent.objects.filter(seq__gt=keep.seq).delete()
    AuditHead.objects.update(seq=keep.seq, last_hash=keep.hash)
    report = chain_verify()
    assert report.broken_at == first.seq + 1 and "truncated" in report.reason


def test_an_edited_checkpoint_line_is_caught(logged):
    path = checkpoint_path()
    lines = path.read_text().splitlines()
    forged = json.loads(lines[0])
    forged["seq"] += 1
    path.write_text("\n".join([json.dumps(forged), *lines[1:]]) + "\n")
    report = chain_verify()
    assert not report.ok and "line 1" in report.reason and "HMAC" in report.reason


def test_checkpoints_are_signed_appended_once_and_private(db):
    _rows(2)
    first = checkpoint_write()
    assert checkpoint_write() is None  # nothing new: nothing written
    _rows(1)
    second = checkpoint_write()
    assert [(m.seq, m.hash) for m in checkpoints_read()] == [
        (first.seq, first.hash),
        (second.seq, second.hash),
    ]
    assert second.hash == AuditHead.objects.get().last_hash
    assert os.stat(checkpoint_path()).st_mode & 0o777 == 0o600


def test_checkpoints_also_go_to_syslog(db, settings):
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    sock.settimeout(5)
    settings.AUDIT_SYSLOG = f"127.0.0.1:{sock.getsockname()[1]}"
    try:
        _rows(1)
        mark = checkpoint_write()
        message = sock.recv(4096).decode()
    finally:
        sock.close()
    assert "grassroots-audit" in message and mark.hash in message


def test_an_unkeyed_chain_is_keyed_at_a_recorded_boundary(db):
    # given: two rows as the old code wrote them (version 1, plain SHA-256), as after the upgrade
    prev = "0" * 64
    for seq in (1, 2):
        event = AuditEvent(at=timezone.now(), action="legacy", seq=seq, version=1, prev_hash=prev)
        content = {
            "at": event.at.isoformat(),
            "actor": None,
            "actor_name": "",
            "action": "legacy",
            "object_type": "",
            "object_id": "",
            "result": "ok",
            "source": "",
            "changes": {},
        }
        text = json.dumps(content, sort_keys=True, ensure_ascii=False)
        event.hash = hashlib.sha256((prev + text).encode()).hexdigest()
        event.save()
        prev = event.hash
    AuditHead.objects.create(pk=1, seq=2, last_hash=prev, version=1)
    assert chain_verify().ok and not chain_verify().keyed
    # when: the next row is written
    row = audit_record(actor=None, action="test")
    # then: a keyed boundary row binds the old chain first
    boundary = AuditEvent.objects.get(seq=3)
    assert boundary.action == "audit.chain_keyed" and boundary.version == 2
    assert boundary.prev_hash == prev and row.seq == 4
    report = chain_verify()
    assert report.ok and report.keyed and report.checked == 4
    # and: an old row edited and recomputed with plain SHA-256 is still caught by the boundary
    AuditEvent.objects.filter(seq=2).update(hash="0" * 64)
    assert chain_verify().broken_at == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_and_checkpoints_keep_one_gapless_chain():
    from tests.concurrency import Job, at_once

    def append(i: int) -> Job:
        def job(ready):
            ready()
            audit_record(actor=None, action="test", object_id=i)

        return job

    def mark(ready):
        ready()
        checkpoint_write()

    outcomes = at_once([append(i) for i in range(8)] + [mark, mark])
    assert outcomes == ["ok"] * 10
    assert sorted(AuditEvent.objects.values_list("seq", flat=True)) == list(range(1, 9))
    report = chain_verify()
    assert report.ok and report.checked == 8
