"""The pay arithmetic (cadres.pay): pure, no database."""

from __future__ import annotations

import datetime
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grassroots.cadres import pay as p
from grassroots.cadres.errors import CadreError, CadreErrorCode

RULE = p.DEFAULT_PAY_RULE
day = datetime.date


def refused(code: str, field: str, fn, *args, **kwargs) -> None:
    with pytest.raises(CadreError) as err:
        fn(*args, **kwargs)
    assert err.value.code == code
    assert err.value.detail["field"] == field


@pytest.mark.parametrize(
    ("post", "years", "both", "amount"),
    [
        ("secretary", 0, False, "3000.00"), ("director", 0, False, "2700.00"),
        ("member", 0, False, "2400.00"), ("reserve", 0, False, "1800.00"),
        ("secretary", 2, False, "3000.00"), ("secretary", 3, False, "3100.00"),
        ("secretary", 5, False, "3100.00"), ("secretary", 6, False, "3200.00"),
        ("secretary", 9, False, "3200.00"), ("secretary", 10, False, "3300.00"),
        ("secretary", 40, False, "3300.00"), ("secretary", 7, True, "3500.00"),
        ("member", 3, False, "2500.00"),
    ],
)  # fmt: skip
def test_monthly_base_by_post_tenure_band_and_both_posts(post, years, both, amount) -> None:
    line = p.monthly_base(RULE, post=post, tenure_years=years, both_posts=both)
    assert line.amount == D(amount)
    assert line.amount == sum(part.amount for part in line.parts)
    assert ("both_posts" in [part.label for part in line.parts]) == both


@pytest.mark.parametrize(
    ("stars", "amount"),
    [(5, "15600.00"), (4, "13200.00"), (3, "12000.00"), (2, "7200.00"), (1, "0.00")],
)
def test_performance_by_stars(stars: int, amount: str) -> None:
    assert p.annual_performance(RULE, stars=stars, grade="competent").amount == D(amount)


def test_performance_by_grade() -> None:
    coef = {"excellent": "1.2", "competent": "1.0", "basic": "0.6", "incompetent": "0"}
    rule = p.pay_rule_from_config({"basis": "grade", "coefficients": coef})
    assert p.annual_performance(rule, stars=5, grade="basic").amount == D("7200.00")


def test_rewards_and_penalties_add_up_and_never_go_below_zero() -> None:
    reward = p.adjustment_of("500", "产业项目落地", "县委组织部")
    penalty = p.adjustment_of("-800.50", "信访处置不力", "县委组织部")
    line = p.annual_performance(RULE, stars=3, grade="competent", adjustments=[reward, penalty])
    assert line.amount == D("12000.00") + D(500) - D("800.50")
    heavy = p.adjustment_of("-9000", "违纪", "县纪委")
    floored = p.annual_performance(RULE, stars=2, grade="basic", adjustments=[heavy])
    assert floored.amount == 0 and floored.parts[-1].label == "floor"


def test_adjustments_need_reason_approver_and_fen() -> None:
    refused(CadreErrorCode.REASON_REQUIRED, "reason", p.adjustment_of, "100", " ", "张三")
    refused(CadreErrorCode.REASON_REQUIRED, "approver", p.adjustment_of, "100", "奖励", "")
    refused(CadreErrorCode.INVALID_VALUE, "amount", p.adjustment_of, "0.001", "奖励", "张三")
    refused(CadreErrorCode.INVALID_VALUE, "amount", p.adjustment_of, "0", "奖励", "张三")


def band(lo, hi, step="0"):
    return {"min_years": lo, "max_years": hi, "step": step}


@pytest.mark.parametrize(
    ("bands", "field"),
    [
        ([band(0, 3), band(2, None)], "tenure_bands[1]"),  # overlap
        ([band(0, 3), band(4, None)], "tenure_bands[1]"),  # gap
        ([band(1, None)], "tenure_bands[0]"),  # does not start at 0
        ([band(0, 3), band(3, 6)], "tenure_bands"),  # no open last band
        ([band(0, None), band(5, None)], "tenure_bands[1]"),  # after an open band
        ([band(0, 3, "-5"), band(3, None)], "tenure_bands[0].step"),
        ([band(0, 0), band(0, None)], "tenure_bands[0].max_years"),
        ([], "tenure_bands"),
    ],
)
def test_overlapping_or_gapped_tenure_bands_are_refused(bands, field) -> None:
    with pytest.raises(CadreError) as err:
        p.pay_rule_from_config({"tenure_bands": bands})
    assert err.value.detail["field"] == field
    assert err.value.code in (CadreErrorCode.TENURE_BANDS, CadreErrorCode.INVALID_VALUE)


