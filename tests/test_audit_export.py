"""The auditor exports the audit log and its checkpoints for a period; the export is audited."""

import csv
import hashlib
import io

import openpyxl
import pytest
from django.utils import timezone

from grassroots.core.audit import audit_record
from grassroots.core.audit_checkpoints import checkpoint_write
from grassroots.core.models import AuditEvent
from tests.conftest import signed_in


@pytest.fixture
def logged(world):
    audit_record(actor=None, action="area.update", object_type="area", object_id="=1+2")
    checkpoint_write()
    today = timezone.localdate().isoformat()
    return {"date_from": today, "date_to": today}


def _body(resp) -> bytes:
    return b"".join(resp.streaming_content)


def test_xlsx_holds_the_rows_and_the_checkpoints_formula_safe(logged):
    resp = signed_in("auditor").get("/audit/export/", {**logged, "format": "xlsx"})
    assert resp.status_code == 200 and "no-store" in resp["Cache-Control"]
    assert "attachment" in resp["Content-Disposition"]
    body = _body(resp)
    wb = openpyxl.load_workbook(io.BytesIO(body))
    log, marks = wb.worksheets
    rows = list(log.iter_rows(values_only=True))
    export = AuditEvent.objects.get(action="audit.export")
    before = AuditEvent.objects.filter(seq__lt=export.seq).order_by("seq")
    assert [r[1] for r in rows[1:]] == [str(seq) for seq in before.values_list("seq", flat=True)]
    assert "'=1+2" in [r[7] for r in rows]  # the object id cannot run as a formula
    assert [r[0] for r in marks.iter_rows(values_only=True)][1:] == ["checkpoint"]
    # audited with the file's hash
    assert export.changes["sha256"] == hashlib.sha256(body).hexdigest()
    assert export.changes["rows"] == len(rows) - 1
    assert export.actor.username == "auditor"


def test_csv_is_one_table_of_rows_then_checkpoints(logged):
    resp = signed_in("auditor").get("/audit/export/", {**logged, "format": "csv"})
    assert resp.status_code == 200 and resp["Content-Type"].startswith("text/csv")
    text = _body(resp).decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    kinds = [line[0] for line in lines[1:]]
    assert kinds[-1] == "checkpoint" and set(kinds[:-1]) == {"log"}
    assert any(line[7] == "'=1+2" for line in lines)


@pytest.mark.parametrize("who", ["secadmin", "admin", "township"])
def test_only_the_auditor_exports(logged, who):
    # permission before validation: 403 even for a bad period
    assert signed_in(who).get("/audit/export/", {"date_from": "x"}).status_code == 403
    resp = signed_in(who).get("/audit/export/", {**logged, "format": "xlsx"})
    assert resp.status_code == 403
    assert not AuditEvent.objects.filter(action="audit.export").exists()


def test_a_bad_period_names_its_field(logged):
    resp = signed_in("auditor").get(
        "/audit/export/", {"date_from": "2026-05-02", "date_to": "2026-05-01", "format": "csv"}
    )
    assert resp.status_code == 400 and "截止日期" in resp.content.decode()
    assert signed_in("auditor").get("/audit/export/").status_code == 200
    assert "/audit/export/" in signed_in("auditor").get("/audit/").content.decode()
