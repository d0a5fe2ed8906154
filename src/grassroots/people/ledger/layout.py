"""The shapes a ledger file is read into: located problems, sheet layouts, raw rows.

`make_layout` checks a sheet's header row against the known columns (`columns`); `raw_row`
turns one row of cells into stripped text per field. Pure, apart from the translations.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from grassroots.core.text import clean_text
from grassroots.people.errors import PeopleError
from grassroots.people.ledger.columns import ERROR_HEADER, SHEET_COLUMNS, Column, header_map


@dataclass(frozen=True, slots=True)
class Problem:
    """One located problem: sheet, row (1 = the header; 0 = the file), column header, message."""

    sheet: str
    row: int
    column: str
    field: str
    code: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "field": self.field,
            "code": self.code,
            "message": self.message,
        }


class LedgerFileError(PeopleError):
    """The file cannot be read as a ledger; `detail["errors"]` lists located problems."""

    def __init__(self, problems: list[Problem]) -> None:
        first = problems[0]
        super().__init__(first.code, first.message, errors=[p.as_dict() for p in problems])
        self.problems = problems


def file_problem(code: str, message: str) -> LedgerFileError:
    return LedgerFileError([Problem("", 0, "", "file", code, message)])


@dataclass(slots=True)
class RawRow:
    """One non-empty data row: field → stripped cell text; `numeric`: cells that held numbers."""

    sheet: str
    row: int
    values: dict[str, str]
    numeric: frozenset[str] = frozenset()


@dataclass
class Layout:
    """One data sheet: its title in the file and which column position fills which field."""

    sheet: str
    title: str
    positions: list[tuple[int, Column]]

    @property
    def fields(self) -> set[str]:
        return {c.field for _i, c in self.positions}


@dataclass
class LedgerFile:
    """A file that passed the structural checks."""

    path: Path
    kind: str  # "xlsx" or "csv"
    layouts: dict[str, Layout]  # in reading order: 户 before 人
    encoding: str = ""
    delimiter: str = ","
    row_estimate: int | None = None
    problems: list[Problem] = field(default_factory=list)
    # The open read-only workbook (loaded once: loading scans every sheet for its size).
    workbook: Any = None

    def close(self) -> None:
        """Release the workbook; call when done with the rows."""
        if self.workbook is not None:
            self.workbook.close()
            self.workbook = None


def make_layout(sheet: str, title: str, headers: list[str], problems: list[Problem]) -> Layout:
    known = header_map(sheet)
    positions: list[tuple[int, Column]] = []
    seen: dict[str, str] = {}
    for index, text in enumerate(headers):
        name = text.rstrip("*＊").strip()
        if not name or name == ERROR_HEADER:
            continue
        column = known.get(name)
        if column is None:
            problems.append(
                Problem(
                    sheet,
                    1,
                    text,
                    "",
                    "unknown_column",
                    _("未知列“%(name)s”：请使用导入模板中的列名") % {"name": text},
                )
            )
            continue
        if column.field in seen:
            problems.append(
                Problem(
                    sheet,
                    1,
                    text,
                    column.field,
                    "duplicate_column",
                    _("列“%(name)s”重复出现") % {"name": text},
                )
            )
            continue
        seen[column.field] = text
        if column.importable:
            positions.append((index, column))
    for column in SHEET_COLUMNS[sheet]:
        if column.required and column.field not in seen:
            problems.append(
                Problem(
                    sheet,
                    1,
                    column.header,
                    column.field,
                    "missing_column",
                    _("第1行应为列名，缺少必填列“%(name)s”") % {"name": column.header},
                )
            )
    return Layout(sheet=sheet, title=title, positions=positions)


_NONE: frozenset[str] = frozenset()


def cell_text(value: object) -> tuple[str, bool]:
    """A cell as cleaned, stripped text (`core.text.clean_text`), and whether it held a number
    (dates become ISO dates)."""
    if value is None:
        return "", False
    if isinstance(value, str):
        return clean_text(value).strip(), False
    if isinstance(value, bool):
        return ("TRUE" if value else "FALSE"), False
    if isinstance(value, int):
        return str(value), True
    if isinstance(value, float):
        return (str(int(value)) if value.is_integer() else repr(value)), True
    if isinstance(value, datetime.datetime):
        return value.date().isoformat(), False
    if isinstance(value, datetime.date):
        return value.isoformat(), False
    return str(value).strip(), False


def raw_row(
    sheet: str, row: int, cells: tuple[Any, ...] | list[Any], layout: Layout
) -> RawRow | None:
    values: dict[str, str] = {}
    numeric: list[str] = []
    width = len(cells)
    for index, column in layout.positions:
        if index < width:
            text, is_number = cell_text(cells[index])
            values[column.field] = text
            if is_number:
                numeric.append(column.field)
        else:
            values[column.field] = ""
    if not any(values.values()):
        return None
    return RawRow(sheet, row, values, frozenset(numeric) if numeric else _NONE)
