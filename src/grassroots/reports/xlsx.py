"""A filled ledger as .xlsx in the superior's layout: the title, the period and units line,
two header rows (a group spans its columns, merged; a column without a group spans both
rows), one row per record, the 合计 row, a note naming every column left blank and why, and the
signature line (填报单位, 负责人, 填报人, 日期).

Values, not formulas: the test reads back exactly what the page shows. Every text cell is
formula-safe and code-like columns (case numbers, household numbers) are written as text
(`core.xlsx_safe`, SECURITY.md 13).
"""

from __future__ import annotations

import datetime
import decimal
import io
import re

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from grassroots.core.xlsx_safe import safe_cell, text_cell
from grassroots.reports.fill import Cell, Filled

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TITLE_ROW, INFO_ROW, GROUP_ROW, LABEL_ROW = 1, 2, 3, 4
FIRST_DATA_ROW = 5
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
UNKNOWN_FILL = PatternFill("solid", fgColor="EEEEEE")


def column_heading(label: str, unit: str) -> str:
    """A column's header text: its label, and its unit in brackets when it has one."""
    return f"{label}（{unit}）" if unit and unit != "%" else (f"{label}（%）" if unit else label)


def _put(ws: Worksheet, row: int, col: int, cell: Cell) -> None:
    value = cell.value
    target = ws.cell(row=row, column=col)
    if value is None:
        pass
    elif cell.text:
        text = text_cell(str(value))
        target.value, target.number_format = text.value, text.number_format
    elif isinstance(value, bool):
        target.value = _("是") if value else _("否")
    elif isinstance(value, int | float):
        target.value = value
    elif isinstance(value, decimal.Decimal):
        target.value = float(value)
    elif isinstance(value, datetime.datetime):
        target.value = timezone.localtime(value).replace(tzinfo=None)
        target.number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(value, datetime.date):
        target.value = value
        target.number_format = "yyyy-mm-dd"
    else:
        target.value = safe_cell(str(value))
    target.border = BOX
    if cell.unknown:
        target.fill = UNKNOWN_FILL


def _headers(ws: Worksheet, filled: Filled) -> None:
    ws.cell(row=GROUP_ROW, column=1, value=_("序号"))
    ws.merge_cells(start_row=GROUP_ROW, start_column=1, end_row=LABEL_ROW, end_column=1)
    cols = filled.columns
    i = 0
    while i < len(cols):
        col = cols[i]
        at = i + 2
        if not col.group:
            ws.cell(row=GROUP_ROW, column=at, value=safe_cell(column_heading(col.label, col.unit)))
            ws.merge_cells(start_row=GROUP_ROW, start_column=at, end_row=LABEL_ROW, end_column=at)
            i += 1
            continue
        j = i
        while j + 1 < len(cols) and cols[j + 1].group == col.group:
            j += 1
        ws.cell(row=GROUP_ROW, column=at, value=safe_cell(col.group))
        if j > i:
            ws.merge_cells(
                start_row=GROUP_ROW, start_column=at, end_row=GROUP_ROW, end_column=j + 2
            )
        for k in range(i, j + 1):
            ws.cell(
                row=LABEL_ROW,
                column=k + 2,
                value=safe_cell(column_heading(cols[k].label, cols[k].unit)),
            )
        i = j + 1
    for r in (GROUP_ROW, LABEL_ROW):
        for c in range(1, len(cols) + 2):
            cell = ws.cell(row=r, column=c)
            cell.font, cell.alignment, cell.border = Font(bold=True), CENTRE, BOX


def signature_line(filled: Filled) -> str:
    """The signature line: 填报单位 is the filled area; the others are left to sign."""
    parts = []
    for label in filled.definition.signatures:
        value = filled.area.name if label == "填报单位" else "＿＿＿＿＿＿"
        parts.append(f"{label}：{value}")
    return "　　".join(parts)


def unknown_note(filled: Filled) -> str:
    """The note naming every column the platform cannot fill ("" when there is none)."""
    if not filled.unknown:
        return ""
    named = "；".join(f"“{c.label}”（{c.unknown}）" for c in filled.unknown)
    return _("说明：以下各列平台无法从记录得出，已留空待填报单位核实：%(c)s") % {"c": named}


def ledger_xlsx(filled: Filled) -> bytes:
    """The workbook's bytes (see the module docstring for the layout)."""
    wb = Workbook()
    ws = wb.worksheets[0]
    ws.title = re.sub(r"[\\/*?:\[\]'=+@-]", "", filled.definition.title)[:31] or "台账"
    width = len(filled.columns) + 1
    ws.cell(row=TITLE_ROW, column=1, value=safe_cell(filled.definition.title))
    ws.merge_cells(start_row=TITLE_ROW, start_column=1, end_row=TITLE_ROW, end_column=width)
    ws.cell(row=TITLE_ROW, column=1).font = Font(bold=True, size=16)
    ws.cell(row=TITLE_ROW, column=1).alignment = CENTRE
    info = _("填报单位：%(a)s　　报表期：%(p)s") % {
        "a": filled.area.name,
        "p": filled.period.label(),
    }
    if filled.definition.unit_note:
        info += "　　" + filled.definition.unit_note
    ws.cell(row=INFO_ROW, column=1, value=safe_cell(info))
    ws.merge_cells(start_row=INFO_ROW, start_column=1, end_row=INFO_ROW, end_column=width)
    _headers(ws, filled)
    r = FIRST_DATA_ROW
    for n, row in enumerate(filled.rows, start=1):
        _put(ws, r, 1, Cell(n))
        for c, cell in enumerate(row.cells, start=2):
            _put(ws, r, c, cell)
        r += 1
    if filled.totals is not None:
        _put(ws, r, 1, Cell(_("合计")))
        for c, cell in enumerate(filled.totals, start=2):
            _put(ws, r, c, cell)
        r += 1
    r += 1
    for line in (
        unknown_note(filled),
        _("数据来源：平台业务记录自动生成，未经手工录入；生成时间 %(g)s，数据截至 %(c)s。")
        % {
            "g": f"{timezone.localtime(filled.generated_at):%Y-%m-%d %H:%M}",
            "c": f"{timezone.localtime(filled.clock):%Y-%m-%d %H:%M}",
        },
        signature_line(filled),
    ):
        if not line:
            continue
        ws.cell(row=r, column=1, value=safe_cell(line))
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
        ws.cell(row=r, column=1).alignment = Alignment(wrap_text=True, vertical="top")
        r += 1
    ws.column_dimensions["A"].width = 6
    for c in range(2, width + 1):
        ws.column_dimensions[get_column_letter(c)].width = 14
    ws.freeze_panes = ws.cell(row=FIRST_DATA_ROW, column=2)
    ws.print_title_rows = f"{GROUP_ROW}:{LABEL_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
