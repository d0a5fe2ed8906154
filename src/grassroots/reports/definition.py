"""A ledger template's definition: the data a county writes once, checked against the
catalogue before it is saved. Pure apart from the catalogue.

    {
      "title": "矛盾纠纷排查化解台账",          # the table's title line
      "rows": "disputes",                      # a row source of the catalogue
      "level": "grid3",                        # areas only: rows at this level ("" = children)
      "period": "month",                       # month | quarter | year | none
      "period_default": "previous",            # the period a page opens on: previous | current
      "filters": {"state": "settled"},         # the row source's filters, by value
      "unit_note": "单位：件、人",               # the units line under the title
      "total": true,                           # a 合计 row adding the number columns
      "columns": [
        {"source": "number", "label": "编号"},                  # label defaults to the catalogue's
        {"source": "found_on", "group": "排查情况"},           # consecutive equal groups merge
        {"label": "涉及金额（元）", "unknown": "平台不记录"}  # never filled: named below
      ],
      "signatures": ["填报单位", "负责人", "填报人", "日期"]
    }

A definition the platform cannot fill is refused with a `ReportError` whose detail names the
field ("columns[3].source"), never saved half-checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from grassroots.areas.choices import Level
from grassroots.reports.catalogue import Column, RowSource, source, sources
from grassroots.reports.choices import PeriodKind
from grassroots.reports.errors import ReportError
from grassroots.reports.errors import ReportErrorCode as E

KEYS = frozenset({"title", "rows", "level", "period", "filters", "unit_note", "total"})
KEYS |= {"columns", "signatures", "period_default"}
COLUMN_KEYS = frozenset({"source", "label", "group", "unknown"})
SIGNATURES = ["填报单位", "负责人", "填报人", "日期"]
MAX_COLUMNS = 40
MAX_TEXT = 200


@dataclass(frozen=True)
class ColumnDef:
    """One column of a template: a catalogue column (`source`), or one the platform cannot
    fill (`unknown`: why)."""

    label: str
    group: str
    source: str = ""
    unknown: str = ""
    unit: str = ""
    column: Column | None = None


@dataclass(frozen=True)
class Definition:
    title: str
    rows: RowSource
    level: str
    period: str
    period_default: str
    filters: dict[str, str]
    unit_note: str
    total: bool
    columns: tuple[ColumnDef, ...]
    signatures: tuple[str, ...]

    @property
    def perms(self) -> frozenset[str]:
        """Every permission a fill needs: the row source's and its columns'."""
        extra = {c.column.perm for c in self.columns if c.column is not None and c.column.perm}
        return frozenset({self.rows.perm, *extra})


def _refuse(field: str, message: str) -> ReportError:
    return ReportError(E.INVALID_DEFINITION, message, field=field)


def _text(data: dict[str, Any], key: str, field: str, *, required: bool = False) -> str:
    value = data.get(key, "")
    if not isinstance(value, str):
        raise _refuse(field, _("%(f)s 应为文字") % {"f": field})
    value = value.strip()
    if required and not value:
        raise _refuse(field, _("%(f)s 不能为空") % {"f": field})
    if len(value) > MAX_TEXT:
        raise _refuse(field, _("%(f)s 超过 %(n)s 字") % {"f": field, "n": MAX_TEXT})
    return value


def _column(i: int, raw: Any, rows: RowSource) -> ColumnDef:
    field = f"columns[{i}]"
    if not isinstance(raw, dict):
        raise _refuse(field, _("%(f)s 应为一个对象") % {"f": field})
    extra = sorted(set(raw) - COLUMN_KEYS)
    if extra:
        raise _refuse(f"{field}.{extra[0]}", _("%(f)s 不是列的属性") % {"f": f"{field}.{extra[0]}"})
    group = _text(raw, "group", f"{field}.group")
    if "unknown" in raw:
        if "source" in raw:
            raise _refuse(f"{field}.source", _("%(f)s：无法填写的列不能指定来源") % {"f": field})
        label = _text(raw, "label", f"{field}.label", required=True)
        reason = _text(raw, "unknown", f"{field}.unknown", required=True)
        return ColumnDef(label=label, group=group, unknown=reason)
    name = _text(raw, "source", f"{field}.source", required=True)
    column = rows.columns.get(name)
    if column is None:
        raise _refuse(
            f"{field}.source",
            _("%(f)s：行来源“%(r)s”没有列“%(c)s”")
            % {"f": f"{field}.source", "r": rows.name, "c": name[:60]},
        )
    label = _text(raw, "label", f"{field}.label") or str(column.label)
    return ColumnDef(label=label, group=group, source=name, unit=str(column.unit), column=column)


def definition_parse(data: Any) -> Definition:
    """The checked definition, or ReportError naming the first wrong field."""
    if not isinstance(data, dict):
        raise _refuse("definition", _("模板定义应为一个对象"))
    extra = sorted(set(data) - KEYS)
    if extra:
        raise _refuse(extra[0], _("%(f)s 不是模板定义的属性") % {"f": extra[0]})
    title = _text(data, "title", "title", required=True)
    name = _text(data, "rows", "rows", required=True)
    rows = source(name)
    if rows is None:
        known = "、".join(sorted(sources()))
        raise _refuse(
            "rows", _("行来源“%(r)s”不存在（可选：%(k)s）") % {"r": name[:60], "k": known}
        )
    level = _text(data, "level", "level")
    if level and (not rows.areas or level not in Level.values):
        raise _refuse("level", _("level 只用于按区域的台账，且须是区划层级"))
    period = _text(data, "period", "period", required=True)
    if period not in PeriodKind.values:
        raise _refuse("period", _("period 应为 month、quarter、year 或 none"))
    if period != PeriodKind.NONE and not rows.period_field:
        raise _refuse("period", _("行来源“%(r)s”不分期，period 应为 none") % {"r": rows.name})
    period_default = _text(data, "period_default", "period_default") or "previous"
    if period_default not in ("previous", "current"):
        raise _refuse("period_default", _("period_default 应为 previous 或 current"))
    filters = _filters(data.get("filters", {}), rows)
    raw_columns = data.get("columns")
    if not isinstance(raw_columns, list) or not raw_columns:
        raise _refuse("columns", _("columns 应为至少一列的列表"))
    if len(raw_columns) > MAX_COLUMNS:
        raise _refuse("columns", _("columns 不能超过 %(n)s 列") % {"n": MAX_COLUMNS})
    columns = tuple(_column(i, raw, rows) for i, raw in enumerate(raw_columns))
    total = data.get("total", False)
    if not isinstance(total, bool):
        raise _refuse("total", _("total 应为 true 或 false"))
    signatures = data.get("signatures", SIGNATURES)
    if not isinstance(signatures, list) or not all(
        isinstance(s, str) and 0 < len(s) <= 20 for s in signatures
    ):
        raise _refuse("signatures", _("signatures 应为文字列表（每项不超过 20 字）"))
    return Definition(
        title=title,
        rows=rows,
        level=level,
        period=period,
        period_default=period_default,
        filters=filters,
        unit_note=_text(data, "unit_note", "unit_note"),
        total=total,
        columns=columns,
        signatures=tuple(signatures),
    )


def _filters(raw: Any, rows: RowSource) -> dict[str, str]:
    if not isinstance(raw, dict):
        raise _refuse("filters", _("filters 应为一个对象"))
    out: dict[str, str] = {}
    for key, value in raw.items():
        field = f"filters.{key}"
        flt = rows.filters.get(key)
        if flt is None:
            raise _refuse(field, _("%(f)s：行来源“%(r)s”没有此筛选") % {"f": field, "r": rows.name})
        if not isinstance(value, str) or value not in flt.choices:
            raise _refuse(field, _("%(f)s 的值无效：%(v)s") % {"f": field, "v": str(value)[:40]})
        out[key] = value
    return out
