"""What a plan holds: per household, per row outcome, the counts and the digest (see `plan`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from grassroots.people.ledger.columns import HOUSEHOLDS, RESIDENTS
from grassroots.people.ledger.layout import Problem
from grassroots.people.ledger.validate import House, Person

Key = tuple[str, int]


@dataclass
class HouseState:
    """What the file says about one household number (compact: rows and blind indexes only)."""

    decl: House | None = None
    decl_key: Key | None = None
    members: list[tuple[int, str]] = field(default_factory=list)  # clean 人 rows: row, index
    heads: list[tuple[int, str]] = field(default_factory=list)
    vulnerable: list[tuple[int, list[str]]] = field(default_factory=list)  # row, its tags
    rejected: bool = False  # some row of this household has a problem of its own
    bad: bool = False  # decided once every check ran: nothing of it is written


@dataclass
class Counts:
    """Rows by outcome; households created and updated."""

    rows: int = 0
    errors: int = 0
    skipped: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    households_created: int = 0
    households_updated: int = 0


@dataclass
class Plan:
    """The outcome of every row, what to write, and the located problems."""

    valid_only: bool
    problems: dict[Key, list[Problem]] = field(default_factory=dict)
    households: dict[str, HouseState] = field(default_factory=dict)
    existing_households: dict[str, tuple[int, int]] = field(default_factory=dict)
    new_households: set[str] = field(default_factory=set)
    household_updates: dict[str, str] = field(default_factory=dict)
    updates: dict[str, int] = field(default_factory=dict)
    # blind index → the resident holding it where the importer cannot see: a transfer request
    # is written instead of a resident, and the row counts as created (see `plan._existing`).
    transfers: dict[str, int] = field(default_factory=dict)
    unchanged: set[str] = field(default_factory=set)
    changes: list[dict[str, Any]] = field(default_factory=list)
    counts: Counts = field(default_factory=Counts)
    digest: str = ""

    @property
    def ok(self) -> bool:
        """Whether the import may be written: no problem, or valid-only mode (rows are skipped)."""
        return self.valid_only or not self.problems

    def writes(self, person: Person) -> bool:
        """Whether `person` is created or updated by the write."""
        return (
            (person.sheet, person.row) not in self.problems
            and not self.households[person.household].bad
            and person.id_index not in self.unchanged
        )

    def problem_list(self) -> list[Problem]:
        order = {RESIDENTS: 1, HOUSEHOLDS: 0}
        keys = sorted(self.problems, key=lambda k: (order.get(k[0], 2), k[1]))
        return [p for k in keys for p in self.problems[k]]
