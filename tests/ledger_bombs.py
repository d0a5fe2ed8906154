"""Hostile workbooks for the import's memory bounds (issue 15, defect 1), written part by part
so that the test itself never holds a large part in memory."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
HEADERS = ("户编号", "姓名", "身份证号", "与户主关系")


def _rows(strings: int) -> Iterator[str]:
    """A 人 sheet: the header, then rows whose cells point at shared strings 4.. in turn."""
    yield f'<worksheet xmlns="{MAIN}"><sheetData><row r="1">'
    for col, i in zip("ABCD", range(4), strict=True):
        yield f'<c r="{col}1" t="s"><v>{i}</v></c>'
    yield "</row>"
    for n in range(2, 2 + min(strings // 4, 10_000)):
        cells = "".join(
            f'<c r="{col}{n}" t="s"><v>{4 + ((n - 2) * 4 + k) % max(strings - 4, 1)}</v></c>'
            for k, col in enumerate("ABCD")
        )
        yield f'<row r="{n}">{cells}</row>'
    yield "</sheetData></worksheet>"


def _strings(strings: int, text: str, distinct: bool) -> Iterator[str]:
    yield f'<sst xmlns="{MAIN}" count="{strings}" uniqueCount="{strings}">'
    for header in HEADERS:
        yield f"<si><t>{header}</t></si>"
    batch = []
    for i in range(strings - 4):
        batch.append(f"<si><t>{text}{i:09d}</t></si>" if distinct else f"<si><t>{text}</t></si>")
        if len(batch) == 10_000:
            yield "".join(batch)
            batch.clear()
    yield "".join(batch)
    yield "</sst>"


def workbook(path: Path, *, strings: int, text: str, distinct: bool, level: int = 6) -> Path:
    """An .xlsx with one 人 sheet and a shared-string table of `strings` items (`text`, each
    made distinct by a number when `distinct`), deflated at `level`."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        z.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="xml" ContentType="application/xml"/></Types>',
        )
        z.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
            '<sheet name="人" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{PKG}">'
            f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>",
        )
        for member, parts in (
            ("xl/sharedStrings.xml", _strings(strings, text, distinct)),
            ("xl/worksheets/sheet1.xml", _rows(strings)),
        ):
            with z.open(member, "w", force_zip64=True) as out:
                for part in parts:
                    out.write(part.encode())
    return path
