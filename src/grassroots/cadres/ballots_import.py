"""Paper ballots of the three reviews, imported from the Excel template (评议票导入).

The template has one sheet whose first row is the header ``评议组 | 评议意见 | 分数`` and then one
row per ballot: the rater group (党员评议 / 村民代表评议 / 乡镇党委评议, or its code), and either a
vote (优秀 / 称职 / 基本称职 / 不称职) or a score (0–100), never both. The whole file is checked
before anything is written: one bad row refuses the file, naming the row and the field, and
nothing is counted (SECURITY.md 21).
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from django.db import transaction
from openpyxl import Workbook, load_workbook

from grassroots.cadres import scoring
from grassroots.cadres.auditlog import CadreAuditAction as A
from grassroots.cadres.choices import Grade, Period, RaterGroup, State
from grassroots.cadres.errors import CadreConflict, CadreError, CadreErrorCode
from grassroots.cadres.models import Appraisal, Ballot
from grassroots.cadres.services import require_area
from grassroots.core.audit import audit_record
from grassroots.core.models import User
from grassroots.core.roles import Perm

HEADER = ("评议组", "评议意见", "分数")
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
GROUPS = {str(label): value for value, label in RaterGroup.choices} | {
    v: v for v in RaterGroup.values
}
VOTES = {str(label): value for value, label in Grade.choices} | {v: v for v in Grade.values}


def ballot_template() -> bytes:
    """An empty template with the header and one example row of each kind."""
    wb = Workbook()
    ws = wb.active
    if ws is None:  # a new workbook always has its sheet
        ws = wb.create_sheet()
    ws.title = "评议票"
    ws.append(list(HEADER))
    ws.append(["党员评议", "称职", None])
    ws.append(["乡镇党委评议", None, 88])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _bad(row: int, field: str, message: str) -> CadreError:
    return CadreError(CadreErrorCode.INVALID_VALUE, message, field=field, row=row)


def _rows(content: bytes) -> list[tuple[str, str, Any, int]]:
    if len(content) > MAX_BYTES:
        raise CadreError(CadreErrorCode.INVALID_VALUE, "the file is too large", field="file")
    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise CadreError(CadreErrorCode.INVALID_VALUE, "not an .xlsx file", field="file") from None
    ws = wb.worksheets[0]
    rows = list(ws.iter_rows(values_only=True, max_row=MAX_ROWS + 2, max_col=3))
    if len(rows) > MAX_ROWS + 1:
        raise CadreError(CadreErrorCode.INVALID_VALUE, "too many rows", field="file")
    if not rows or tuple(str(c or "").strip() for c in rows[0][:3]) != HEADER:
        raise _bad(1, "header", "the header is 评议组 | 评议意见 | 分数")
    out = []
    for n, row in enumerate(rows[1:], start=2):
        cells = list(row) + [None] * (3 - len(row))
        if all(c is None or str(c).strip() == "" for c in cells):
            continue
        out.append((str(cells[0] or "").strip(), str(cells[1] or "").strip(), cells[2], n))
    return out


def ballots_import(*, actor: User | None, appraisal: Appraisal, content: bytes) -> int:
    """Count the file's ballots into an annual appraisal being collected; all or nothing."""
    require_area(actor, Perm.SCORE_CADRES, appraisal.area, "appraisal")
    ballots = []
    for group_text, vote_text, score_cell, n in _rows(content):
        group = GROUPS.get(group_text)
        if group is None:
            raise _bad(n, "评议组", "unknown rater group")
        vote = VOTES.get(vote_text) if vote_text else ""
        if vote is None:
            raise _bad(n, "评议意见", "优秀 / 称职 / 基本称职 / 不称职")
        has_score = score_cell is not None and str(score_cell).strip() != ""
        if bool(vote) == has_score:
            raise _bad(n, "分数", "a vote or a score, not both")
        score = None
        if has_score:
            try:
                score = scoring.score_of(score_cell, "分数")
            except CadreError as exc:
                raise _bad(n, "分数", str(exc.message)) from None
        ballots.append(Ballot(group=group, vote=vote, score=score, via="paper"))
    if not ballots:
        raise CadreError(CadreErrorCode.NO_BALLOTS, "the file holds no ballot", field="file")
    with transaction.atomic():
        locked = Appraisal.objects.select_for_update().get(pk=appraisal.pk)
        if locked.period != Period.ANNUAL or locked.state != State.COLLECTING:
            raise CadreConflict(
                CadreErrorCode.INVALID_TRANSITION,
                "an annual appraisal being collected",
                field="state",
            )
        for b in ballots:
            b.appraisal = locked
        Ballot.objects.bulk_create(ballots)
        audit_record(
            actor=actor,
            action=A.BALLOT_IMPORT,
            object_type="appraisal",
            object_id=locked.pk,
            changes={"ballots": len(ballots)},
        )
    return len(ballots)
