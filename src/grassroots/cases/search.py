"""Chinese substring search over cases without reading every case: two-character terms, indexed.

A case's `terms` holds the distinct overlapping two-character pieces of the word runs of its
title and description, lower-cased ("3号楼路灯坏了" → 3号 号楼 楼路 路灯 灯坏 坏了). If a text
contains the searched text, it contains every such piece of it, so the cases holding all the
pieces of the search are a superset of the answer, found through an index; `text_q` then
applies the exact substring test to those alone. The answer is therefore exactly that of
`title LIKE '%…%' OR description LIKE '%…%'`, at the cost of the candidates, not of the table.

The index is per engine: on PostgreSQL a GIN index on `string_to_array(terms, ' ')` (kept by
the database as rows change); on SQLite an FTS5 table over `terms` (external content), which
`index_cases` updates — `workflow.case_open` calls it for every new case. A search with no
two-character piece (one character) falls back to the plain substring scan.

On SQLite a word held by many cases outside the caller's scope ("路灯" for one county of a
province) is not allowed to drive the query: the scope's own index does, the candidate set is
a test on each id, and the search is repeated in every branch of the visibility OR so that the
test runs before a table row is read (`text_q`). PostgreSQL's planner weighs this itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db import connection
from django.db.models import BooleanField, Max, Q
from django.db.models.expressions import RawSQL

FTS_TABLE = "cases_case_terms"
_RUNS = re.compile(r"[^\W_]+")


def terms_of(text: str) -> list[str]:
    """The distinct two-character pieces of the word runs of `text`, lower-cased, in order."""
    seen: dict[str, None] = {}
    for run in _RUNS.findall(text.lower()):
        for i in range(len(run) - 1):
            seen.setdefault(run[i : i + 2], None)
    return list(seen)


def terms_for(title: str, description: str) -> str:
    """The stored `terms` of a case: its title's and description's pieces, space-separated."""
    return " ".join(terms_of(f"{title}\n{description}"))


def text_q(visible: Q, text: str) -> Q:
    """The cases of `visible` whose title or description contains `text`, or whose number it is
    (a number is digits only): the rows of `visible & (title LIKE … OR description LIKE …)`,
    with the candidates found through the index."""
    found = Q(title__contains=text) | Q(description__contains=text)
    number = Q(number=text) if text.isascii() and text.isdigit() else None
    terms = terms_of(text)
    if terms and connection.vendor == "postgresql":
        # the terms are bound as a parameter; the SQL is constant
        found = Q(RawSQL(_PG_HOLDS, (terms,), output_field=BooleanField())) & found  # noqa: S611
    elif terms:
        match = " AND ".join('"' + t.replace('"', '""') + '"' for t in terms)
        if _scope_drives(visible, match):
            check = Q(RawSQL(_FTS_CHECK, (match,), output_field=BooleanField()))  # noqa: S611
            return _spread(visible, check & found if number is None else check & found | number)
        found = Q(pk__in=RawSQL(_FTS_MATCH, (match,))) & found  # noqa: S611
    return visible & (found if number is None else found | number)


# SQLite walks either the FTS candidates (reading each one's row) or the scope's own index
# (county, township…), testing each id against the candidate set and reading only the rows of
# ids that pass. Reading a row by id costs about as much as 1 / SCAN_RATIO index entries
# (measured at 1,000,000 cases: ≈ 4 µs against ≈ 0.6 µs), so the scope drives when the
# candidates outside it cost more to read than the scope costs to walk: a county's "路灯" in a
# province (142,000 candidates, 108,000 cases in scope: 636 → ≈ 250 ms), not in its own county
# database (the scope is the table: the candidates drive, ≈ 80 ms). Up to RARE candidates they
# drive without the scope being counted.
RARE = 2000
SCAN_RATIO = 0.15
_PG_HOLDS = 'string_to_array("cases_case"."terms", \' \') @> %s::text[]'
_FTS_MATCH = "SELECT rowid FROM cases_case_terms WHERE cases_case_terms MATCH %s"
_FTS_CHECK = f'+"cases_case"."id" IN ({_FTS_MATCH})'
_FTS_COUNT = f"SELECT COUNT(*) FROM ({_FTS_MATCH})"  # noqa: S608


def _scope_drives(visible: Q, match: str) -> bool:
    from grassroots.cases.models import Case

    with connection.cursor() as cur:
        cur.execute(_FTS_COUNT, (match,))
        candidates = int(cur.fetchone()[0])
    if candidates <= RARE:
        return False
    scope = Case.objects.filter(visible).count()
    table = Case.objects.aggregate(n=Max("id"))["n"] or 1  # ids are never deleted: ≈ the rows
    return candidates * (1 - scope / table) > SCAN_RATIO * scope


def _spread(visible: Q, found: Q) -> Q:
    """`visible & found` with `found` repeated in each branch of the visibility OR (area
    subtrees, units, unplaced cases): SQLite then applies it while walking each branch's index,
    before reading a row, where `visible & found` reads the row of every visible case first
    (at 1,000,000 cases: 109 ms, not 221 ms, for a county's common word)."""
    if visible.connector != Q.OR or visible.negated:
        return visible & found
    spread = Q(pk__in=[])
    for branch in visible.children:
        spread |= _spread(branch if isinstance(branch, Q) else Q(branch), found)
    return spread


def index_cases(rows: Iterable[tuple[int, str]]) -> None:
    """Add (case id, terms) to SQLite's FTS table (PostgreSQL's index keeps itself)."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cur:
        cur.executemany(f"INSERT INTO {FTS_TABLE}(rowid, terms) VALUES (%s, %s)", list(rows))  # noqa: S608


def index_from(first_id: int) -> None:
    """Add every case from `first_id` on to SQLite's FTS table (after a bulk load or in a
    migration; PostgreSQL's index keeps itself)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cur:
            cur.execute(
                f"INSERT INTO {FTS_TABLE}(rowid, terms) "  # noqa: S608
                "SELECT id, terms FROM cases_case WHERE id >= %s",
                (first_id,),
            )


CREATE_SQL = {
    "postgresql": [
        "CREATE INDEX case_terms_gin ON cases_case USING gin (string_to_array(terms, ' '))",
    ],
    "sqlite": [
        f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(terms, content='cases_case', "
        "content_rowid='id')",
    ],
}
DROP_SQL = {
    "postgresql": ["DROP INDEX IF EXISTS case_terms_gin"],
    "sqlite": [f"DROP TABLE IF EXISTS {FTS_TABLE}"],
}
