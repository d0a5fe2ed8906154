"""The default entitlement catalogue (seeded by a migration; admins change it afterwards).

(code, name, subject, rule, owner level, due days). The rules are the issue's list, in the
rules language of `rules.py` (docs/relocation.md).
"""

# ruff: noqa: E501

DEFAULT = [
    ("kindergarten", "学前教育入园", "member", "school_age >= 3 and school_age <= 5", "community", 60),
    ("primary_school", "义务教育（小学）入学", "member", "school_age >= 6 and school_age <= 11", "community", 60),
    ("junior_school", "义务教育（初中）入学", "member", "school_age >= 12 and school_age <= 14", "community", 60),
    ("medical_insurance", "城乡居民医疗保险参保", "member", "true", "community", 30),
    (
        "employment_help",
        "就业帮扶（至少一人稳定就业）",
        "household",
        "any(members, age >= 16 and age < 60 and able_to_work)"
        " and none(members, age >= 16 and age < 60 and employed)",
        "community",
        90,
    ),
    ("land_trusteeship", "承包地托管", "household", "land_kept", "township", 90),
    ("property_certificate", "安置房不动产权证", "household", "true", "township", 180),
    ("relocation_subsidy", "搬迁补助与旧宅腾退奖补", "household", "homestead or years_since_move <= 3", "township", 60),
    ("elderly_care", "高龄老人关爱服务", "member", "age >= 70", "community", 30),
    ("disability_services", "残疾人两项补贴与康复服务", "member", "disabled", "community", 30),
]  # fmt: skip
