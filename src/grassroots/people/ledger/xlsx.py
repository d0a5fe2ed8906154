"""A streaming reader of .xlsx worksheets for the ledger import, parsed with expat.

openpyxl's read-only mode builds several Python objects per cell and, for a sheet without a
``<dimension>`` (every write-only workbook), parses the whole sheet once more when it is opened;
for a 100,000-row ledger that was half of the import. `XlsxBook` parses only what the import
reads, with one expat callback per tag and no object per cell.

Guarantees:

- `rows` gives each row's values as openpyxl gives them in read-only, ``data_only``,
  ``values_only`` mode: str for shared, inline and formula-result strings (a formula's cached
  value, never the formula), int or float for numbers, datetime / time / timedelta for numbers in
  a date or duration format (1900 or 1904 calendar, openpyxl's own format rules), bool, the error
  text (``#N/A``) for errors, None for an empty cell; one exception: a formula with no cached
  value (a file written by a program, never recalculated), which openpyxl reads as None, is
  `FORMULA` here, so the import can say so. Values sit at their column's position
  (A = 0); rows without cells, and rows not after the previous row, are left out.
- Memory: one parsed chunk of rows, whatever the sheet's length or the shared-string table's
  size (kept on disk, `xlsx_strings.SharedStrings`). What Excel itself cannot hold is refused as
  an XlsxLimit: a cell or shared string over 32,767 characters, more than 65,536 cell formats or
  number formats, more than 4,096 relationships or sheets; so is a chunk of a sheet whose cells
  ask for more than CHUNK_CHARS characters of shared strings (a short sheet pointing many times
  at one long string).
- A part with a DOCTYPE (entity declarations: "billion laughs", external entities), a part
  that is not well-formed XML, a missing part or a cell reference beyond XFD is an XlsxError.
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from xml.parsers import expat

from openpyxl.styles.numbers import builtin_format_code, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH, from_excel, from_ISO8601

from grassroots.people.ledger.xlsx_strings import SharedStrings

_CHUNK = 1 << 16
MAX_COLUMN = 16384  # XFD
_DIGITS = "0123456789"
_STRINGS = "/sharedStrings"
_STYLES = "/styles"
# Excel's own limits: characters in a cell, unique cell formats; parts and sheets, generous.
MAX_CELL_CHARS = 32767
MAX_FORMATS = 65536
MAX_PARTS = 4096
# Shared-string characters one chunk of sheet XML may ask for: a chunk holds at most some 3,000
# cells, and a real ledger's cells average well under 100 characters.
CHUNK_CHARS = 8_000_000

Row = tuple[int, list[Any]]
# The value of a formula cell that carries no computed value (the import refuses formulas).
FORMULA = "="


class XlsxError(Exception):
    """The workbook's XML cannot be read (malformed, a DOCTYPE, a missing part)."""


class XlsxLimit(XlsxError):
    """The workbook holds more than the reader keeps (`reason`: ``cell``, ``formats``,
    ``parts`` or ``chunk``); readable, but refused."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _refuse_doctype(*_args: object) -> None:
    raise XlsxError("DOCTYPE in a workbook part")


def _parser(*, namespaces: bool = False) -> Any:
    parser = expat.ParserCreate(namespace_separator="}" if namespaces else None)
    parser.buffer_text = True
    parser.buffer_size = _CHUNK
    parser.StartDoctypeDeclHandler = _refuse_doctype
    return parser


def _local(name: str) -> str:
    """`name` without its namespace (``uri}c``) or prefix (``x:c``)."""
    return name[max(name.rfind("}"), name.rfind(":")) + 1 :]


def _column(letters: str, cache: dict[str, int]) -> int:
    """The 1-based column of a cell reference's letters (``AB``); XlsxError beyond XFD."""
    if not 1 <= len(letters) <= 3 or not letters.isascii() or not letters.isalpha():
        raise XlsxError("bad cell reference")
    col = 0
    for ch in letters.upper():
        col = col * 26 + ord(ch) - 64
    if col > MAX_COLUMN:
        raise XlsxError("bad cell reference")
    cache[letters] = col
    return col


