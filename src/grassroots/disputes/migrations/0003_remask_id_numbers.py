"""Outsider parties' stored ID masks narrowed to first 1 / last 1 (issue 15, defect 5), derived
in SQL from the stored mask itself (nothing decrypted); see `people.masking.remask_id`."""

from django.db import migrations
from django.db.models import F, Value
from django.db.models.functions import Concat, Left, Length, Right

NEW_MASK = Concat(Left(F("id_number_masked"), 1), Value("*" * 16), Right(F("id_number_masked"), 1))


def remask(apps, schema_editor):
    Party = apps.get_model("disputes", "Party")
    Party.objects.annotate(n=Length("id_number_masked")).filter(n=18).update(
        id_number_masked=NEW_MASK
    )


class Migration(migrations.Migration):
    dependencies = [("disputes", "0002_default_rules")]

    operations = [migrations.RunPython(remask, migrations.RunPython.noop, elidable=True)]
