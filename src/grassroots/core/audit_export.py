"""The auditor's export of the audit log for a period, with its checkpoints (SECURITY.md 12, 18).

One file per export, .xlsx (a sheet of rows, a sheet of checkpoints) or CSV (one table: the rows,
then the checkpoints, told apart by the first column). Every cell goes through the formula-safe
writer (`core.xlsx_safe`); rows carry their sequence number, version and hashes, so the export
can be compared with a later one or with the checkpoint file. Rows hold no personal data
unmasked (see `core.audit.audit_record`). The export is itself audited (``audit.export``) with the
file's SHA-256. Only the auditor (`Perm.VIEW_AUDIT`) exports.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import json
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from grassroots.core.audit import audit_catalogue, audit_record
from grassroots.core.audit_checkpoints import Checkpoint, CheckpointFileError, checkpoints_read
from grassroots.core.auditlog import CoreAuditAction
from grassroots.core.models import AuditEvent, User
from grassroots.core.perms import require_perm
from grassroots.core.roles import Perm
from grassroots.core.xlsx_safe import TEXT_FORMAT, safe_cell

XLSX = "xlsx"
CSV = "csv"
CONTENT_TYPES = {
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    CSV: "text/csv; charset=utf-8",
}
LOG_KIND = "log"
# (key, header); the CSV's first column says which kind of line it is.
COLUMNS = (
    ("kind", _("类型")),
    ("seq", _("序号")),
    ("at", _("时间")),
    ("actor_name", _("操作人账号")),
    ("action", _("操作代码")),
    ("action_label", _("操作")),
    ("object_type", _("对象类型")),
    ("object_id", _("对象")),
    ("result", _("结果")),
    ("source", _("来源")),
    ("changes", _("变更")),
    ("version", _("链版本")),
    ("prev_hash", _("前一条哈希")),
    ("hash", _("哈希")),
)
CHECKPOINT_COLUMNS = (
    ("kind", _("类型")),
    ("seq", _("序号")),
    ("at", _("时间")),
    ("hash", _("哈希")),
)
_TEXT = {"seq", "object_id", "prev_hash", "hash"}


class AuditExportForm(forms.Form):
    """The period (whole days, both included) and the format; an invalid one names its field."""

    date_from = forms.DateField(label=_("起始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("截止日期"), widget=forms.DateInput(attrs={"type": "date"}))
    format = forms.ChoiceField(
        label=_("格式"), choices=[(XLSX, "Excel (.xlsx)"), (CSV, "CSV")], initial=XLSX
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("截止日期不能早于起始日期"))
        return data


@dataclass
class AuditExport:
    """A finished export: the open file (at its start), its name, type, hash and row count."""

    handle: IO[bytes]
    filename: str
    content_type: str
    sha256: str
    rows: int


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def _rows(since: datetime.datetime, until: datetime.datetime) -> Iterator[dict[str, Any]]:
    cat = audit_catalogue()
    events = AuditEvent.objects.filter(at__gte=since, at__lt=until).order_by("seq")
    for e in events.iterator(chunk_size=2000):
        yield {
            "kind": LOG_KIND,
            "seq": str(e.seq),
            "at": timezone.localtime(e.at).isoformat(),
            "actor_name": e.actor_name,
            "action": e.action,
            "action_label": cat.action_label(e.action),
            "object_type": e.object_type,
            "object_id": e.object_id,
            "result": e.result,
            "source": e.source,
            "changes": json.dumps(e.changes, ensure_ascii=False, sort_keys=True, default=str),
            "version": e.version,
            "prev_hash": e.prev_hash,
            "hash": e.hash,
        }


def _checkpoints(since: datetime.datetime, until: datetime.datetime) -> list[dict[str, Any]]:
    try:
        marks = checkpoints_read()
    except CheckpointFileError as exc:
        # The auditor needs the rows most when the anchors are damaged: say so in the file.
        return [{"kind": "error", "seq": "", "at": "", "hash": str(exc)}]
    return [_mark(m) for m in marks if since <= datetime.datetime.fromisoformat(m.at) < until]


def _mark(m: Checkpoint) -> dict[str, Any]:
    return {"kind": m.kind, "seq": str(m.seq), "at": m.at, "hash": m.hash}


def _xlsx(rows: Iterator[dict[str, Any]], marks: list[dict[str, Any]]) -> tuple[IO[bytes], int]:
    wb = Workbook(write_only=True)
    count = 0
    for title, columns, source in (
        (str(_("审计日志")), COLUMNS, rows),
        (str(_("检查点")), CHECKPOINT_COLUMNS, iter(marks)),
    ):
        ws = wb.create_sheet(title)
        ws.append([WriteOnlyCell(ws, value=safe_cell(str(h))) for _k, h in columns])
        for values in source:
            cells = []
            for key, _h in columns:
                cell = WriteOnlyCell(ws, value=safe_cell(values.get(key, "")))
                if key in _TEXT:
                    cell.number_format = TEXT_FORMAT
                cells.append(cell)
            ws.append(cells)
            count += values["kind"] == LOG_KIND
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the response, which closes it
    wb.save(handle)
    return handle, count


def _csv(rows: Iterator[dict[str, Any]], marks: list[dict[str, Any]]) -> tuple[IO[bytes], int]:
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the response, which closes it
    # A BOM so that Excel reads the Chinese as UTF-8.
    text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="", write_through=True)
    writer = csv.writer(text)
    writer.writerow([safe_cell(str(h)) for _k, h in COLUMNS])
    count = 0
    for values in [*rows, *marks]:
        writer.writerow([safe_cell(values.get(key, "")) for key, _h in COLUMNS])
        count += values["kind"] == LOG_KIND
    text.flush()
    text.detach()
    return handle, count


def audit_export(
    *, actor: User, date_from: datetime.date, date_to: datetime.date, fmt: str
) -> AuditExport:
    """The rows and checkpoints of `date_from`..`date_to` (whole days) as one file; audited.

    403 unless `actor` is the auditor.
    """
    require_perm(actor, Perm.VIEW_AUDIT)
    since, until = _day_start(date_from), _day_start(date_to + datetime.timedelta(days=1))
    write = _xlsx if fmt == XLSX else _csv
    handle, count = write(_rows(since, until), _checkpoints(since, until))
    handle.seek(0)
    digest = hashlib.sha256()
    while chunk := handle.read(1 << 20):
        digest.update(chunk)
    handle.seek(0)
    audit_record(
        actor=actor,
        action=CoreAuditAction.AUDIT_EXPORT,
        object_type="audit_log",
        changes={
            "sha256": digest.hexdigest(),
            "rows": count,
            "since": date_from.isoformat(),
            "until": date_to.isoformat(),
            "format": fmt,
        },
    )
    name = f"{_('审计日志')}-{date_from:%Y%m%d}-{date_to:%Y%m%d}.{fmt}"
    return AuditExport(handle, name, CONTENT_TYPES[fmt], digest.hexdigest(), count)
