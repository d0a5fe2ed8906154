"""The rules language: parsing, checking, evaluating, saying in words; never eval; the doc's
examples hold (docs/relocation.md, the ```rules block)."""

from __future__ import annotations

import json
import pathlib
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grassroots.relocation import facts, rules

DOC = pathlib.Path(__file__).resolve().parents[1] / "docs" / "relocation.md"


def test_member_rules_evaluate_over_a_member():
    child = {"age": 6, "school_age": 6, "disabled": False, "employment": "student"}
    assert rules.applies("school_age >= 6 and school_age <= 11", "member", child)
    assert not rules.applies("age >= 70 or disabled", "member", child)
    assert rules.applies('employment in ["student", "preschool"]', "member", child)
    assert rules.applies('employment not in ["employed"]', "member", child)
    assert rules.applies("not (age > 10)", "member", child)
    assert rules.applies("age + 1 == 7", "member", child)


def test_household_rules_quantify_over_members():
    members = [
        {"age": 40, "employed": False, "able_to_work": True},
        {"age": 8, "employed": False, "able_to_work": True},
    ]
    house = {"members": members, "land_kept": True}
    rule = "any(members, age >= 16 and able_to_work) and none(members, employed)"
    assert rules.applies(rule, "household", house)
    members[0]["employed"] = True
    assert not rules.applies(rule, "household", house)
    assert rules.evaluate(rules.parse("count(members, age < 18)"), house) == 1
    assert rules.applies("all(members, able_to_work) and land_kept", "household", house)


@pytest.mark.parametrize(
    ("text", "subject", "says"),
    [
        ("age >", "member", "应为一个值"),
        ("agee >= 3", "member", "未知的属性“agee”"),
        ("land_kept", "member", "未知的属性“land_kept”"),
        ("any(members, age > 1)", "member", "只能用于按户的规则"),
        ("any(people, age > 1)", "household", "只能作用于 members"),
        ("age >= 3 and", "member", "应为一个值"),
        ('__import__("os").system("x")', "member", "无法识别的字符"),
        ('__import__("os")', "member", "多余的内容"),
        ("age; 1", "member", "无法识别的字符"),
        ("", "member", "不能为空"),
        ("[age] == 1", "member", "列表中只能是数字或文字"),
        ("(" * 40 + "age" + ")" * 40, "member", "嵌套过深"),
    ],
)
def test_a_bad_rule_is_refused_saying_what_and_where(text, subject, says):
    with pytest.raises(rules.RuleError) as exc:
        rules.compile_rule(text, subject)
    assert says in str(exc.value)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="agemb_rs ()[],<>=!+-\"'0123456789andornotinyl", max_size=60))
def test_any_text_parses_or_is_a_rule_error_never_anything_else(text):
    try:
        tree = rules.compile_rule(text, "member")
    except rules.RuleError:
        return
    rules.evaluate(tree, {"age": 5, "school_age": 5})


def test_a_rule_in_words():
    assert rules.in_words("age >= 70", "member") == "年龄不小于70"
    assert rules.in_words("true", "household") == "总是适用"
    assert "有成员（持有残疾人证）" in rules.in_words("any(members, disabled)", "household")


def test_school_age_is_the_age_on_31_august():
    import datetime

    born = datetime.date(2020, 10, 1)
    june = facts.member_facts(
        birth_date=born, sex="male", relation="child", employment="", education="",
        disabled=False, today=datetime.date(2026, 6, 1),
    )  # fmt: skip
    assert (june["age"], june["school_age"]) == (5, 5)
    sept = facts.member_facts(
        birth_date=datetime.date(2020, 8, 31), sex="male", relation="child", employment="",
        education="", disabled=False, today=datetime.date(2026, 6, 1),
    )  # fmt: skip
    assert (sept["age"], sept["school_age"]) == (5, 6)


def test_the_documented_examples_hold():
    block = re.search(r"```rules\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert block, "docs/relocation.md has no ```rules block"
    examples = [line for line in block.group(1).splitlines() if line.strip()]
    assert len(examples) >= 8
    for line in examples:
        subject, rule, given_facts, expected = (part.strip() for part in line.split(" | "))
        got = rules.applies(rule, subject, json.loads(given_facts))
        assert got is (expected == "true"), line
