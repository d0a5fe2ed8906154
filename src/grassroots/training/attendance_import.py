"""Attendance imported from the online platform's Excel export (线上学习平台考勤导入).

The export has one sheet whose first row is a header holding a column naming the person —
``姓名`` (name) or ``身份证号`` (ID number) — and a column ``学时`` (hours). Each row is matched
against the session's roll: by ID number (through the registry's blind index, the number itself
is never stored or compared in clear) or by name when the name is unique on the roll. The whole
file is checked before anything is written: an unknown person, a name two people on the roll
share, a person twice, or hours that are not whole or exceed the session's refuses the file
naming the row and the column; the rows then go through `services.attendance_record` (scoped and
audited there, hours > 0 present, 0 absent). The file is bounded like the people ledger: its
size, what it may unpack to (`people/ledger/xlsx_limits.py`) and its rows.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from grassroots.core.audit import audit_record
from grassroots.core.models import User
from grassroots.people.errors import IdNumberError
from grassroots.people.ledger.xlsx_limits import expansion_problem
from grassroots.people.privacy import id_index
from grassroots.training import services
from grassroots.training.auditlog import TrainingAuditAction as A
from grassroots.training.choices import Attendance
from grassroots.training.errors import TrainingError
from grassroots.training.errors import TrainingErrorCode as E
from grassroots.training.models import Session

NAME, ID_NUMBER, HOURS = "姓名", "身份证号", "学时"
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
MAX_COLS = 30


def _file_error(message: str) -> TrainingError:
    return TrainingError(E.INVALID_VALUE, message, field="file")


def _sheet_rows(content: bytes) -> list[tuple[Any, ...]]:
    if len(content) > MAX_BYTES:
        raise _file_error(_("文件过大"))
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as zf:
            if expansion_problem(zf.infolist()) is not None:
                raise _file_error(_("文件解压后过大"))
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise _file_error(_("不是 .xlsx 文件")) from None
    try:
        ws = wb.worksheets[0]
        rows = list(ws.iter_rows(values_only=True, max_row=MAX_ROWS + 2, max_col=MAX_COLS))
    finally:
        wb.close()
    if len(rows) > MAX_ROWS + 1:
        raise _file_error(_("行数过多"))
    return rows


def _cell(row: tuple[Any, ...], col: int) -> Any:
    return row[col] if col < len(row) else None


def _hours(value: Any, limit: int, n: int) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise TrainingError(E.INVALID_VALUE, _("学时须为非负整数"), field=HOURS, row=n)
    if value > limit:
        raise TrainingError(
            E.HOURS_EXCEED_SESSION, _("最多为本期的 %(n)s 学时") % {"n": limit}, field=HOURS, row=n
        )
    return value


def attendance_import(*, actor: User | None, session: Session, content: bytes) -> int:
    """Credit the hours of the platform's export to the session's roll; all rows or none.
    Returns the number of rows recorded."""
    services._require_area(actor, session.area)
    rows = _sheet_rows(content)
    header = [str(c or "").strip() for c in rows[0]] if rows else []
    person_col = next((header.index(h) for h in (ID_NUMBER, NAME) if h in header), None)
    if person_col is None or HOURS not in header:
        raise TrainingError(
            E.INVALID_VALUE, _("表头须有“姓名”或“身份证号”，以及“学时”"), field="header", row=1
        )
    by_id = header[person_col] == ID_NUMBER
    person_field, hours_col = header[person_col], header.index(HOURS)
    roll = list(session.enrolments.select_related("resident"))
    names: dict[str, list[int]] = {}
    for e in roll:
        names.setdefault(e.resident.name.strip(), []).append(e.resident_id)
    indexes = {e.resident.id_number_index: e.resident_id for e in roll}
    seen: set[int] = set()
    out = []
    for n, row in enumerate(rows[1:], start=2):
        who = str(_cell(row, person_col) or "").strip()
        hours_cell = _cell(row, hours_col)
        if not who and (hours_cell is None or str(hours_cell).strip() == ""):
            continue
        resident = None
        if by_id:
            try:
                resident = indexes.get(id_index(who))
            except IdNumberError:
                raise TrainingError(
                    E.INVALID_VALUE, _("身份证号格式不正确"), field=person_field, row=n
                ) from None
        else:
            matches = names.get(who, [])
            if len(matches) > 1:
                raise TrainingError(
                    E.INVALID_VALUE,
                    _("名单中有同名人员，请改用身份证号"),
                    field=person_field,
                    row=n,
                )
            resident = matches[0] if matches else None
        if resident is None:
            raise TrainingError(E.NOT_ENROLLED, _("未报名本期培训"), field=person_field, row=n)
        if resident in seen:
            raise TrainingError(E.INVALID_VALUE, _("同一人列了两次"), field=person_field, row=n)
        seen.add(resident)
        hours = _hours(hours_cell, session.hours, n)
        status = Attendance.PRESENT if hours > 0 else Attendance.ABSENT
        out.append({"resident": resident, "status": status, "hours": hours})
    if not out:
        raise _file_error(_("文件中没有数据行"))
    with transaction.atomic():
        recorded = services.attendance_record(actor=actor, session=session, rows=out)
        audit_record(
            actor=actor,
            action=A.ATTENDANCE_IMPORT,
            object_type="training_session",
            object_id=session.pk,
            changes={"rows": recorded, "sha256": hashlib.sha256(content).hexdigest()},
        )
    return recorded
