"""The built-in groups that get care or attention; admins may add more."""

from django.db import migrations

BUILTIN = [
    # code, name, vulnerable, description
    ("elderly_alone", "独居老人", True, "60 周岁以上独自居住的老人"),
    ("disabled", "残疾人", True, "持有残疾人证"),
    ("left_behind_child", "留守儿童", True, "父母双方外出务工或一方外出另一方无监护能力的未成年人"),
    ("low_income", "低保对象", True, "最低生活保障对象及低收入家庭成员"),
    ("key_person", "重点人员", True, "需要重点关注的安全稳定人员"),
    ("relocated", "易地搬迁", False, "易地扶贫搬迁安置人口"),
    ("veteran", "退役军人", False, "退役军人及其他优抚对象"),
]


def create(apps, schema_editor):
    Tag = apps.get_model("people", "Tag")
    for code, name, vulnerable, description in BUILTIN:
        Tag.objects.update_or_create(
            code=code,
            defaults={"name": name, "vulnerable": vulnerable, "builtin": True, "description": description},
        )


def remove(apps, schema_editor):
    apps.get_model("people", "Tag").objects.filter(builtin=True).delete()


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]
    operations = [migrations.RunPython(create, remove)]
