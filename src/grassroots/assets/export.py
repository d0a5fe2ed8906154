"""The clean-up ledger (清化收台账) as .xlsx, in the layout a township economic-management
station (经管站) keeps.

One row per problem found, grouped by township and village: village, asset, type (asset kind and
land type), area in mu, problem type and problem, status, the actions taken (dated), mu and yuan
involved and recovered; after each village a 小计 row and after each township a 合计 row, each
column of which is the sum of that village's or township's problem rows; a 总计 row for all.
Values, not formulas, so any reader (and the test) sees the same numbers; every text cell
formula-safe (SECURITY.md 13). Scoped like the assets pages (VIEW_ASSETS over the problem's
village) and audited with the file's SHA-256.
"""

from __future__ import annotations

import hashlib
import io
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from grassroots.areas.models import Area
from grassroots.assets import selectors
from grassroots.assets.auditlog import AssetAuditAction as A
from grassroots.assets.choices import AssetKind, LandType, ProblemKind, Status
from grassroots.core.audit import audit_record
from grassroots.core.models import User
from grassroots.core.xlsx_safe import safe_cell

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADERS = [
    "序号",
    "乡镇",
    "村（社区）",
    "资产名称",
    "资产类型",
    "涉及面积（亩）",
    "问题类型",
    "问题",
    "状态",
    "清理措施",
    "涉及金额（元）",
    "收回面积（亩）",
    "收回金额（元）",
]
# the numeric columns (0-based in HEADERS) that the 小计 / 合计 / 总计 rows add up
SUMMED = (5, 10, 11, 12)
LABELS = {
    "kind": dict(AssetKind.choices),
    "land": dict(LandType.choices),
    "problem": dict(ProblemKind.choices),
    "status": dict(Status.choices),
}


def _asset_type(problem: Any) -> str:
    asset = problem.asset
    if asset is None:
        return ""
    kind = str(LABELS["kind"].get(asset.kind, asset.kind))
    if asset.land_type:
        return f"{kind}（{LABELS['land'].get(asset.land_type, asset.land_type)}）"
    return kind


def _actions(problem: Any) -> str:
    return "；".join(f"{a.taken_on:%Y-%m-%d} {a.description}" for a in problem.actions.all())


def _total(label: str, rows: list[list[Any]]) -> list[Any]:
    out: list[Any] = [label] + [""] * (len(HEADERS) - 1)
    for col in SUMMED:
        out[col] = sum(r[col] for r in rows)
    return out


def ledger_rows(*, actor: User, within: Any = None) -> list[tuple[str, list[Any]]]:
    """The ledger's rows in order, each tagged "row", "village", "township" or "total"."""
    problems = (
        selectors.problem_list(actor=actor, within=within)
        .prefetch_related("actions")
        .order_by("township", "area__code", "found_on", "id")
    )
    names = dict(Area.objects.filter(level="township").values_list("pk", "name"))
    out: list[tuple[str, list[Any]]] = []
    every: list[list[Any]] = []
    town_rows: list[list[Any]] = []
    village_rows: list[list[Any]] = []
    town = village = None

    def close_village() -> None:
        if village_rows:
            out.append(("village", _total(f"{village_rows[0][2]} 小计", village_rows)))
            village_rows.clear()

    def close_town() -> None:
        close_village()
        if town_rows:
            out.append(("township", _total(f"{town_rows[0][1]} 合计", town_rows)))
            town_rows.clear()

    for n, p in enumerate(problems, start=1):
        if p.township != town:
            close_town()
        elif p.area_id != village:
            close_village()
        town, village = p.township, p.area_id
        row = [
            n,
            names.get(p.township or 0, ""),
            p.area.name,
            p.asset.name if p.asset else "",
            _asset_type(p),
            p.area_mu,
            str(LABELS["problem"].get(p.kind, p.kind)),
            p.title,
            str(LABELS["status"].get(p.status, p.status)),
            _actions(p),
            p.amount_yuan,
            p.recovered_mu,
            p.recovered_yuan,
        ]
        out.append(("row", row))
        for bucket in (every, town_rows, village_rows):
            bucket.append(row)
    close_town()
    out.append(("total", _total("总计", every)))
    return out


def ledger_xlsx(*, actor: User, area: Area) -> tuple[bytes, str]:
    """The ledger of `area`'s subtree (an area in the actor's scope): the workbook's bytes and
    its file name; audited with the file's SHA-256."""
    rows = ledger_rows(actor=actor, within=area.pk)
    wb = Workbook()
    ws = wb.active
    ws.title = "清化收台账"
    ws.append([safe_cell(f"{area.name}村集体资产清化收台账")])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    today = timezone.localdate()
    ws.append([safe_cell(f"填报单位：{area.name}"), *[""] * 8, f"截至：{today:%Y-%m-%d}"])
    ws.append(HEADERS)
    for kind, row in rows:
        ws.append([safe_cell(v) if isinstance(v, str) else v for v in row])
        if kind != "row":
            for cell in ws[ws.max_row]:
                cell.font = Font(bold=True)
    ws.append([])
    ws.append(["填表人：", "", "", "审核人：", "", "", "经管站负责人：", "", "", "日期："])
    for col, width in (("C", 12), ("D", 16), ("H", 30), ("J", 40)):
        ws.column_dimensions[col].width = width
    buffer = io.BytesIO()
    wb.save(buffer)
    content = buffer.getvalue()
    problems = sum(1 for kind, _r in rows if kind == "row")
    audit_record(
        actor=actor,
        action=A.LEDGER_EXPORT,
        object_type="area",
        object_id=area.pk,
        changes={"sha256": hashlib.sha256(content).hexdigest(), "rows": problems},
    )
    return content, f"assets-ledger-{area.code}-{today:%Y%m%d}.xlsx"
