"""The streaming .xlsx reader gives the values openpyxl's read-only mode gives (no database)."""

from __future__ import annotations

import datetime
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from grassroots.people.ledger.reader import _scan_sheet
from grassroots.people.ledger.xlsx import FORMULA, XlsxBook, XlsxError

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"


def openpyxl_rows(path: Path, title: str) -> list[tuple[int, list[Any]]]:
    """What the ledger reader used to read: read-only, data_only, values_only, non-empty rows."""
    wb = load_workbook(path, read_only=True, data_only=True)
    ws = wb[title]
    ws.reset_dimensions()
    rows = [
        (n, list(cells))
        for n, cells in enumerate(ws.iter_rows(values_only=True), start=1)
        if any(v is not None for v in cells)
    ]
    wb.close()
    return rows


def our_rows(path: Path, title: str, **kw: Any) -> list[tuple[int, list[Any]]]:
    book = XlsxBook(path)
    try:
        return [(n, c) for n, c in book.rows(title, **kw) if any(v is not None for v in c)]
    finally:
        book.close()


def test_a_workbook_saved_by_openpyxl_reads_the_same(tmp_path):
    # given: shared strings, numbers, dates and times, booleans, gaps, rich text, wide rows
    wb = Workbook()
    ws = wb.active
    ws.title = "人"
    ws.append(["户编号", "姓名", "身份证号", "迁入日期", "数"])
    ws.append(["B-1", "  王建国 ", "149901194101010009", datetime.date(2020, 1, 31), 3])
    ws.append([None, "李&lt;秀英>", 149901194101010009, datetime.datetime(2021, 2, 3, 4, 5), 2.5])
    ws["A6"] = True
    ws["C6"] = datetime.time(13, 30)
    ws["AB6"] = "远"
    ws["B7"] = CellRichText("王", TextBlock(InlineFont(b=True), "小明"))
    ws["D8"] = 1e20
    ws["E8"] = -0.1
    ws["A9"] = "=1+1"  # a formula without a cached value: None to openpyxl, FORMULA to us
    path = tmp_path / "wb.xlsx"
    wb.save(path)
    # then
    ours = our_rows(path, "人")
    assert ours[-1] == (9, [FORMULA])
    assert ours[:-1] == openpyxl_rows(path, "人")


def test_a_write_only_workbook_with_inline_strings_reads_the_same(tmp_path):
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("户")
    ws.append(["户编号", "网格代码", "地址"])
    for i in range(300):
        ws.append([f"B{i:04d}", "1411261000010101001", f"石楼小镇{i}号", None, "" if i % 2 else 7])
    path = tmp_path / "wo.xlsx"
    wb.save(path)
    assert our_rows(path, "户") == openpyxl_rows(path, "户")


def _package(tmp_path: Path, sheet: str, *, strings: str = "", styles: str = "", pr: str = ""):
    """A minimal workbook around one hand-written worksheet part."""
    path = tmp_path / "hand.xlsx"
    types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
        'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats'
        '-officedocument.spreadsheetml.sharedStrings+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.styles+xml"/></Types>'
    )
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", types)
        z.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" Target="xl/workbook.xml" '
            f'Type="{REL}/officeDocument"/></Relationships>',
        )
        z.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{MAIN}" xmlns:r="{REL}">{pr}<sheets>'
            '<sheet name="人" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{PKG}">'
            f'<Relationship Id="rId1" Target="/xl/worksheets/sheet1.xml" Type="{REL}/worksheet"/>'
            f'<Relationship Id="rId2" Target="sharedStrings.xml" Type="{REL}/sharedStrings"/>'
            f'<Relationship Id="rId3" Target="styles.xml" Type="{REL}/styles"/>'
            "</Relationships>",
        )
        z.writestr("xl/worksheets/sheet1.xml", sheet)
        z.writestr(
            "xl/sharedStrings.xml",
            f'<sst xmlns="{MAIN}">{strings or "<si><t>x</t></si>"}</sst>',
        )
        z.writestr(
            "xl/styles.xml",
            styles
            or f'<styleSheet xmlns="{MAIN}"><numFmts><numFmt numFmtId="164" formatCode="yyyy/m/d"/>'
            "</numFmts><fonts><font/></fonts><fills><fill><patternFill/></fill></fills>"
            "<borders><border/></borders>"
            '<cellStyleXfs><xf numFmtId="14" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            '<cellXfs><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="14"/>'
            '<xf numFmtId="46"/></cellXfs>'
            '<cellStyles><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
            "</styleSheet>",
        )
    return path


STRINGS = (
    "<si><t>甲</t></si>"
    '<si><r><t>王</t></r><r><rPr><b/></rPr><t xml:space="preserve"> 小明 </t></r>'
    '<rPh sb="0" eb="1"><t>ワン</t></rPh></si>'
    "<si><t>a_x005F_b</t></si>"
)


