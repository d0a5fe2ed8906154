"""The platform's preloaded ledger templates (`reports.preloaded`), as built-in rows; a later
version of a definition replaces the row's definition, a county's own templates are untouched."""

from django.db import migrations

from grassroots.reports.preloaded import PRELOADED


def load(apps, schema_editor):
    LedgerTemplate = apps.get_model("reports", "LedgerTemplate")
    for t in PRELOADED:
        LedgerTemplate.objects.update_or_create(
            code=t["code"],
            defaults={
                "name": t["name"],
                "issuer": t["issuer"],
                "definition": t["definition"],
                "builtin": True,
                "active": True,
            },
        )


def unload(apps, schema_editor):
    LedgerTemplate = apps.get_model("reports", "LedgerTemplate")
    LedgerTemplate.objects.filter(builtin=True, requests__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_templates_and_requests")]

    operations = [migrations.RunPython(load, unload)]
