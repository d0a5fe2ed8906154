"""The community standard's indicators (issue 20: 社区建设规范化 → 基层保障力): the share of
communities meeting their county's standard and the lines not met, over the community app's
kept compliance rows (docs/scorecard.md lists them). Adds each unless its code exists; placed
after every indicator already there."""

from django.db import migrations
from django.db.models import Max

# (code, pillar, label, label_en, definition, definition_en, unit, figure, per)
ADDED = [
    ("community_compliance", "community", "社区建设规范达标率", "Communities meeting the standard",
     "对照本县社区建设规范评估的社区和村中，每一项都达标的 ÷ 参评的（现时数）。",
     "Communities and villages assessed against their county's standard that meet every "
     "line of it, divided by those assessed, now.",
     "rate", "compliance_communities_met", "compliance_communities"),
    ("community_compliance_gaps", "community", "社区建设规范未达标项", "Standard lines not met",
     "参评的社区和村未达到社区建设规范的项数：岗位、设施、综合服务队、网格配备（现时数）。",
     "Lines of the county's community standard — posts, facilities, service team, grids — "
     "not met by the communities and villages assessed, now.",
     "count", "compliance_gaps", ""),
]  # fmt: skip


def create(apps, schema_editor):
    Indicator = apps.get_model("scorecard", "Indicator")
    last = Indicator.objects.aggregate(hi=Max("position"))["hi"]
    position = -1 if last is None else last
    for row in ADDED:
        code, pillar, label, label_en, definition, definition_en, unit, figure, per = row
        if Indicator.objects.filter(code=code).exists():
            continue
        position += 1
        Indicator.objects.create(
            code=code,
            pillar=pillar,
            label=label,
            label_en=label_en,
            definition=definition,
            definition_en=definition_en,
            unit=unit,
            figure=figure,
            per=per,
            position=position,
        )


def remove(apps, schema_editor):
    Indicator = apps.get_model("scorecard", "Indicator")
    Indicator.objects.filter(code__in=[row[0] for row in ADDED]).delete()


class Migration(migrations.Migration):
    dependencies = [("scorecard", "0003_served_day")]
    operations = [migrations.RunPython(create, remove)]
