"""A pay sheet as .xlsx, in the layout a township finance office keeps (发放表).

One row per cadre: post, tenure, then each part of the pay in its own column (post base,
tenure step, 一肩挑 allowance, performance, rewards, penalties, corrections), the amount due
(应发合计) and the notes; a totals row whose every column is the sum of the rows above; the
signature line. Values, not formulas, so any reader (and the test) sees the same numbers; every
text cell formula-safe (SECURITY.md 13). The export is audited with the file's hash.
"""

from __future__ import annotations

import hashlib
import io
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from grassroots.cadres.auditlog import CadreAuditAction as A
from grassroots.cadres.models import PaySheet
from grassroots.cadres.selectors import sheet_lines
from grassroots.core.audit import audit_record
from grassroots.core.models import User
from grassroots.core.xlsx_safe import safe_cell

POST_NAMES = {"secretary": "书记", "director": "主任", "member": "委员", "reserve": "后备干部"}
# (header, the explanation part or line kind summed into the column)
MONEY = [
    ("岗位基本报酬", "post_base"),
    ("任职年限补贴", "tenure_step"),
    ("一肩挑补贴", "both_posts"),
    ("绩效报酬", "performance"),
    ("奖励", "reward"),
    ("扣减", "penalty"),
    ("更正", "correction"),
]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADERS = ["序号", "姓名", "职务", *[h for h, _k in MONEY], "应发合计", "备注"]


def _columns(line_kind: str, explanation: dict, amount: Decimal) -> dict[str, Decimal]:
    """The line's amount split over the sheet's money columns (exactly its amount)."""
    out: dict[str, Decimal] = defaultdict(Decimal)
    if line_kind in ("reward", "penalty", "correction"):
        out[line_kind] += amount
        return out
    for part in explanation.get("parts", []):
        label = part["label"]
        # performance floors (never below zero) sit with the penalties they offset
        key = "penalty" if label == "floor" else label
        out[key] += Decimal(part["amount"])
    return out


@dataclass
class _Row:
    name: str
    post: str = ""
    money: defaultdict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    notes: list[str] = field(default_factory=list)


def sheet_rows(sheet: PaySheet) -> tuple[list[list[object]], list[Decimal]]:
    """The sheet's rows (one per cadre) and the totals of its money columns and 应发合计."""
    per: dict[int, _Row] = {}
    for line in sheet_lines(sheet=sheet):
        row = per.setdefault(line.cadre_id, _Row(line.cadre.resident.name))
        for key, value in _columns(line.kind, line.explanation, line.amount).items():
            row.money[key] += value
        row.money["due"] += line.amount
        if line.reason:
            row.notes.append(f"{line.reason}（{line.approver}）")
        if line.kind == "base":
            row.post = _post(line.explanation)
    rows: list[list[object]] = []
    totals = [Decimal(0)] * (len(MONEY) + 1)
    for n, row in enumerate(per.values(), start=1):
        values = [row.money[k] for _h, k in MONEY] + [row.money["due"]]
        totals = [a + b for a, b in zip(totals, values, strict=True)]
        rows.append([n, row.name, row.post, *values, "；".join(row.notes)])
    return rows, totals


def _post(explanation: dict) -> str:
    for part in explanation.get("parts", []):
        if part["label"] == "post_base":
            post = part["note"].rsplit("(", 1)[-1].rstrip(")")
            both = any(p["label"] == "both_posts" for p in explanation["parts"])
            return POST_NAMES.get(post, post) + ("（一肩挑）" if both else "")
    return ""


def sheet_xlsx(*, actor: User | None, sheet: PaySheet) -> tuple[bytes, str]:
    """The workbook's bytes and its file name; audited with the file's SHA-256."""
    period = f"{sheet.year}年{sheet.month}月" if sheet.month else f"{sheet.year}年度"
    kind = "基本报酬" if sheet.month else "绩效报酬"
    title = f"{sheet.area.name}{period}村干部{kind}发放表"
    wb = Workbook()
    ws = wb.create_sheet("发放表", 0)
    wb.remove(wb.worksheets[1])
    ws.title = "发放表"
    ws.append([safe_cell(title)])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    state = "已确认" if sheet.state == "confirmed" else "草稿"
    ws.append(
        [
            safe_cell(f"单位：{sheet.area.name}"),
            "",
            "",
            "",
            "",
            f"状态：{state}",
            "",
            "",
            "",
            "单位：元",
        ]
    )
    ws.append(HEADERS)
    rows, totals = sheet_rows(sheet)
    for row in rows:
        ws.append([safe_cell(v) if isinstance(v, str) else v for v in row])
    ws.append(["合计", "", "", *totals, ""])
    for r in ws.iter_rows(min_row=4, min_col=4, max_col=3 + len(totals)):
        for cell in r:
            cell.number_format = "#,##0.00"
    ws.append([])
    ws.append(["制表人：", "", "", "审核人：", "", "", "单位负责人：", "", "", "日期："])
    ws.column_dimensions["B"].width = 12
    buffer = io.BytesIO()
    wb.save(buffer)
    content = buffer.getvalue()
    audit_record(
        actor=actor,
        action=A.SHEET_EXPORT,
        object_type="pay_sheet",
        object_id=sheet.pk,
        changes={"sha256": hashlib.sha256(content).hexdigest(), "rows": len(rows)},
    )
    name = f"pay-sheet-{sheet.area.code}-{sheet.year}-{sheet.month or 'year'}.xlsx"
    return content, name
