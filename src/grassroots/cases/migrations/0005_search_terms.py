"""The cases' search terms and their index (cases.search): a GIN index on PostgreSQL, an FTS5
table on SQLite; existing cases get their terms and are indexed."""

from django.db import migrations, models

from grassroots.cases import search


def fill_terms(apps, schema_editor):
    """Every existing case's terms, in batches of plain UPDATEs (bulk_update is far slower)."""
    Case = apps.get_model("cases", "Case")
    rows = Case.objects.values_list("pk", "title", "description").order_by("pk")
    batch = []
    with schema_editor.connection.cursor() as cur:
        for pk, title, description in rows.iterator(chunk_size=5000):
            batch.append((search.terms_for(title, description), pk))
            if len(batch) >= 5000:
                cur.executemany("UPDATE cases_case SET terms = %s WHERE id = %s", batch)
                batch = []
        if batch:
            cur.executemany("UPDATE cases_case SET terms = %s WHERE id = %s", batch)


def create_index(apps, schema_editor):
    for sql in search.CREATE_SQL.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)
    search.index_from(0)


def drop_index(apps, schema_editor):
    for sql in search.DROP_SQL.get(schema_editor.connection.vendor, []):
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
