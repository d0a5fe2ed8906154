"""The checked rows of one import, kept on disk between validation and writing.

One JSON array per line, in file order (households first). ID numbers and phones are stored only
sealed (ciphertext, blind index, masked form), never in clear. The spool lives beside the upload
under ``MEDIA_ROOT/imports/`` and is deleted with it when the job ends. Reading it back is much
cheaper than parsing the workbook again, and lets the writer run in a later job (after a preview
was confirmed) without the upload.
"""

from __future__ import annotations

import json
import operator
from collections.abc import Iterator
from dataclasses import fields
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from grassroots.people.ledger.layout import Problem
from grassroots.people.ledger.validate import House, Person, Rejected

Record = House | Person | Rejected

_PERSON = [f.name for f in fields(Person) if f.name != "house"]
if fields(Person)[-1].name != "house":  # `decode` passes the others positionally
    raise RuntimeError("Person.house must be Person's last field")
_PROBLEM = [f.name for f in fields(Problem)]
_house_values = operator.attrgetter(*[f.name for f in fields(House)])
_person_values = operator.attrgetter(*_PERSON)
_problem_values = operator.attrgetter(*_PROBLEM)
# One encoder for every line (json.dumps with options builds a new one per call).
_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def encode(record: Record) -> str:
    """One record as a JSON line (without the newline)."""
    if isinstance(record, Person):
        house = record.house
        data: list[Any] = [
            "P",
            _person_values(record),
            _house_values(house) if house is not None else None,
        ]
    elif isinstance(record, House):
        data = ["H", _house_values(record)]
    else:
        problems = [_problem_values(p) for p in record.problems]
        data = ["E", [record.sheet, record.row, record.household], problems]
    return _json(data)


def decode(line: str) -> Record:
    """The record of one line written by `encode`."""
    kind, body, *rest = json.loads(line)
    if kind == "P":
        # Positional: `_PERSON` is Person's fields in order, `house` (the last) left out.
        person = Person(*body)
        if rest[0] is not None:
            person.house = House(*rest[0])
        return person
    if kind == "H":
        return House(*body)
    return Rejected(body[0], body[1], body[2], [Problem(*p) for p in rest[0]])


class SpoolWriter:
    """Appends records to a spool file; use as a context manager."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fh: IO[str] | None = None

    def __enter__(self) -> SpoolWriter:
        self._fh = self.path.open("w", encoding="utf-8")
        self.path.chmod(0o600)
        return self

    def add(self, record: Record) -> None:
        if self._fh is None:
            raise RuntimeError("SpoolWriter.add outside its with-block")
        self._fh.write(encode(record))
        self._fh.write("\n")

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._fh is not None:
            self._fh.close()


def read_spool(path: Path) -> Iterator[Record]:
    """The records of a spool file, in the order they were written."""
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            yield decode(line)
