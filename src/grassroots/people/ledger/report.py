"""The error report: the uploaded sheets again, every row where it was, with an 错误 column.

Rows keep their row numbers (empty rows stay empty), so "第 12 行" means the same row in the
upload and in the report, and a corrected report can be uploaded again (the reader ignores the
错误 column). Cells are written formula-safe, and ID numbers and phones as text (SECURITY.md 13).
Streams both ways: openpyxl read-only in, write-only out.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from grassroots.core.xlsx_safe import TEXT_FORMAT, safe_cell
from grassroots.people.ledger.columns import ERROR_HEADER
from grassroots.people.ledger.layout import LedgerFile, Problem
from grassroots.people.ledger.reader import iter_rows

_BOLD = Font(bold=True)
_RED = Font(color="B91C1C")
_PINK = PatternFill("solid", fgColor="FEE2E2")


def error_text(problems: list[Problem]) -> str:
    """The 错误 cell of one row: "列名：问题" for each problem, separated by "；"."""
    return "；".join(f"{p.column}：{p.message}" if p.column else p.message for p in problems)


def write_report(
    ledger: LedgerFile, problems: dict[tuple[str, int], list[Problem]], dest: Path
) -> None:
    """Write the report of `ledger` with `problems` (keyed by sheet and row) to `dest`."""
    wb = Workbook(write_only=True)
    sheets = {}
    for sheet, layout in ledger.layouts.items():
        ws = wb.create_sheet(sheet)
        ws.freeze_panes = "A2"
        width = len(layout.positions) + 1
        for i in range(1, width + 1):
            ws.column_dimensions[get_column_letter(i)].width = 20 if i < width else 60
        ws.auto_filter.ref = f"A1:{get_column_letter(width)}1"
        header = [WriteOnlyCell(ws, value=c.header) for _i, c in layout.positions]
        header.append(WriteOnlyCell(ws, value=ERROR_HEADER))
        for cell in header:
            cell.font = _BOLD
        ws.append(header)
        sheets[sheet] = (ws, layout, [2])
    for raw in iter_rows(ledger):
        ws, layout, next_row = sheets[raw.sheet]
        while next_row[0] < raw.row:
            ws.append([])
            next_row[0] += 1
        cells = []
        for _i, column in layout.positions:
            cell = WriteOnlyCell(ws, value=safe_cell(raw.values.get(column.field, "")))
            if column.as_text:
                cell.number_format = TEXT_FORMAT
            cells.append(cell)
        found = problems.get((raw.sheet, raw.row))
        if found:
            error = WriteOnlyCell(ws, value=safe_cell(error_text(found)))
            error.font, error.fill = _RED, _PINK
            cells.append(error)
        ws.append(cells)
        next_row[0] += 1
    wb.save(dest)
    dest.chmod(0o600)  # it holds the uploaded rows, identifiers included
