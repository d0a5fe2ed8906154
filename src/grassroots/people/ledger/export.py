"""Exports of the resident and household lists as .xlsx (SECURITY.md 10–13).

The rows come from `people.selectors` with the page's own filters, so an export holds exactly
what the actor sees on the page and in the API. Masked by default; unmasked only with
EXPORT_UNMASKED, only for residents in the subtrees where that permission is held, and only with a
stated purpose. Every export is audited ("people.export") with the file's SHA-256, its row count,
whether it was masked, and the filters (searched ID numbers and phones masked). Every cell is
formula-safe, and ID numbers, phones and codes are text cells. openpyxl's write-only mode and
chunked queries keep memory flat whatever the number of rows.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from typing import IO, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from grassroots.areas.scope import scope_for
from grassroots.core import crypto
from grassroots.core.audit import audit_record
from grassroots.core.models import User
from grassroots.core.roles import Perm
from grassroots.core.xlsx_safe import TEXT_FORMAT, safe_cell
from grassroots.people import selectors
from grassroots.people.auditlog import PeopleAuditAction
from grassroots.people.errors import PeopleError, PeopleErrorCode
from grassroots.people.ledger.columns import (
    HOUSEHOLD_COLUMNS,
    HOUSEHOLD_EXPORT_EXTRA,
    HOUSEHOLDS,
    RESIDENT_COLUMNS,
    RESIDENTS,
    Column,
    chinese_labels,
)
from grassroots.people.masking import mask_id, mask_phone
from grassroots.people.models import Household, Resident
from grassroots.people.privacy import tag_token

CHUNK = 2000
MIN_PURPOSE = 4
RESIDENT_EXPORT = (
    "household",
    "name",
    "id_number",
    "sex",
    "relation",
    "phone",
    "ethnicity",
    "education",
    "employment",
    "occupation",
    "politics",
    "tags",
    "notes",
    "grid",
    "area_name",
    "address",
    "status",
)
_BOLD = Font(bold=True)


@dataclass
class ExportFile:
    """A finished export: the open file (at its start), its name, hash and row count."""

    handle: IO[bytes]
    filename: str
    sha256: str
    rows: int


def _columns(fields: Iterable[str], columns: Iterable[Column]) -> list[Column]:
    by_field = {c.field: c for c in columns}
    return [by_field[f] for f in fields]


def _write(
    sheet: str, columns: list[Column], rows: Iterator[dict[str, Any]]
) -> tuple[IO[bytes], int]:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet)
    ws.freeze_panes = "A2"
    for i, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = 22 if column.as_text else 14
    header = [WriteOnlyCell(ws, value=c.header) for c in columns]
    for cell in header:
        cell.font = _BOLD
    ws.append(header)
    count = 0
    for values in rows:
        cells = []
        for column in columns:
            cell = WriteOnlyCell(ws, value=safe_cell(values.get(column.field, "") or ""))
            if column.as_text:
                cell.number_format = TEXT_FORMAT
            cells.append(cell)
        ws.append(cells)
        count += 1
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the response, which closes it
    wb.save(handle)
    handle.seek(0)
    return handle, count


def _finish(
    handle: IO[bytes], count: int, *, actor: User, kind: str, masked: bool, filters: dict[str, Any]
) -> ExportFile:
    digest = hashlib.sha256()
    while chunk := handle.read(1 << 20):
        digest.update(chunk)
    handle.seek(0)
    audit_record(
        actor=actor,
        action=PeopleAuditAction.EXPORT,
        object_type=kind,
        changes={
            "sha256": digest.hexdigest(),
            "rows": count,
            "masked": masked,
            "filters": {k: v for k, v in filters.items() if v not in (None, "")},
        },
    )
    name = {"resident": "居民台账", "household": "户台账"}[kind]
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return ExportFile(handle, f"{name}-{stamp}.xlsx", digest.hexdigest(), count)


def residents_export(
    *,
    actor: User,
    filters: selectors.ResidentFilters | None = None,
    unmasked: bool = False,
    purpose: str = "",
) -> ExportFile:
    """The actor's resident list (same filters and scope as the page) as one 人 sheet.

    Unmasked needs EXPORT_UNMASKED (403 otherwise), keeps only residents in the subtrees where it
    is held, and needs a purpose of at least four characters (a field error otherwise).
    """
    f = filters or selectors.ResidentFilters()
    scope = scope_for(actor)
    qs = selectors.resident_list(actor=actor, filters=f).select_related("household__dwelling")
    if unmasked:
        scope.require(Perm.EXPORT_UNMASKED)
        if len(purpose.strip()) < MIN_PURPOSE:
            raise PeopleError(
                PeopleErrorCode.PURPOSE_REQUIRED,
                _("请说明导出用途（至少 4 个字）"),
                field="purpose",
            )
        qs = qs.filter(scope.area_q(Perm.EXPORT_UNMASKED, "area__"))
    tags = {tag_token(t.code): t.name for t in selectors.tags_visible(actor=actor)}
    labels = {c.field: chinese_labels(c.choices) for c in RESIDENT_COLUMNS if c.choices}
    rows = (
        _resident_row(r, unmasked, tags, labels)
        for r in qs.prefetch_related("tag_rows").iterator(chunk_size=CHUNK)
    )
    handle, count = _write(RESIDENTS, _columns(RESIDENT_EXPORT, RESIDENT_COLUMNS), rows)
    shown = asdict(f)
    shown["id_number"] = mask_id(f.id_number) if f.id_number else None
    shown["phone"] = mask_phone(f.phone) if f.phone else None
    if unmasked:
        shown["purpose"] = purpose.strip()[:200]
    return _finish(handle, count, actor=actor, kind="resident", masked=not unmasked, filters=shown)


def _resident_row(
    r: Resident, unmasked: bool, tags: dict[str, str], labels: dict[str, dict[str, str]]
) -> dict[str, Any]:
    household = r.household
    return {
        "household": household.number if household else "",
        "name": r.name,
        "id_number": crypto.decrypt(r.id_number_enc) if unmasked else r.id_number_masked,
        "phone": crypto.decrypt(r.phone_enc) if unmasked else r.phone_masked,
        "ethnicity": r.ethnicity,
        "occupation": r.occupation,
        "notes": r.notes,
        "grid": r.area.code,
        "area_name": r.area.name,
        "address": household.dwelling.address if household else "",
        "tags": "，".join(sorted(tags[t.token] for t in r.tag_rows.all() if t.token in tags)),
        **{f: table.get(getattr(r, f), getattr(r, f)) for f, table in labels.items()},
    }


def households_export(
    *, actor: User, within: Any = None, q: str | None = None, tag: str | None = None
) -> ExportFile:
    """The actor's household list (same filters and scope as the page) as one 户 sheet."""
    qs = selectors.household_list(actor=actor, within=within, q=q, tag=tag)
    columns = list(HOUSEHOLD_COLUMNS + HOUSEHOLD_EXPORT_EXTRA)
    rows = (_household_row(h) for h in qs.iterator(chunk_size=CHUNK))
    handle, count = _write(HOUSEHOLDS, columns, rows)
    filters = {"within": within, "q": q, "tag": tag}
    return _finish(handle, count, actor=actor, kind="household", masked=True, filters=filters)


def _household_row(h: Household) -> dict[str, Any]:
    d = h.dwelling
    return {
        "number": h.number,
        "grid": h.area.code,
        "address": d.address,
        "building": d.building,
        "unit": d.unit,
        "room": d.room,
        "notes": h.notes,
        "head_name": h.head.name if h.head else "",
        "area_name": h.area.name,
    }
