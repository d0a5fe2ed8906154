"""Many nodes at once: `area_import` checks a whole tree file's rows, then writes all or nothing."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from grassroots.areas.auditlog import AreaAuditAction as Action
from grassroots.areas.choices import DEPTH, Level, column_of
from grassroots.areas.errors import AreaErrorCode as E
from grassroots.areas.errors import AreaImportError
from grassroots.areas.models import Area
from grassroots.areas.scope import scope_for
from grassroots.areas.services.placement import apply_geometry, check_placement, fill_columns
from grassroots.core.audit import audit_record
from grassroots.core.errors import DomainError
from grassroots.core.models import User
from grassroots.core.roles import Perm


@dataclass
class AreaRow:
    """One node to import; `line` is its row or feature number in the source file."""

    line: int
    code: str
    name: str
    level: str
    parent_code: str | None
    polygon: Any = None
    centre: tuple[float, float] | None = None


@dataclass
class RowErrors:
    """Every problem found in an import, each with the row and field it is about."""

    items: list[dict[str, Any]] = field(default_factory=list)

    def add(self, line: int, field_name: str, message: str) -> None:
        self.items.append({"row": line, "field": field_name, "message": message})


def _chunks(values: Sequence[str], size: int = 900) -> Iterable[Sequence[str]]:
    for i in range(0, len(values), size):
        yield values[i : i + size]


def _existing(codes: Sequence[str]) -> dict[str, Area]:
    found: dict[str, Area] = {}
    for chunk in _chunks(codes):
        found.update({a.code: a for a in Area.objects.filter(code__in=chunk)})
    return found


def area_import(*, actor: User | None, rows: Sequence[AreaRow], batch_size: int = 2000) -> int:
    """Create many nodes at once, all or nothing; return how many were created.

    Parents may be earlier rows of the same import or existing nodes. Every row is checked first
    (level under parent, code shape, duplicates in the file and against the tree, unknown parent
    codes, parents outside the actor's scope, polygons); with any problem nothing is written and
    AreaImportError lists them all.
    """
    if actor is not None:
        scope_for(actor).require(Perm.MANAGE_AREAS)
    errors = RowErrors()
    in_file: dict[str, AreaRow] = {}
    for row in rows:
        row.code, row.name = row.code.strip(), row.name.strip()
        if row.code in in_file:
            errors.add(
                row.line,
                "code",
                f"duplicate code {row.code} (first on row {in_file[row.code].line})",
            )
            continue
        in_file[row.code] = row
    existing = _existing(list(in_file))
    for code, area in existing.items():
        errors.add(in_file[code].line, "code", f"code {code} already exists ({area.name})")
    outside = sorted(
        {r.parent_code for r in rows if r.parent_code and r.parent_code not in in_file}
    )
    parents = _existing(outside)
    if actor is not None:
        scope = scope_for(actor)
        for area in parents.values():
            if not scope.covers_area(Perm.MANAGE_AREAS, area):
                bad = [r for r in rows if r.parent_code == area.code]
                errors.add(bad[0].line, "parent_code", f"{area.code} is outside your scope")

    # Resolve each row's parent level and code, and check placement without touching the DB.
    prepared: list[tuple[AreaRow, Area]] = []
    for row in in_file.values():
        parent_level: str | None = None
        parent_code = row.parent_code or None
        if parent_code:
            if parent_code in in_file:
                parent_level = in_file[parent_code].level
            elif parent_code in parents:
                parent_level = parents[parent_code].level
            else:
                errors.add(row.line, "parent_code", f"unknown parent code {parent_code}")
                continue
        if not row.name:
            errors.add(row.line, "name", "name is empty")
        stub = Area(code=parent_code or "", level=parent_level or "") if parent_code else None
        try:
            check_placement(level=row.level, parent=stub, code=row.code)
            area = Area(code=row.code, name=row.name, level=row.level)
            if row.centre is not None:
                area.centre_lon, area.centre_lat = row.centre
            apply_geometry(area, row.polygon)
        except DomainError as exc:
            errors.add(row.line, str(exc.detail.get("field", "")), str(exc.message))
            continue
        prepared.append((row, area))
    if errors.items:
        raise AreaImportError(
            E.IMPORT_INVALID,
            _("导入文件有 %(n)d 处错误，未写入任何数据") % {"n": len(errors.items)},
            errors=errors.items[:500],
            error_count=len(errors.items),
        )

    by_code: dict[str, Area] = dict(parents)
    with transaction.atomic():
        for depth in range(1, 7):
            batch = [(r, a) for r, a in prepared if DEPTH[Level(a.level)] == depth]
            if not batch:
                continue
            for row, area in batch:
                parent = by_code.get(row.parent_code) if row.parent_code else None
                area.parent = parent
                fill_columns(area, parent)
            Area.objects.bulk_create([a for _r, a in batch], batch_size=batch_size)
            for level in {a.level for _r, a in batch}:
                col = column_of(level)
                Area.objects.filter(level=level, **{f"{col}__isnull": True}).update(
                    **{col: F("pk")}
                )
            for _row, area in batch:
                setattr(area, f"{area.column}_id", area.pk)
                by_code[area.code] = area
        audit_record(
            actor=actor,
            action=Action.AREA_IMPORT,
            object_type="area",
            changes={"created": len(prepared)},
        )
    return len(prepared)
