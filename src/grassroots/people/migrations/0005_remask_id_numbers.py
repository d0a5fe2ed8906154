"""Stored ID masks narrowed from first 3 / last 4 to first 1 / last 1 (issue 15, defect 5).

The new mask keeps a subset of the old one's characters, so it is derived in SQL from the stored
mask itself: nothing is decrypted. The rule is frozen here (see `people.masking.remask_id`).
"""

from django.db import migrations
from django.db.models import F, Value
from django.db.models.functions import Concat, Left, Length, Right

NEW_MASK = Concat(Left(F("id_number_masked"), 1), Value("*" * 16), Right(F("id_number_masked"), 1))


def remask(apps, schema_editor):
    Resident = apps.get_model("people", "Resident")
    Resident.objects.annotate(n=Length("id_number_masked")).filter(n=18).update(
        id_number_masked=NEW_MASK
    )


class Migration(migrations.Migration):
    dependencies = [("people", "0004_resident_party_branch")]

    operations = [migrations.RunPython(remask, migrations.RunPython.noop, elidable=True)]