def _number(text: str) -> int | float:
    return float(text) if ("." in text or "E" in text or "e" in text) else int(text)


class XlsxBook:
    """An open .xlsx: its sheet titles, and the rows of any of its worksheets, streamed.

    Opening reads the workbook, its relationships, the styles and the shared strings; XlsxError
    (or zipfile.BadZipFile) if any of them cannot be read. Close it when done.
    """

    def __init__(self, path: Path) -> None:
        self._zip = zipfile.ZipFile(path)
        try:
            self._strings = SharedStrings(path.parent)
        except BaseException:
            self._zip.close()
            raise
        try:
            self._names = set(self._zip.namelist())
            self._sheets: dict[str, str] = {}  # title → member
            targets = self._relationships("xl/_rels/workbook.xml.rels")
            self._epoch = WINDOWS_EPOCH
            self._read_workbook(targets)
            self._date_styles, self._duration_styles = self._read_styles(
                self._part(targets, _STYLES, "xl/styles.xml")
            )
            self._read_strings(self._part(targets, _STRINGS, "xl/sharedStrings.xml"))
        except (expat.ExpatError, KeyError, ValueError) as exc:
            self.close()
            raise XlsxError(type(exc).__name__) from None
        except BaseException:
            self.close()
            raise

    @property
    def sheetnames(self) -> list[str]:
        """Every sheet's title, in workbook order."""
        return list(self._sheets)

    def sheet_member(self, title: str) -> str:
        """The ZIP member holding sheet `title`."""
        return self._sheets[title]

    def close(self) -> None:
        self._zip.close()
        self._strings.close()

    # -- the workbook's parts --------------------------------------------------------------

    def _feed(self, member: str, parser: Any) -> None:
        with self._zip.open(member) as src:
            while chunk := src.read(_CHUNK):
                parser.Parse(chunk, False)
        parser.Parse(b"", True)

    def _relationships(self, member: str) -> dict[str, tuple[str, str]]:
        """Relationship id → (type, member path) of the workbook part."""
        found: dict[str, tuple[str, str]] = {}
        if member not in self._names:
            return found

        def start(name: str, attrs: dict[str, str]) -> None:
            if _local(name) == "Relationship" and attrs.get("TargetMode") != "External":
                target = attrs.get("Target", "")
                if target.startswith("/"):
                    path = target.lstrip("/")
                else:
                    path = posixpath.normpath(posixpath.join("xl", target))
                found[attrs.get("Id", "")] = (attrs.get("Type", ""), path)
                if len(found) > MAX_PARTS:
                    raise XlsxLimit("parts")

        parser = _parser(namespaces=True)
        parser.StartElementHandler = start
        self._feed(member, parser)
        return found

    def _part(self, targets: dict[str, tuple[str, str]], kind: str, default: str) -> str | None:
        for rel_type, path in targets.values():
            if rel_type.endswith(kind) and path in self._names:
                return path
        return default if default in self._names else None

    def _read_workbook(self, targets: dict[str, tuple[str, str]]) -> None:
        def start(name: str, attrs: dict[str, str]) -> None:
            local = _local(name)
            if local == "sheet":
                rid = next((v for k, v in attrs.items() if k.endswith("}id")), "")
                path = targets.get(rid, ("", ""))[1]
                if path not in self._names:
                    raise XlsxError("a sheet without its part")
                self._sheets[attrs.get("name", "")] = path
                if len(self._sheets) > MAX_PARTS:
                    raise XlsxLimit("parts")
            elif local == "workbookPr" and attrs.get("date1904", "").lower() in ("1", "true"):
                self._epoch = MAC_EPOCH

        parser = _parser(namespaces=True)
        parser.StartElementHandler = start
        self._feed("xl/workbook.xml", parser)

    def _read_styles(self, member: str | None) -> tuple[frozenset[int], frozenset[int]]:
        """The cell style indexes whose number format is a date, and those that are a duration."""
        if member is None:
            return frozenset(), frozenset()
        custom: dict[int, str] = {}
        cell_formats: list[int] = []
        depth = {"cellXfs": 0}

        def start(name: str, attrs: dict[str, str]) -> None:
            local = _local(name)
            if local == "numFmt":
                custom[int(attrs.get("numFmtId", "0"))] = attrs.get("formatCode", "")[:255]
                if len(custom) > MAX_FORMATS:
                    raise XlsxLimit("formats")
            elif local == "cellXfs":
                depth["cellXfs"] += 1
            elif local == "xf" and depth["cellXfs"]:
                cell_formats.append(int(attrs.get("numFmtId", "0")))
                if len(cell_formats) > MAX_FORMATS:
                    raise XlsxLimit("formats")

        def end(name: str) -> None:
            if _local(name) == "cellXfs":
                depth["cellXfs"] -= 1

        parser = _parser()
        parser.StartElementHandler, parser.EndElementHandler = start, end
        self._feed(member, parser)
        dates, durations = set(), set()
        for index, fmt_id in enumerate(cell_formats):
            fmt = custom[fmt_id] if fmt_id in custom else builtin_format_code(fmt_id)
            if is_date_format(fmt):
                dates.add(index)
            if is_timedelta_format(fmt):
                durations.add(index)
        return frozenset(dates), frozenset(durations)

    def _read_strings(self, member: str | None) -> None:
        """The shared strings, into the store: the text of each item's runs, without phonetic
        guides."""
        strings = self._strings
        if member is None:
            strings.finish()
            return
        parts: list[str] = []
        state = {"text": False, "phonetic": 0, "chars": 0}

        def start(name: str, _attrs: dict[str, str]) -> None:
            local = _local(name)
            if local == "t":
                state["text"] = not state["phonetic"]
            elif local == "si":
                parts.clear()
                state["chars"] = 0
            elif local == "rPh":
                state["phonetic"] += 1

        def end(name: str) -> None:
            local = _local(name)
            if local == "t":
                state["text"] = False
            elif local == "si":
                # openpyxl's reading of an escaped underscore (_x005F_), kept for equal values.
                strings.append("".join(parts).replace("x005F_", ""))
            elif local == "rPh":
                state["phonetic"] -= 1

        def data(text: str) -> None:
            if state["text"]:
                state["chars"] += len(text)
                if state["chars"] > MAX_CELL_CHARS:
                    raise XlsxLimit("cell")
                parts.append(text)

        parser = _parser()
        parser.StartElementHandler, parser.EndElementHandler = start, end
        parser.CharacterDataHandler = data
        self._feed(member, parser)
        strings.finish()

    # -- rows ------------------------------------------------------------------------------

    def rows(self, title: str, *, min_row: int = 1, max_row: int | None = None) -> Iterator[Row]:
        """(row number, values) of sheet `title` from `min_row` to `max_row`, in file order."""
        ready: list[Row] = []
        parser, done = _sheet_parser(self, ready, min_row, max_row)
        try:
            with self._zip.open(self._sheets[title]) as src:
                while not done() and (chunk := src.read(_CHUNK)):
                    self._strings.chars_read = 0
                    parser.Parse(chunk, False)
                    yield from ready
                    ready.clear()
                if not done():
                    parser.Parse(b"", True)
                    yield from ready
        except (expat.ExpatError, ValueError, IndexError, OverflowError) as exc:
            raise XlsxError(type(exc).__name__) from None

    def convert(self, kind: str, text: str, style: int) -> Any:
        """A cell's value from its type attribute, its text and its style index."""
        if kind == "s":
            value = self._strings[int(text)]
            if self._strings.chars_read > CHUNK_CHARS:
                raise XlsxLimit("chunk")
            return value
        if kind == "n":
            number = _number(text)
            if style in self._date_styles:
                try:
                    return from_excel(number, self._epoch, style in self._duration_styles)
                except (OverflowError, ValueError):
                    return "#VALUE!"
            return number
        if kind == "b":
            return bool(int(text))
        if kind == "d":
            return from_ISO8601(text)
        return text  # inlineStr, str (a formula's text), e (an error)


