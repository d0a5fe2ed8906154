"""The county-wide default visit plan: vulnerable households monthly, relocated households
quarterly, every household yearly. Communities override these with rules of their own."""

from django.db import migrations

DEFAULTS = [
    # tag code ("" = every household), interval in days
    ("elderly_alone", 30),
    ("disabled", 30),
    ("relocated", 91),
    ("", 365),
]


def create(apps, schema_editor):
    PlanRule = apps.get_model("visits", "PlanRule")
    for tag, days in DEFAULTS:
        PlanRule.objects.update_or_create(area=None, tag=tag, defaults={"interval_days": days})


def remove(apps, schema_editor):
    PlanRule = apps.get_model("visits", "PlanRule")
    PlanRule.objects.filter(area=None, tag__in=[t for t, _ in DEFAULTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("visits", "0001_initial")]
    operations = [migrations.RunPython(create, remove)]
