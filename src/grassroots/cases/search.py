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

A two-character search of CJK ideographs or digits ("路灯") is one term, and holding it is
containing it (`exact`): the index alone answers, no row is tested.

On SQLite a word held by many cases outside the caller's scope ("路灯" for one county of a
province) is not allowed to drive the count: the scope's own index does, the candidate set is
a test on each id, and the search is repeated in every branch of the visibility OR so that the
test runs before a table row is read (`_spread`). The list's page, in due order, is read by
walking the due-time index against the candidate set when matches are dense (`Found.page`;
`selectors.case_list(paged=True)` counts through `Found.rows`). PostgreSQL's planner weighs
both itself.

Measured (issue 21) with bench/search_probe.py: the benchmark's GET /api/v1/cases/?q=路灯 as
the county desk through the test client, median of 20–40 runs after 2 warm-ups, the code before
(25f4ffc) and after run alternately on the same database — on the 2-core VM while other jobs
ran (load 6–9), so a figure moves by a third from run to run; compare within a line:

- SQLite, county (100,000 cases, 14,467 matches): 96–136 ms before, 32–50 ms after. Before:
  scope count 27 ms, count 13 ms, page 28 ms (every match read and sorted), the rest Python.
  After: scope sampled ≈ 1 ms, count ≈ 10 ms (no substring test), page 2 ms (due index walked).
