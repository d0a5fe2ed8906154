"""The default entitlement catalogue (relocation/catalogue_data.py)."""

from django.db import migrations


def create(apps, schema_editor):
    from grassroots.relocation.catalogue_data import DEFAULT

    Entitlement = apps.get_model("relocation", "Entitlement")
    for order, (code, name, subject, rule, level, days) in enumerate(DEFAULT, start=1):
        Entitlement.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "subject": subject,
                "rule": rule,
                "owner_level": level,
                "due_days": days,
                "order": order,
            },
        )


def remove(apps, schema_editor):
    from grassroots.relocation.catalogue_data import DEFAULT

    apps.get_model("relocation", "Entitlement").objects.filter(
        code__in=[row[0] for row in DEFAULT]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("relocation", "0001_initial")]

    operations = [migrations.RunPython(create, remove)]
