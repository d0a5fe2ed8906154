"""Indexes an intake no longer writes: the single-column indexes of foreign keys that lead a
composite index already (case.matter, .area, .unit; caseevent.case; idempotencykey.actor;
notification.unit), and PostgreSQL's `_like` twin of the reporter's phone index, which only
equality reads.

Only the indexes are dropped (and the phone's plain index recreated as `case_phone`). Django's
own AlterField would drop and re-add each foreign-key constraint, checking every row again.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# (table, column) whose own index goes; its name is Django's (the same on both engines).
DROPPED = [
    ("cases_case", "area_id"),
    ("cases_case", "matter_id"),
    ("cases_case", "unit_id"),
    ("cases_case", "reporter_phone_index"),
    ("cases_caseevent", "case_id"),
    ("cases_idempotencykey", "actor_id"),
    ("cases_notification", "unit_id"),
]


def drop(apps, schema_editor):
    for table, column in DROPPED:
        name = schema_editor._create_index_name(table, [column])
        for index in (name, f"{name}_like"):  # the twin exists on PostgreSQL only
            schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(index)}")


def restore(apps, schema_editor):
    for table, column in DROPPED:
        name = schema_editor._create_index_name(table, [column])
        q = schema_editor.quote_name
        schema_editor.execute(f"CREATE INDEX {q(name)} ON {q(table)} ({q(column)})")


class Migration(migrations.Migration):
    dependencies = [
        ("areas", "0004_bbox_gist"),
        ("cases", "0007_case_updated_index"),
        ("people", "0007_import_interrupted"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="case",
                    name="area",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="cases",
                        to="areas.area",
                        verbose_name="所在区域",
                    ),
                ),
                migrations.AlterField(
                    model_name="case",
                    name="matter",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="cases",
                        to="cases.matter",
                        verbose_name="职能事项",
                    ),
                ),
                migrations.AlterField(
                    model_name="case",
                    name="reporter_phone_index",
                    field=models.CharField(blank=True, max_length=32),
                ),
                migrations.AlterField(
                    model_name="case",
                    name="unit",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="cases",
                        to="areas.unit",
                        verbose_name="承办单位",
                    ),
                ),
                migrations.AlterField(
                    model_name="caseevent",
                    name="case",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="events",
                        to="cases.case",
                    ),
                ),
                migrations.AlterField(
                    model_name="idempotencykey",
                    name="actor",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AlterField(
                    model_name="notification",
                    name="unit",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="notifications",
                        to="areas.unit",
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(drop, restore)],
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["reporter_phone_index"], name="case_phone"),
        ),
    ]
