"""The columns of the ledger sheets: one definition for the template, the reader and the exports.

A ledger workbook has a household sheet (户) and a resident sheet (人); the template adds an
instructions sheet (说明), which the reader ignores, as it ignores the error column (错误) of an
error report, so a corrected report can be uploaded again. A single-table file (a .csv, or a
workbook with only the 人 sheet) may carry the household columns on each resident row instead.

Headers are part of the file format and stay Chinese in every interface language.
"""

from __future__ import annotations

import datetime
import enum
from dataclasses import dataclass

from django.db import models
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from grassroots.people.choices import Education, Employment, Politics, Relation, ResidentStatus, Sex
from grassroots.people.idnumber import MALE, make_id

HOUSEHOLDS = "户"
RESIDENTS = "人"
INSTRUCTIONS = "说明"
ERROR_HEADER = "错误"
DATA_SHEETS = (HOUSEHOLDS, RESIDENTS)
# Sheets the reader passes over without complaint.
IGNORED_SHEETS = frozenset({INSTRUCTIONS})


class Kind(enum.StrEnum):
    """How a column's cells are read and checked."""

    TEXT = "text"
    ID = "id"
    PHONE = "phone"
    DATE = "date"
    CHOICE = "choice"
    GRID = "grid"
    TAGS = "tags"


@dataclass(frozen=True)
class Column:
    """One column: its header, the field it fills, and how it is checked and written."""

    header: str
    field: str
    help: str | Promise
    example: str = ""
    required: bool = False
    kind: Kind = Kind.TEXT
    choices: type[models.TextChoices] | None = None
    max_length: int = 200
    # In the downloadable template (False: accepted on import, or only written by exports).
    in_template: bool = True
    # Read on import (False: written by exports only, ignored when a file comes back).
    importable: bool = True

    @property
    def as_text(self) -> bool:
        """Whether cells are written as text ("@"), so long digit strings stay digits."""
        return self.kind in (Kind.ID, Kind.PHONE, Kind.GRID) or self.field in (
            "number",
            "household",
        )


_EXAMPLE_ID = make_id("141126", datetime.date(1968, 5, 12), 17, MALE)

HOUSEHOLD_COLUMNS: tuple[Column, ...] = (
    Column(
        "户编号",
        "number",
        _("全县唯一的户编号；“人”表用它把居民归入本户"),
        "LQ-0001",
        True,
        max_length=40,
    ),
    Column(
        "网格代码",
        "grid",
        _("所在三级网格（微网格）的代码"),
        "1411261000010101001",
        True,
        Kind.GRID,
        max_length=24,
    ),
    Column(
        "地址", "address", _("房屋地址，同一网格内相同地址视为同一处房屋"), "灵泉镇东街12号", True
    ),
    Column("楼栋/村组", "building", _("楼栋号或村民小组"), "3号楼", max_length=40),
    Column("单元", "unit", _("单元号"), "2单元", max_length=20),
    Column("门牌/室", "room", _("门牌号或室号"), "301", max_length=20),
    Column("备注", "notes", _("本户备注"), "", max_length=500),
)

_HOUSE_ON_RESIDENT = _("单表导入（.csv 或只有“人”表）时可在居民行填写本户信息，同户各行须一致")