def test_other_rule_refusals_name_their_field() -> None:
    refused(
        CadreErrorCode.INVALID_VALUE,
        "county_base",
        p.pay_rule_from_config,
        {"county_base": "3000.001"},
    )
    refused(
        CadreErrorCode.INVALID_VALUE,
        "post_ratios",
        p.pay_rule_from_config,
        {"post_ratios": {"secretary": 1}},
    )
    refused(
        CadreErrorCode.INVALID_VALUE,
        "coefficients",
        p.pay_rule_from_config,
        {"coefficients": {"5": 1}},
    )
    refused(CadreErrorCode.INVALID_VALUE, "basis", p.pay_rule_from_config, {"basis": "mood"})
    refused(
        CadreErrorCode.INVALID_VALUE,
        "post",
        p.monthly_base,
        RULE,
        post="mayor",
        tenure_years=1,
        both_posts=False,
    )


# --- terms: 一肩挑 and tenure --------------------------------------------------------------------


def test_both_posts_from_overlapping_secretary_and_director_terms() -> None:
    terms = [
        p.Term("secretary", day(2018, 1, 1)),
        p.Term("director", day(2021, 1, 1), day(2023, 12, 31)),
    ]
    assert not p.holds_both_posts(terms, day(2020, 6, 1))
    assert p.holds_both_posts(terms, day(2021, 1, 1))
    assert p.holds_both_posts(terms, day(2023, 12, 31))
    assert not p.holds_both_posts(terms, day(2024, 1, 1))
    assert p.main_post(terms, day(2022, 1, 1)) == "secretary"


def test_tenure_counts_overlapping_terms_once_and_gaps_not() -> None:
    terms = [
        p.Term("member", day(2010, 1, 1), day(2014, 12, 31)),
        p.Term("director", day(2013, 1, 1), day(2015, 12, 31)),
        p.Term("secretary", day(2020, 1, 1)),
    ]
    # 2010–2015 (6 years) + 2020-01-01 → 2026-01-01 (6 years)
    assert p.tenure_years(terms, day(2026, 1, 1)) == 12
    assert p.tenure_years(terms, day(2009, 1, 1)) == 0


dates = st.dates(min_value=day(2000, 1, 1), max_value=day(2030, 12, 31))
terms_st = st.lists(
    st.tuples(st.sampled_from(p.POSTS), dates, st.one_of(st.none(), dates)).map(
        lambda t: p.Term(t[0], min(t[1], t[2] or t[1]), None if t[2] is None else max(t[1], t[2]))
    ),
    max_size=5,
)


@settings(max_examples=100, deadline=None)
@given(terms_st, dates)
def test_property_tenure_is_bounded_by_the_span_and_never_falls(terms, on) -> None:
    years = p.tenure_years(terms, on)
    assert years >= 0
    if terms:
        first = min(t.started_on for t in terms)
        assert years <= max(0, (on - first).days) // 365 + 1
    assert p.tenure_years(terms, on + datetime.timedelta(days=400)) >= years
    assert p.holds_both_posts(terms, on) == ({"secretary", "director"} <= p.posts_on(terms, on))


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from(p.POSTS),
    st.integers(0, 60),
    st.booleans(),
    st.integers(100000, 900000).map(lambda n: D(n) / 100),
)
def test_property_base_is_exact_and_monotone_in_tenure(post, years, both, base) -> None:
    rule = p.pay_rule_from_config({"county_base": str(base)})
    line = p.monthly_base(rule, post=post, tenure_years=years, both_posts=both)
    assert line.amount == sum(part.amount for part in line.parts)
    assert line.amount == line.amount.quantize(D("0.01"))
    later = p.monthly_base(rule, post=post, tenure_years=years + 1, both_posts=both)
    assert later.amount >= line.amount
    if both:
        alone = p.monthly_base(rule, post=post, tenure_years=years, both_posts=False)
        assert line.amount - alone.amount == rule.both_posts_allowance
