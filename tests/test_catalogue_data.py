"""The matter catalogue data: 87 matters of the 27 county units, articles and case descriptions."""

from collections import Counter

from grassroots.cases import catalogue_data
from grassroots.cases.catalogue_data import (
    ARTICLES,
    DESCRIPTIONS,
    MATTERS,
    UNIT_SHORT_NAMES,
    check_catalogue,
)
from grassroots.demo.data import COUNTY_UNITS


def test_catalogue_checks_pass():
    check_catalogue()


def test_units_are_the_demo_county_units():
    short_names = tuple(unit.short_name for unit in COUNTY_UNITS)
    assert len(short_names) == 27
    assert short_names == UNIT_SHORT_NAMES
    assert {m.unit for m in MATTERS} == set(short_names)


def test_big_units_have_more_matters():
    per_unit = Counter(m.unit for m in MATTERS)
    for unit in ("人社局", "民政局", "医保局", "住建局", "综合执法局"):
        assert per_unit[unit] >= 5, unit
    assert sum(per_unit.values()) == 87


def test_every_level_is_used():
    assert {m.level for m in MATTERS} == set(catalogue_data.LEVELS)


def test_articles_answer_questions_not_repairs():
    by_code = {m.code: m for m in MATTERS}
    for article in ARTICLES:
        matter = by_code[article.matter]
        assert matter.public, article.matter
        # Urgent repairs and hazards (calendar-hour limits) are dispatched, not answered.
        assert matter.resolution_limit[1] != catalogue_data.CALENDAR_HOURS, article.matter


def test_descriptions_carry_no_phone_or_id_numbers():
    for texts in DESCRIPTIONS.values():
        for text in texts:
            assert not any(ch.isdigit() for ch in text) or "号楼" in text, text