RESIDENT_COLUMNS: tuple[Column, ...] = (
    Column(
        "户编号",
        "household",
        _("所属户的户编号：“户”表中的，或系统中已登记的"),
        "LQ-0001",
        True,
        max_length=40,
    ),
    Column("姓名", "name", _("居民姓名"), "王建国", True, max_length=60),
    Column(
        "身份证号",
        "id_number",
        _("18位居民身份证号码；性别和出生日期由号码得出；请设为文本格式"),
        _EXAMPLE_ID,
        True,
        Kind.ID,
    ),
    Column(
        "与户主关系", "relation", _("每户有且只有一名“户主”"), "户主", True, Kind.CHOICE, Relation
    ),
    Column(
        "联系电话", "phone", _("11位手机号码，或带区号的固定电话"), "13800000000", kind=Kind.PHONE
    ),
    Column("民族", "ethnicity", _("不填为汉族"), "汉族", max_length=20),
    Column("文化程度", "education", _("可不填"), "初中", kind=Kind.CHOICE, choices=Education),
    Column("就业状况", "employment", _("可不填"), "务农", kind=Kind.CHOICE, choices=Employment),
    Column("职业", "occupation", _("可不填"), "农民", max_length=60),
    Column("政治面貌", "politics", _("不填为群众"), "群众", kind=Kind.CHOICE, choices=Politics),
    Column(
        "迁入日期",
        "started_on",
        _("入户日期，格式 2024-01-31；不填为导入当天"),
        "2024-01-31",
        kind=Kind.DATE,
    ),
    Column(
        "标签",
        "tags",
        _("人群标签的代码或名称，多个用逗号分隔；只增加，不删除已有标签"),
        "",
        kind=Kind.TAGS,
    ),
    Column("备注", "notes", _("居民备注"), "", max_length=500),
    Column(
        "网格代码", "grid", _HOUSE_ON_RESIDENT, "", kind=Kind.GRID, max_length=24, in_template=False
    ),
    Column("地址", "address", _HOUSE_ON_RESIDENT, "", in_template=False),
    Column("楼栋/村组", "building", _HOUSE_ON_RESIDENT, "", max_length=40, in_template=False),
    Column("单元", "unit", _HOUSE_ON_RESIDENT, "", max_length=20, in_template=False),
    Column("门牌/室", "room", _HOUSE_ON_RESIDENT, "", max_length=20, in_template=False),
    Column(
        "性别",
        "sex",
        _("导出专用，导入时忽略"),
        kind=Kind.CHOICE,
        choices=Sex,
        in_template=False,
        importable=False,
    ),
    Column("所在网格", "area_name", _("导出专用，导入时忽略"), in_template=False, importable=False),
    Column(
        "状态",
        "status",
        _("导出专用，导入时忽略"),
        kind=Kind.CHOICE,
        choices=ResidentStatus,
        in_template=False,
        importable=False,
    ),
)

HOUSEHOLD_EXPORT_EXTRA: tuple[Column, ...] = (
    Column("户主", "head_name", _("导出专用，导入时忽略"), in_template=False, importable=False),
    Column("所在网格", "area_name", _("导出专用，导入时忽略"), in_template=False, importable=False),
)

# The household fields a resident row may carry (single-table files).
HOUSE_FIELDS = ("grid", "address", "building", "unit", "room")

SHEET_COLUMNS: dict[str, tuple[Column, ...]] = {
    HOUSEHOLDS: HOUSEHOLD_COLUMNS + HOUSEHOLD_EXPORT_EXTRA,
    RESIDENTS: RESIDENT_COLUMNS,
}

# Words people write in ledgers for the same choice (户口簿 wording and short forms).
SYNONYMS: dict[str, dict[str, str]] = {
    "relation": {
        "本人": Relation.HEAD,
        "户主本人": Relation.HEAD,
        "妻": Relation.SPOUSE,
        "妻子": Relation.SPOUSE,
        "夫": Relation.SPOUSE,
        "丈夫": Relation.SPOUSE,
        "子": Relation.CHILD,
        "女": Relation.CHILD,
        "儿子": Relation.CHILD,
        "女儿": Relation.CHILD,
        "父亲": Relation.PARENT,
        "母亲": Relation.PARENT,
        "孙子": Relation.GRANDCHILD,
        "孙女": Relation.GRANDCHILD,
        "儿媳": Relation.IN_LAW,
        "女婿": Relation.IN_LAW,
    },
    "education": {
        "文盲": Education.NONE,
        "高中": Education.SENIOR,
        "中专": Education.SENIOR,
        "大学本科": Education.BACHELOR,
        "硕士": Education.POSTGRADUATE,
        "博士": Education.POSTGRADUATE,
    },
    "politics": {"党员": Politics.PARTY, "团员": Politics.LEAGUE},
}


def template_headers(columns: tuple[Column, ...]) -> list[str]:
    """The headers of a sheet of the downloadable template, in its order."""
    return [c.header for c in columns if c.in_template]


def chinese_labels(choices: type[models.TextChoices]) -> dict[str, str]:
    """value → Chinese label of every non-empty choice (the msgids are the Chinese labels)."""
    with translation.override("zh-hans"):
        return {str(v): str(label) for v, label in choices.choices if v}


def choice_lookup(column: Column) -> dict[str, str]:
    """Accepted cell text (Chinese label, stored value, or a common synonym) → stored value."""
    if column.choices is None:
        return {}
    table = {label: value for value, label in chinese_labels(column.choices).items()}
    table.update({str(v).lower(): str(v) for v in column.choices.values if v})
    table.update({k: str(v) for k, v in SYNONYMS.get(column.field, {}).items()})
    return table


def header_map(sheet: str) -> dict[str, Column]:
    """Header text (or field name) → column, for every column the reader knows on `sheet`."""
    known: dict[str, Column] = {}
    for column in SHEET_COLUMNS[sheet]:
        known[column.header] = column
        known.setdefault(column.field, column)
    return known
