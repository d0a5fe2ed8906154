"""PostgreSQL: a GiST index on each area's bounding box as a box, for the intake's "which grids
hold this point" (cases/routing.py `BBOX_CONTAINS`, the same expression): one index probe, not
a read of every area. SQLite has no such index; it serves a county, whose few thousand areas it
reads in well under a millisecond."""

from django.db import migrations

INDEX = "area_bbox_gist"


def _create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON areas_area USING gist "
            "(box(point(min_lon, min_lat), point(max_lon, max_lat)))"
        )


def _drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("areas", "0003_alter_posttype_role")]

    operations = [migrations.RunPython(_create, _drop, elidable=False)]
