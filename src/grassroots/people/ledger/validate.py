"""One raw row into clean values, or located problems: the per-row half of an import's checks.

A clean resident row carries its ID number and phone already sealed (`people.privacy`: validated,
encrypted, blind-indexed, masked), so nothing downstream holds them in clear. Cross-row and
registry checks (duplicates, heads, existing residents) are `plan`'s job. Reads only (the grid
and tag tables); never writes. Messages never repeat a cell's content (SECURITY.md 16), except
the grid code, tag and choice words, which are not personal data.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from grassroots.areas.choices import Level
from grassroots.areas.models import Area
from grassroots.areas.scope import scope_for
from grassroots.core.models import User
from grassroots.core.roles import Perm
from grassroots.people.errors import PeopleErrorCode as E
from grassroots.people.idnumber import IdNumberError
from grassroots.people.ledger.columns import (
    HOUSE_FIELDS,
    HOUSEHOLD_COLUMNS,
    RESIDENT_COLUMNS,
    Column,
    Kind,
    chinese_labels,
    choice_lookup,
)
from grassroots.people.ledger.layout import Problem, RawRow
from grassroots.people.models import Tag
from grassroots.people.phone import PhoneError
from grassroots.people.privacy import sealed_id, sealed_phone
from grassroots.people.rules import resident_refusals

_SCIENTIFIC = re.compile(r"[0-9](?:\.[0-9]+)?[eE]\+?[0-9]+")
_DATE = re.compile(r"([0-9]{4})\s*[-/.年]\s*([0-9]{1,2})\s*[-/.月]\s*([0-9]{1,2})\s*日?")
_DATE8 = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})")
_EXCEL_EPOCH = datetime.date(1899, 12, 30)
_TAG_SPLIT = re.compile(r"[,，、;；\s]+")
_RESIDENT_BY_FIELD = {c.field: c for c in RESIDENT_COLUMNS}
_KEEP_DAYS = 4096


@dataclass(slots=True)
class House:
    """A household as declared by a 户 row (or by the household columns of a 人 row)."""

    sheet: str
    row: int
    number: str
    area_id: int
    address: str
    building: str = ""
    unit: str = ""
    room: str = ""
    notes: str = ""

    def place(self) -> tuple[int, str, str, str, str]:
        """What two declarations of one household must agree on."""
        return (self.area_id, self.address, self.building, self.unit, self.room)


@dataclass(slots=True)
class Person:
    """A clean resident row; "" in an optional field means "not given" (keep what is stored)."""

    sheet: str
    row: int
    household: str
    name: str
    id_index: str
    id_enc: str
    id_masked: str
    sex: str
    birth_date: str
    relation: str
    phone_index: str = ""
    phone_enc: str = ""
    phone_masked: str = ""
    ethnicity: str = ""
    education: str = ""
    employment: str = ""
    occupation: str = ""
    politics: str = ""
    notes: str = ""
    started_on: str = ""
    tags: list[str] = field(default_factory=list)
    house: House | None = None


@dataclass(slots=True)
class Rejected:
    """A row with problems; `household` is its household number when the cell was filled."""

    sheet: str
    row: int
    household: str
    problems: list[Problem]


class RowChecker:
    """Checks rows one at a time for one import (one actor, one optional area, one day).

    Caches grid codes and tags, so each distinct code costs one query whatever the file's size.
    """

    def __init__(self, *, actor: User | None, within: Area | None, today: datetime.date) -> None:
        self.actor = actor
        self.scope = scope_for(actor) if actor is not None else None
        self.within = within
        self.today = today
        self._grids: dict[str, Area | str] = {}
        self._choices = {
            c.field: choice_lookup(c) for c in RESIDENT_COLUMNS if c.choices and c.importable
        }
        self._tags: dict[str, Tag] | None = None
        self._tag_names: dict[str, str] = {}
        self._days: dict[tuple[str, bool], datetime.date | None] = {}

    # -- households ------------------------------------------------------------------------

    def household(self, raw: RawRow) -> House | Rejected:
        """A 户 row as a House, or its problems (every empty required cell, bad grid ...)."""
        problems: list[Problem] = []
        values = {c.field: self._text(raw, c, problems) for c in HOUSEHOLD_COLUMNS}
        area = self._grid(raw, HOUSEHOLD_COLUMNS[1], values["grid"], problems)
        if problems or area is None:
            return Rejected(raw.sheet, raw.row, values["number"], problems)
        return House(
            raw.sheet,
            raw.row,
            values["number"],
            area.pk,
            values["address"],
            values["building"],
            values["unit"],
            values["room"],
            values["notes"],
        )

    # -- residents -------------------------------------------------------------------------

    def resident(self, raw: RawRow) -> Person | Rejected:
        """A 人 row as a Person with sealed identifiers, or every problem it has."""
        problems: list[Problem] = []
        cols = _RESIDENT_BY_FIELD
        text = {c.field: self._text(raw, c, problems) for c in RESIDENT_COLUMNS if c.importable}
        choice = {f: self._choice(raw, cols[f], text[f], problems) for f in self._choices}
        # The registry's rules (`people.rules`, as `resident_register`); an empty cell was
        # reported above when it must be filled, and otherwise means "not given".
        given = {f: v for f, v in {"name": text["name"], **choice}.items() if v}
        for refusal in resident_refusals(values=given):
            problems.append(self._p(raw, cols[refusal.field], refusal.code, refusal.message))
        person = Person(
            raw.sheet,
            raw.row,
            text["household"],
            text["name"],
            "",
            "",
            "",
            "",
            "",
            choice["relation"],
        )
        self._identity(raw, cols["id_number"], text["id_number"], person, problems)
        self._phone(raw, cols["phone"], text["phone"], person, problems)
        person.ethnicity, person.occupation, person.notes = (
            text["ethnicity"],
            text["occupation"],
            text["notes"],
        )
        person.education, person.employment, person.politics = (
            choice["education"],
            choice["employment"],
            choice["politics"],
        )
        started = self._date(raw, cols["started_on"], text["started_on"], problems)
        if started and person.birth_date and started < person.birth_date:
            problems.append(
                self._p(raw, cols["started_on"], E.DATE_BEFORE_BIRTH, _("迁入日期早于出生日期"))
            )
        person.started_on = started
        person.tags = self._tag_codes(raw, cols["tags"], text["tags"], problems)
        if any(text[f] for f in HOUSE_FIELDS):
            person.house = self._house_on_row(raw, cols, text, problems)
        if problems:
            return Rejected(raw.sheet, raw.row, person.household, problems)
        return person

    def _identity(
        self, raw: RawRow, col: Column, value: str, person: Person, out: list[Problem]
    ) -> None:
        if not value:
            return  # reported as an empty required cell
        try:
            info, sealed = sealed_id(value, today=self.today)
        except IdNumberError as exc:
            message = str(exc.message)
            if col.field in raw.numeric or _SCIENTIFIC.fullmatch(value):
                message = _(
                    "身份证号被 Excel 存成了数字，末几位已丢失：请把该列设为“文本”格式后重新录入"
                )
            out.append(self._p(raw, col, exc.code, message))
            return
        person.id_enc, person.id_index, person.id_masked = sealed.enc, sealed.index, sealed.masked
        person.sex, person.birth_date = info.sex, info.birth_date.isoformat()

    def _phone(
        self, raw: RawRow, col: Column, value: str, person: Person, out: list[Problem]
    ) -> None:
        try:
            sealed = sealed_phone(value)
        except PhoneError as exc:
            out.append(self._p(raw, col, exc.code, str(exc.message)))
            return
        person.phone_enc, person.phone_index, person.phone_masked = (
            sealed.enc,
            sealed.index,
            sealed.masked,
        )

    def _house_on_row(
        self, raw: RawRow, cols: dict[str, Column], text: dict[str, str], out: list[Problem]
    ) -> House | None:
        formulas = {f for f in ("grid", "address") if raw.values.get(f, "").startswith("=")}
        missing = [f for f in ("grid", "address") if not text[f] and f not in formulas]
        for f in missing:
            out.append(
                self._p(raw, cols[f], E.REQUIRED, _("填写本户信息时，网格代码和地址都必须填写"))
            )
        if missing or formulas:
            return None
        area = self._grid(raw, cols["grid"], text["grid"], out)
        if area is None:
            return None
        return House(
            raw.sheet,
            raw.row,
            text["household"],
            area.pk,
            text["address"],
            text["building"],
            text["unit"],
            text["room"],
        )

    # -- cells -----------------------------------------------------------------------------

    @staticmethod
    def _p(raw: RawRow, col: Column, code: str, message: str) -> Problem:
        return Problem(raw.sheet, raw.row, col.header, col.field, code, message)

    def _text(self, raw: RawRow, col: Column, out: list[Problem]) -> str:
        value = raw.values.get(col.field, "")
        if value.startswith("="):
            # A formula (or, in a CSV, what a spreadsheet would run as one): its result is not
            # in the file, and storing its text would plant it in every later export.
            message = _("不接受公式：请把该列复制后“选择性粘贴为数值”，再重新上传")
            out.append(self._p(raw, col, E.FORMULA, message))
            return ""
        if not value:
            if col.required:
                out.append(self._p(raw, col, E.REQUIRED, _("必填项不能为空")))
            return ""
        if len(value) > col.max_length and col.kind == Kind.TEXT:
            out.append(
                self._p(raw, col, E.TOO_LONG, _("不能超过 %(n)d 个字") % {"n": col.max_length})
            )
        return value

    def _choice(self, raw: RawRow, col: Column, value: str, out: list[Problem]) -> str:
        if not value:
            return ""
        found = self._choices[col.field].get(value) or self._choices[col.field].get(value.lower())
        if found is None:
            allowed = "、".join(chinese_labels(col.choices).values()) if col.choices else ""
            out.append(
                self._p(
                    raw,
                    col,
                    E.INVALID_CHOICE,
                    _("“%(value)s”不是可选值，可选：%(allowed)s")
                    % {"value": value[:20], "allowed": allowed},
                )
            )
            return ""
        return found

    def _date(self, raw: RawRow, col: Column, value: str, out: list[Problem]) -> str:
        if not value:
            return ""
        # Ledgers repeat a few dates (the day of moving in) over thousands of rows.
        key = (value, col.field in raw.numeric)
        if key in self._days:
            day = self._days[key]
        else:
            day = parse_date(value, numeric=key[1])
            if len(self._days) < _KEEP_DAYS:
                self._days[key] = day
        if day is None:
            out.append(self._p(raw, col, E.INVALID_DATE, _("日期无效，格式应为 2024-01-31")))
            return ""
        if day > self.today:
            out.append(self._p(raw, col, E.FUTURE_DATE, _("日期不能晚于今天")))
            return ""
        return day.isoformat()

    def _grid(self, raw: RawRow, col: Column, code: str, out: list[Problem]) -> Area | None:
        if not code:
            return None
        found = self._grids.get(code)
        if found is None:
            found = self._grids[code] = self._resolve_grid(code)
        if isinstance(found, str):
            out.append(self._p(raw, col, found, self.grid_message(found, code)))
            return None
        return found

    def _resolve_grid(self, code: str) -> Area | str:
        area = Area.objects.filter(code=code).first()
        # Out of scope reads exactly like missing (SECURITY.md 7).
        if area is None or (
            self.scope is not None and not self.scope.covers_area(Perm.IMPORT_PEOPLE, area)
        ):
            return E.GRID_NOT_FOUND
        if self.within is not None and not self.within.contains(area):
            return E.GRID_OUTSIDE_AREA
        if area.level != Level.GRID3:
            return E.GRID_NOT_GRID3
        return area

    def grid_message(self, code: str, grid: str) -> str:
        if code == E.GRID_OUTSIDE_AREA and self.within is not None:
            return _("网格“%(code)s”不在所选的导入范围“%(area)s”内") % {
                "code": grid[:24],
                "area": self.within.name,
            }
        if code == E.GRID_NOT_GRID3:
            return _("“%(code)s”不是三级网格（微网格）的代码，户只能登记在微网格中") % {
                "code": grid[:24]
            }
        return _("网格代码“%(code)s”不存在，或不在您的管辖范围内") % {"code": grid[:24]}

    def _tag_codes(self, raw: RawRow, col: Column, value: str, out: list[Problem]) -> list[str]:
        if not value:
            return []
        if self._tags is None:
            tags = list(Tag.objects.all())
            self._tags = {t.name: t for t in tags} | {t.code: t for t in tags}
            self._tag_names = {t.code: t.name for t in tags}
        asked: list[str] = []
        for word in filter(None, _TAG_SPLIT.split(value)):
            tag = self._tags.get(word)
            code = tag.code if tag is not None else word
            if code not in asked:
                asked.append(code)
        # The row's grid may be on another row or in the registry: plan checks vulnerable tags
        # (`people.rules.may_tag_vulnerable`) once the household's grid is known.
        refusals = resident_refusals(tags=asked, tag_names=self._tag_names)
        out.extend(self._p(raw, col, r.code, r.message) for r in refusals)
        return [c for c in asked if c in self._tag_names]


def parse_date(value: str, *, numeric: bool = False) -> datetime.date | None:
    """A date written 2024-01-31, 2024/1/31, 2024.1.31, 20240131 or 2024年1月31日 (or an Excel
    serial day number from a numeric cell); None if it is none of these or no such day."""
    text = value.strip()
    if numeric and text.isdigit() and 1 <= int(text) < 100000:
        return _EXCEL_EPOCH + datetime.timedelta(days=int(text))
    m = _DATE.fullmatch(text) or _DATE8.fullmatch(text)
    if m is None:
        return None
    try:
        return datetime.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None
