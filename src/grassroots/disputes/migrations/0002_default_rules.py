"""The default risk rules (editable afterwards): the highest matching rule sets the risk."""

from django.db import migrations

# (kind or "" for any, minimum parties or None, risk, note)
DEFAULTS = [
    ("", 5, "red", "五方以上当事人：可能引发群体性事件"),
    ("labour", 3, "red", "三方以上的劳资纠纷：欠薪类群体性风险"),
    ("land", None, "yellow", "土地纠纷：易反复、易激化"),
    ("marriage", None, "yellow", "婚姻纠纷：防止民转刑"),
    ("labour", None, "yellow", "劳资纠纷"),
    ("", 3, "yellow", "三方以上当事人"),
]


def seed(apps, schema_editor):
    RiskRule = apps.get_model("disputes", "RiskRule")
    for kind, parties, risk, note in DEFAULTS:
        RiskRule.objects.create(kind=kind, min_parties=parties, risk=risk, note=note)


def unseed(apps, schema_editor):
    apps.get_model("disputes", "RiskRule").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("disputes", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
