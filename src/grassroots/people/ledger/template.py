"""The downloadable import template: an instructions sheet (说明), then the 户 and 人 sheets.

The instructions explain every column: whether it is required, what it holds, the allowed values
(the choices' Chinese labels) and an example. The example row lives on the instructions sheet,
not on the data sheets, so a forgotten example is never imported. Choice columns carry a
drop-down list, and ID number, phone and code columns are formatted as text, so Excel does not
turn an 18-digit number into 1.10101E+17.
"""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from grassroots.core.xlsx_safe import TEXT_FORMAT
from grassroots.people.ledger.columns import (
    HOUSEHOLD_COLUMNS,
    HOUSEHOLDS,
    INSTRUCTIONS,
    RESIDENT_COLUMNS,
    RESIDENTS,
    Column,
    chinese_labels,
)

DATA_ROWS = 20000  # how far down drop-downs and text formats reach
_BOLD = Font(bold=True)
_REQUIRED = PatternFill("solid", fgColor="FDE68A")
_HEADER = PatternFill("solid", fgColor="E5E7EB")
_WRAP = Alignment(wrap_text=True, vertical="top")


def _allowed(column: Column) -> str:
    return "、".join(chinese_labels(column.choices).values()) if column.choices else ""


def _data_sheet(ws: Worksheet, columns: tuple[Column, ...]) -> None:
    for i, column in enumerate(columns, start=1):
        letter = get_column_letter(i)
        cell = ws.cell(row=1, column=i, value=column.header)
        cell.font = _BOLD
        cell.fill = _REQUIRED if column.required else _HEADER
        ws.column_dimensions[letter].width = 22 if column.as_text else 14
        if column.as_text:
            ws.column_dimensions[letter].number_format = TEXT_FORMAT
        if column.choices is not None:
            rule = DataValidation(
                type="list", formula1=f'"{",".join(chinese_labels(column.choices).values())}"'
            )
            rule.allow_blank = True
            rule.error = _("请从下拉列表中选择")
            ws.add_data_validation(rule)
            rule.add(f"{letter}2:{letter}{DATA_ROWS}")
    ws.freeze_panes = "A2"


def _instructions(ws: Worksheet) -> None:
    lines = [
        _("居民和户台账导入模板"),
        _(
            "1. “户”表每行一户，“人”表每行一人，第1行是列名，"
            "请不要修改列名、不要合并单元格、不要增加工作表。"
        ),
        _(
            "2. 黄色列名为必填项。每户有且只有一名“户主”；户编号把“"
            "人”表中的居民归入“户”表中的户（或系统中已登记的户）。"
        ),
        _(
            "3. 身份证号须为18位二代身份证号码（最后一位可以是X），"
            "请把该列设为“文本”格式；性别和出生日期由号码得出。"
        ),
        _(
            "4. 系统中已有的居民按身份证号匹配：内容相同的行不做改动，"
            "不同的先显示修改预览，确认后才写入；留空的选填项保持原值。"
        ),
        _(
            "5. 默认整个文件无误才导入；也可以选择“只导入无误的户”，"
            "有错误的行及其所在户的其他行将被跳过。"
        ),
        _(
            "6. 也可以上传 CSV 文件（UTF-8 或 GB18030 编码）：一个 CSV 只含一张表；"
            "单表导入居民时可在每行加上“网格代码”“地址”等本户信息列。"
        ),
        "",
    ]
    for text in lines:
        ws.append([text])
    ws["A1"].font = Font(bold=True, size=14)
    header = [_("工作表"), _("列名"), _("是否必填"), _("说明"), _("可选值"), _("示例")]
    ws.append(header)
    for cell in ws[ws.max_row]:
        cell.font, cell.fill = _BOLD, _HEADER
    for sheet, columns in ((HOUSEHOLDS, HOUSEHOLD_COLUMNS), (RESIDENTS, RESIDENT_COLUMNS)):
        for column in columns:
            if not column.importable:
                continue
            required = _("必填") if column.required else _("选填")
            ws.append(
                [sheet, column.header, required, str(column.help), _allowed(column), column.example]
            )
            for cell in ws[ws.max_row]:
                cell.alignment = _WRAP
                cell.number_format = TEXT_FORMAT
    for letter, width in zip("ABCDEF", (8, 14, 10, 48, 40, 22), strict=True):
        ws.column_dimensions[letter].width = width


def template_bytes() -> bytes:
    """The template workbook as the bytes of an .xlsx file."""
    wb = Workbook()
    guide = wb.create_sheet(INSTRUCTIONS)
    if wb.active is not None and wb.active is not guide:
        wb.remove(wb.active)
    _instructions(guide)
    _data_sheet(wb.create_sheet(HOUSEHOLDS), tuple(c for c in HOUSEHOLD_COLUMNS if c.in_template))
    _data_sheet(wb.create_sheet(RESIDENTS), tuple(c for c in RESIDENT_COLUMNS if c.in_template))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