def test_hand_written_parts_read_the_same(tmp_path):
    # given: every cell type, formulas with cached values, entities, CDATA, missing references
    sheet = (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>'
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
        '<c r="C1" t="s"><v>2</v></c></row>'
        '<row r="3"><c r="A3" s="1"><v>45000</v></c><c r="B3" s="2"><v>45000.5</v></c>'
        '<c r="C3" s="3"><v>1.25</v></c><c r="D3"><v>1E3</v></c><c r="E3" t="b"><v>0</v></c>'
        "</row>"
        '<row r="4"><c r="A4" t="str"><f>A1&amp;"x"</f><v>甲x</v></c>'
        '<c r="B4" t="e"><f>1/0</f><v>#DIV/0!</v></c>'
        '<c r="C4"><f>1+1</f><v>2</v></c>'
        '<c r="D4" t="inlineStr"><is><t>&lt;&#x4E2D;&#22269;&amp;&quot;</t></is></c>'
        '<c r="E4" t="inlineStr"><is><t><![CDATA[<b>]]></t></is></c>'
        '<c r="F4" t="d"><v>2020-02-29T10:00:00</v></c></row>'
        '<row><c t="inlineStr"><is><t>no ref</t></is></c><c><v>7</v></c></row>'
        '<row r="9" spans="1:3"><c r="C9" s="1"/><c r="B9"><v>5</v></c></row>'
        "</sheetData></worksheet>"
    )
    path = _package(tmp_path, sheet, strings=STRINGS)
    assert our_rows(path, "人") == openpyxl_rows(path, "人")
    assert our_rows(path, "人")[0][1] == ["甲", "王 小明 ", "a_b"]


def test_a_prefixed_namespace_and_the_1904_calendar(tmp_path):
    sheet = (
        f'<x:worksheet xmlns:x="{MAIN}"><x:sheetData><x:row r="2">'
        '<x:c r="A2" s="1"><x:v>1</x:v></x:c><x:c r="B2" t="s"><x:v>0</x:v></x:c>'
        "</x:row></x:sheetData></x:worksheet>"
    )
    path = _package(tmp_path, sheet, pr='<workbookPr date1904="1"/>')
    assert our_rows(path, "人") == [(2, [datetime.datetime(1904, 1, 2), "x"])]


def test_rows_from_and_up_to(tmp_path):
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("人")
    for i in range(1, 50):
        ws.append([i])
    path = tmp_path / "r.xlsx"
    wb.save(path)
    assert our_rows(path, "人", max_row=1) == [(1, [1])]
    assert [n for n, _c in our_rows(path, "人", min_row=48)] == [48, 49]


@pytest.mark.parametrize(
    "sheet",
    [
        # an entity declaration ("billion laughs")
        '<!DOCTYPE w [<!ENTITY a "aaaa">]><worksheet><sheetData><row r="1"><c r="A1" '
        't="inlineStr"><is><t>&a;</t></is></c></row></sheetData></worksheet>',
        # not well-formed
        '<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></row></sheetData></worksheet>',
        # a column past XFD
        '<worksheet><sheetData><row r="1"><c r="XFE1"><v>1</v></c></row></sheetData></worksheet>',
        # a shared string that is not there
        '<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>9</v></c></row></sheetData>'
        "</worksheet>",
    ],
)
def test_bad_sheets_are_an_xlsx_error(tmp_path, sheet):
    path = _package(tmp_path, sheet)
    book = XlsxBook(path)
    with pytest.raises(XlsxError):
        list(book.rows("人"))
    book.close()


def test_the_scan_counts_rows_and_finds_merges_across_chunks(tmp_path, monkeypatch):
    # given: chunks so small that tags straddle them
    import grassroots.people.ledger.reader as reader

    monkeypatch.setattr(reader, "_CHUNK", 7)
    rows = "".join(f'<row r="{i}"><c r="A{i}"><v>{i}</v></c></row>' for i in range(1, 41))
    sheet = (
        f'<worksheet xmlns="{MAIN}"><sheetData>{rows}</sheetData><rowBreaks count="0"/>'
        '<mergeCells count="2"><mergeCell ref="A3:A4"/><mergeCell ref="B7:C7"/></mergeCells>'
        "</worksheet>"
    )
    path = _package(tmp_path, sheet)
    layout = reader.make_layout("人", "人", ["户编号", "姓名"], [])
    with zipfile.ZipFile(path) as zf:
        count, problems = _scan_sheet(zf, "xl/worksheets/sheet1.xml", layout, ["户编号", "姓名"])
    assert count == 40
    assert [(p.row, p.column) for p in problems] == [(3, "户编号"), (7, "姓名")]
