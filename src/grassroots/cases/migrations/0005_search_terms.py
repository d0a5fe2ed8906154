"""The cases' search terms and their index (cases.search): a GIN index on PostgreSQL, an FTS5
table on SQLite; existing cases get their terms and are indexed.

What it needs of `cases.search` is copied here, frozen as it was when the migration was written,
so that the migration keeps its meaning when search.py changes (tests/test_case_search.py checks
that the two still agree while they should).
"""

import re

from django.db import migrations, models

FTS_TABLE = "cases_case_terms"
_RUNS = re.compile(r"[^\W_]+")


def terms_of(text):
    """The distinct two-character pieces of the word runs of `text`, lower-cased, in order."""
    seen = {}
    for run in _RUNS.findall(text.lower()):
        for i in range(len(run) - 1):
            seen.setdefault(run[i : i + 2], None)
    return list(seen)


def terms_for(title, description):
    """The stored `terms` of a case: its title's and description's pieces, space-separated."""
    return " ".join(terms_of(f"{title}\n{description}"))


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


def index_all(connection):
    """Every case into SQLite's FTS table (PostgreSQL's index keeps itself)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cur:
            cur.execute(f"INSERT INTO {FTS_TABLE}(rowid, terms) SELECT id, terms FROM cases_case")


def fill_terms(apps, schema_editor):
    """Every existing case's terms, in batches of plain UPDATEs (bulk_update is far slower)."""
    Case = apps.get_model("cases", "Case")
    rows = Case.objects.values_list("pk", "title", "description").order_by("pk")
    batch = []
    with schema_editor.connection.cursor() as cur:
        for pk, title, description in rows.iterator(chunk_size=5000):
            batch.append((terms_for(title, description), pk))
            if len(batch) >= 5000:
                cur.executemany("UPDATE cases_case SET terms = %s WHERE id = %s", batch)
                batch = []
        if batch:
            cur.executemany("UPDATE cases_case SET terms = %s WHERE id = %s", batch)


def create_index(apps, schema_editor):
    for sql in CREATE_SQL.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)
    index_all(schema_editor.connection)


def drop_index(apps, schema_editor):
    for sql in DROP_SQL.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_area_path"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="terms",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill_terms, migrations.RunPython.noop),
        migrations.RunPython(create_index, drop_index),
    ]