def _sheet_parser(
    book: XlsxBook, ready: list[Row], min_row: int, max_row: int | None
) -> tuple[Any, Callable[[], bool]]:
    """An expat parser that appends each finished row of a worksheet to `ready`, and a function
    that says whether `max_row` was passed (the rest need not be parsed).

    Closures over local state rather than methods: this runs once per tag, millions of times.
    """
    convert = book.convert
    # The tags looked at, in the namespace of the root element (set when it starts).
    tag_c, tag_v, tag_t, tag_row, tag_rph, tag_f = "c", "v", "t", "row", "rPh", "f"
    columns: dict[str, int] = {}
    cells: list[Any] = []
    parts: list[str] = []
    row = last = col = style = phonetic = 0
    kind = "n"
    collecting = has_text = finished = rooted = formula = False

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal row, col, cells, kind, style, collecting, has_text, phonetic, rooted, formula
        nonlocal tag_c, tag_v, tag_t, tag_row, tag_rph, tag_f
        if name == tag_c:
            ref = attrs.get("r")
            if ref:
                letters = ref.rstrip(_DIGITS)
                col = columns.get(letters) or _column(letters, columns)
            else:
                col += 1
            kind = attrs.get("t", "n")
            number = attrs.get("s")
            style = int(number) if number else 0
            parts.clear()
            has_text = formula = False
        elif name == tag_v or (name == tag_t and not phonetic):
            collecting = has_text = True
        elif name == tag_row:
            number = attrs.get("r")
            if number:
                value = float(number)
                if not value.is_integer():
                    raise ValueError("row number")
                row = int(value)
            else:
                row += 1
            col = 0
            cells = []
        elif name == tag_rph:
            phonetic += 1
        elif name == tag_f:
            formula = True
        elif not rooted:
            ns = name[: name.rfind("}") + 1]
            tag_c, tag_v, tag_t, tag_row, tag_rph, tag_f = (
                ns + t for t in ("c", "v", "t", "row", "rPh", "f")
            )
            rooted = True

    def end(name: str) -> None:
        nonlocal collecting, last, phonetic, finished
        if name == tag_c:
            value = None
            if has_text:
                text = "".join(parts)
                if kind == "inlineStr":
                    value = text
                elif text:  # an empty <v/> is an empty cell
                    value = convert(kind, text, style)
            if value is None and formula:
                value = FORMULA
            if col > len(cells):
                if col - 1 > len(cells):
                    cells.extend([None] * (col - 1 - len(cells)))
                cells.append(value)
            else:
                cells[col - 1] = value
        elif name in (tag_v, tag_t):
            collecting = False
        elif name == tag_row:
            del cells[col:]  # the row ends at its last cell (cells out of order: openpyxl's way)
            if max_row is not None and row > max_row:
                finished = True
            elif row > last and row >= min_row and cells:
                ready.append((row, cells))
            last = max(last, row)
        elif name == tag_rph:
            phonetic -= 1

    def data(text: str) -> None:
        if collecting:
            parts.append(text)
            if len(text) > MAX_CELL_CHARS or (
                len(parts) > 1 and sum(map(len, parts)) > MAX_CELL_CHARS
            ):
                raise XlsxLimit("cell")

    parser = _parser(namespaces=True)
    parser.StartElementHandler, parser.EndElementHandler = start, end
    parser.CharacterDataHandler = data
    return parser, lambda: finished