- SQLite, province (1,000,000 cases, 15,191 matches): 300–450 ms before, ≈ 150 ms after: the
  count as before (the county's index walked, ≈ 95 ms), the page 174 → 25 ms.
- PostgreSQL, province (1,000,000 cases, 15,192 matches): ≈ 50–75 ms before and after (bench,
  quiet: 47.7). The count is the cost: the GIN bitmap of 142,852 ids 25 ms, the county's bitmap
  8 ms, 6,236 heap pages 20 ms; the page 4 ms (the planner walks the due index itself).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import BooleanField, Count, Func, Max, Q
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


@dataclass(frozen=True)
class Found:
    """The cases of a search as two filters of the same rows: `rows` to count them, `page` to
    read one page of them in the list's order. They differ only in which index SQLite may walk;
    `page` is `rows` unless another plan reads a page faster."""

    rows: Q
    page: Q


def text_q(visible: Q, text: str) -> Q:
    """The cases of `visible` whose title or description contains `text`, or whose number it is
    (a number is digits only): the rows of `visible & (title LIKE … OR description LIKE …)`,
    with the candidates found through the index."""
    return text_search(visible, text).rows


def text_search(visible: Q, text: str, *, by_due: bool = False) -> Found:
    """`text_q`'s cases, and — for a page read in resolution due order (`by_due`) — the filter
    SQLite reads that page by fastest."""
    # an exact term's index match is the answer itself: no row needs the substring test
    found = Q() if exact(text) else Q(title__contains=text) | Q(description__contains=text)
    number = Q(number=text) if text.isascii() and text.isdigit() else None
    terms = terms_of(text)
    if terms and connection.vendor == "postgresql":
        # the terms are bound as a parameter; the SQL is constant
        found = Q(RawSQL(_PG_HOLDS, (terms,), output_field=BooleanField())) & found  # noqa: S611
    elif terms:
        return _lite(visible, found, number, terms, by_due=by_due)
    rows = visible & (found if number is None else found | number)
    return Found(rows, rows)


def exact(text: str) -> bool:
    """Whether holding the term `text` is the same as containing `text` in title or description:
    `text` is two CJK ideographs or ASCII digits ("路灯", "12"). Lower-casing maps no character
    onto such a character but itself (a test checks every code point), SQLite's FTS tokenizer
    keeps each such term whole, and a term never spans title and description (the newline
    between them is no word character), so a case holds the term exactly when its title or
    description contains `text` — on both engines, whose LIKE differ only in ASCII letters."""
    return len(text) == 2 and all(_uncased(c) for c in text)


def _uncased(char: str) -> bool:
    """An ASCII digit or a CJK unified ideograph (the basic block or extension A)."""
    ideograph = "\u3400" <= char <= "\u4dbf" or "\u4e00" <= char <= "\u9fff"
    return ("0" <= char <= "9" or ideograph) and char.isalnum()


# SQLite walks either the FTS candidates (reading each one's row) or the scope's own index
# (county, township…), testing each id against the candidate set and reading only the rows of
# ids that pass. Reading a row by id costs about as much as 1 / SCAN_RATIO index entries
# (measured at 1,000,000 cases: ≈ 4 µs against ≈ 0.6 µs), so the scope drives when the
# candidates outside it cost more to read than the scope costs to walk: a county's "路灯" in a
# province (142,000 candidates, 108,000 cases in scope), not in its own county database (the
# scope is the table: the candidates drive). Up to RARE candidates they drive, no questions asked.
#
# The scope's size is estimated from a sample (SAMPLE runs of SPAN consecutive ids spread over
# the table, ≈ 1 ms), not counted: counting a county's 100,000 cases took 27 ms of the 84 ms a
# county-wide search of "路灯" took in a county database.
#
# A page in due order is read fastest, when matches are dense, by walking the due-time index and
# testing each id against the candidate set (reading a row only for the ids that pass): about
# PAGE × table / matches entries for the first page (a county's "路灯" in its own database:
# ≈ 700 entries, 2 ms) instead of reading and sorting every match (14,500 rows, 28 ms). Matches
# are estimated as candidates × the scope's share; where they are sparse (a micro grid's worker)
# the walk would cross most of the index, and the page is read by the count's plan.
RARE = 2000
SCAN_RATIO = 0.15
SAMPLE, SPAN = 16, 64
PAGE = 50
_PG_HOLDS = 'string_to_array("cases_case"."terms", \' \') @> %s::text[]'
_FTS_MATCH = "SELECT rowid FROM cases_case_terms WHERE cases_case_terms MATCH %s"
_FTS_CHECK = f'+"cases_case"."id" IN ({_FTS_MATCH})'
_FTS_COUNT = f"SELECT COUNT(*) FROM ({_FTS_MATCH})"  # noqa: S608


def _lite(visible: Q, found: Q, number: Q | None, terms: list[str], *, by_due: bool) -> Found:
    """SQLite's filters for a search with two-character terms (the costs above)."""
    match = " AND ".join('"' + t.replace('"', '""') + '"' for t in terms)
    with connection.cursor() as cur:
        cur.execute(_FTS_COUNT, (match,))
        candidates = int(cur.fetchone()[0])
    driven = Q(pk__in=RawSQL(_FTS_MATCH, (match,))) & found  # noqa: S611
    rows = visible & (driven if number is None else driven | number)
    if candidates <= RARE:
        return Found(rows, rows)
    check = Q(RawSQL(_FTS_CHECK, (match,), output_field=BooleanField())) & found  # noqa: S611
    checked = check if number is None else check | number
    table, share = _table_and_share(visible)
    scope = share * table
    if candidates * (1 - share) > SCAN_RATIO * scope:
        rows = _spread(visible, checked)
    if not by_due:
        return Found(rows, rows)
    matches = max(candidates * share, 1.0)
    walk = PAGE * table / matches + PAGE / max(share, 1 / table) / SCAN_RATIO
    rest = min(candidates / SCAN_RATIO, scope + matches / SCAN_RATIO)
    return Found(rows, Q(_unindexed(visible)) & checked if walk < rest else rows)


def _unindexed(condition: Q) -> Func:
    """`condition` as SQLite evaluates it but cannot walk an index for (a unary plus): left to
    itself, it walks the scope's indexes and sorts every visible match (81 ms for a county's
    "路灯" in a province, where walking the due index takes 26 ms)."""
    return Func(condition, template="+(%(expressions)s)", output_field=BooleanField())


def _table_and_share(visible: Q) -> tuple[int, float]:
    """The number of cases (≈ the highest id: ids are never deleted) and the share of them in
    `visible`, from SAMPLE runs of SPAN consecutive ids spread evenly over the table."""
    from grassroots.cases.models import Case

    table = Case.objects.aggregate(n=Max("id"))["n"] or 1
    if table <= SAMPLE * SPAN:
        sample = Q(pk__lte=table)
    else:
        step = table // SAMPLE
        sample = Q(pk__in=[])
        for i in range(SAMPLE):
            sample |= Q(pk__gt=i * step, pk__lte=i * step + SPAN)
    seen = Case.objects.filter(sample).aggregate(n=Count("id"), mine=Count("id", filter=visible))
    return table, seen["mine"] / max(seen["n"], 1)


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
