"""Reading a ledger's .xlsx back and comparing it with `recompute` (shared by the tests)."""

from __future__ import annotations

import datetime
import decimal
import io
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from grassroots.areas.models import Area
from grassroots.core.models import User
from grassroots.core.xlsx_safe import safe_cell
from grassroots.reports import services
from grassroots.reports.definition import definition_parse
from grassroots.reports.models import LedgerTemplate
from tests.reports.recompute import RECOMPUTE, UNKNOWN


def norm(value: Any) -> Any:
    """A value as openpyxl reads it back: a date as a midnight datetime, text formula-safe,
    blank for "" and None."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, datetime.date):
        return datetime.datetime.combine(value, datetime.time.min)
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, str):
        return safe_cell(value)
    return value


def check_ledger(code: str, area: Area, period: str, actor: User) -> int:
    """Export `code` for `area` and `period` as `actor`, read it back and compare every cell with
    the recomputation; returns the number of data rows."""
    template = LedgerTemplate.objects.get(code=code)
    definition = definition_parse(template.definition)
    content, _name, filled = services.ledger_export(
        actor=actor, template=template, area_pk=area.pk, period=period
    )
    ws = load_workbook(io.BytesIO(content)).worksheets[0]
    expected, expected_totals = RECOMPUTE[code](area, period)

    # the layout: title, merged two-row headers, labels with units
    assert ws["A1"].value == definition.title
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert "A3:A4" in merged and ws["A3"].value == "序号"
    i = 0
    cols = definition.columns
    while i < len(cols):
        letter = get_column_letter(i + 2)
        if not cols[i].group:
            assert f"{letter}3:{letter}4" in merged, (code, cols[i].label)
            i += 1
            continue
        j = i
        while j + 1 < len(cols) and cols[j + 1].group == cols[i].group:
            j += 1
        assert ws.cell(row=3, column=i + 2).value == cols[i].group
        if j > i:
            assert f"{letter}3:{get_column_letter(j + 2)}3" in merged, (code, cols[i].group)
        for k in range(i, j + 1):
            assert str(ws.cell(row=4, column=k + 2).value).startswith(cols[k].label)
        i = j + 1

    # every data cell: the recomputation, or blank where the column is unknowable
    unknown_cols = {k for k, c in enumerate(cols) if c.unknown}
    for n, row in enumerate(expected):
        r = 5 + n
        assert ws.cell(row=r, column=1).value == n + 1
        for k, want in enumerate(row):
            got = ws.cell(row=r, column=k + 2).value
            if want is UNKNOWN:
                assert k in unknown_cols and got is None, (code, r, k)
            else:
                assert k not in unknown_cols, (code, k)
                assert norm(got) == norm(want), (code, area.name, r, cols[k].label, got, want)
    after = 5 + len(expected)
    if definition.total and not expected:
        # an empty ledger still has its 合计 row: nothing counted
        assert ws.cell(row=after, column=1).value == "合计"
        got_totals = [ws.cell(row=after, column=k + 2).value for k in range(len(cols))]
        assert all(v in (0, None) for v in got_totals), (code, got_totals)
        after += 1
    if expected_totals:
        assert ws.cell(row=after, column=1).value == "合计"
        for k, want in enumerate(expected_totals):
            got = ws.cell(row=after, column=k + 2).value
            assert norm(got) == norm(want), (code, "合计", cols[k].label, got, want)
        after += 1
    assert all(ws.cell(row=after, column=c).value is None for c in range(1, len(cols) + 2))
    assert len(filled.rows) == len(expected)

    # the note names exactly the blank columns; the signature line is there
    texts = [str(c.value) for row in ws.iter_rows(min_row=after) for c in row if c.value]
    note = next(t for t in texts if t.startswith("说明"))
    assert note.count("“") == len(unknown_cols)
    for k in unknown_cols:
        assert f"“{cols[k].label}”（{cols[k].unknown}）" in note
    assert any(
        t.startswith(f"填报单位：{area.name}") and "负责人" in t and "日期" in t for t in texts
    )
    return len(expected)
