"""PostgreSQL: the throttle counters' table is UNLOGGED — no WAL, so a counting statement is one
round trip that never waits for a flush (core/throttle.py). A crash empties it, which costs a
few requests' worth of limit; it is not copied to standbys, and it is only ever read on the
primary (db/routing.py PRIMARY_APPS)."""

from django.db import migrations


def _set(logged: bool):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            mode = "LOGGED" if logged else "UNLOGGED"
            schema_editor.execute(f"ALTER TABLE core_throttlecounter SET {mode}")

    return run


class Migration(migrations.Migration):
    dependencies = [("core", "0006_merge_second_factor")]

    operations = [migrations.RunPython(_set(False), _set(True), elidable=False)]
