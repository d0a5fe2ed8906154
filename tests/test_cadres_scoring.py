"""The appraisal arithmetic (cadres.scoring): pure, no database."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grassroots.cadres import scoring as s
from grassroots.cadres.errors import CadreError, CadreErrorCode

SCHEME = s.DEFAULT_SCHEME
Q = {"party_building": 90, "development": 85, "governance": 88, "service": 92, "integrity": 95}
TOWNSHIP = {"tasks": 90, "collective_economy": 80, "stability": 85}


def reviews(**over: s.Ballots) -> dict[str, s.Ballots]:
    base = {g: s.Ballots(scores=(D(80),)) for g in s.GROUPS}
    return {**base, **over}


def data(**over) -> s.AnnualInput:
    fields = {
        "quarters": (Q, Q, Q, Q),
        "pledges": ("fulfilled",),
        "township": TOWNSHIP,
        "reviews": reviews(),
        "penalty": False,
    }
    return s.AnnualInput(**{**fields, **over})


def refused(code: str, field: str, fn, *args, **kwargs) -> None:
    with pytest.raises(CadreError) as err:
        fn(*args, **kwargs)
    assert err.value.code == code
    assert err.value.detail["field"] == field


# --- grades and stars: every band edge -------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        ("100", "excellent"), ("90", "excellent"), ("89.99", "competent"), ("75", "competent"),
        ("74.99", "basic"), ("60", "basic"), ("59.99", "incompetent"), ("0", "incompetent"),
    ],
)  # fmt: skip
def test_grade_bands(total: str, grade: str) -> None:
    assert s.grade_of(SCHEME, D(total)) == grade


@pytest.mark.parametrize(
    ("total", "stars"),
    [
        ("100", 5), ("95", 5), ("94.99", 4), ("85", 4), ("84.99", 3), ("75", 3),
        ("74.99", 2), ("60", 2), ("59.99", 1), ("0", 1),
    ],
)  # fmt: skip
def test_star_thresholds(total: str, stars: int) -> None:
    assert s.stars_of(SCHEME, D(total)) == stars


# --- the formula ------------------------------------------------------------------------------


def test_quarter_is_the_weighted_indicators() -> None:
    # 90×30 + 85×25 + 88×20 + 92×15 + 95×10 = 8915 → 89.15
    assert s.quarter_score(SCHEME, Q) == D("89.15")


def test_votes_count_at_their_values_and_unfit_share() -> None:
    ballots = s.Ballots(votes={"excellent": 2, "competent": 1, "incompetent": 1})
    mean, share = s.group_score(SCHEME, ballots, "g")
    assert mean == (D(200) + D(80) + D(40)) / 4
    assert share == D(25)


def test_score_ballots_below_60_count_as_unfit() -> None:
    _mean, share = s.group_score(SCHEME, s.Ballots(scores=(D(59), D(60), D(90))), "g")
    assert share == D(100) / 3


def test_annual_total_is_the_sum_of_the_listed_contributions() -> None:
    result = s.annual_score(SCHEME, data())
    parts = {line.label: line for line in result.lines if line.label in s.PARTS}
    assert sum(p.contributes for p in parts.values()) == result.total
    # quarterly 89.15×30 + pledges 100×20 + township 85.50×30 + reviews 80×20
    assert result.total == D("26.75") + D("20.00") + D("25.65") + D("16.00")
    assert (result.grade, result.stars, result.caps) == ("competent", 4, ())


def test_unfit_share_of_30_percent_caps_at_two_stars_with_a_warning_talk() -> None:
    # given a strong cadre whose villagers' representatives vote 3 of 10 不称职
    top = {k: 100 for k in Q}
    votes = s.Ballots(votes={"excellent": 7, "incompetent": 3})
    strong = data(
        quarters=(top,) * 4,
        township={k: 100 for k in TOWNSHIP},
        reviews=reviews(representatives=votes, party_members=s.Ballots(scores=(D(100),))),
    )
    result = s.annual_score(SCHEME, strong)
    assert result.uncapped_stars >= 4
    assert result.stars == 2 and result.warning_talk
    assert result.caps == ("unfit_share:representatives",)


def test_unfit_share_just_below_30_percent_does_not_cap() -> None:
    votes = s.Ballots(votes={"excellent": 71, "incompetent": 29})
    result = s.annual_score(SCHEME, data(reviews=reviews(party_members=votes)))
    assert result.caps == () and not result.warning_talk


def test_a_disciplinary_penalty_caps_at_two_stars() -> None:
    result = s.annual_score(SCHEME, data(penalty=True))
    assert result.uncapped_stars == 4 and result.stars == 2
    assert result.caps == ("penalty",) and not result.warning_talk


def test_caps_never_raise_stars() -> None:
    low = {k: 10 for k in Q}
    worst = data(
        quarters=(low,) * 4,
        township={k: 10 for k in TOWNSHIP},
        pledges=("unfulfilled",),
        penalty=True,
    )
    result = s.annual_score(SCHEME, worst)
    assert result.stars == result.uncapped_stars == 1


# --- bad input, naming the field ---------------------------------------------------------------


def test_weights_not_adding_to_100_are_refused() -> None:
    parts = {"quarterly": 30, "pledges": 20, "township": 30, "reviews": 10}
    refused(CadreErrorCode.WEIGHTS_NOT_100, "parts", s.scheme_from_config, {"parts": parts})
    groups = {"party_members": 50, "representatives": 30, "township_committee": 30}
    refused(CadreErrorCode.WEIGHTS_NOT_100, "groups", s.scheme_from_config, {"groups": groups})
    rows = [
        {"code": "a", "name": "党建", "weight": 60},
        {"code": "b", "name": "发展", "weight": 30},
    ]
    refused(CadreErrorCode.WEIGHTS_NOT_100, "quarterly", s.scheme_from_config, {"quarterly": rows})


@pytest.mark.parametrize(
    ("measure", "name"),
    [
        ("logins", "活跃度"), ("clicks", "使用"), ("check_ins", "到岗"), ("likes", "宣传"),
        ("screen_time", "学习"), ("manual", "APP登录次数"), ("manual", "每日打卡"),
        ("manual", "点赞数"), ("manual", "在线时长"), ("manual", "Time on screen"),
    ],
)  # fmt: skip
def test_an_activity_count_indicator_is_refused(measure: str, name: str) -> None:
    rows = [
        {"code": "a", "name": "党建", "weight": 50},
        {"code": "b", "name": name, "weight": 50, "measure": measure},
    ]
    refused(
        CadreErrorCode.ACTIVITY_INDICATOR, "township[1]", s.scheme_from_config, {"township": rows}
    )


def test_outcome_measures_are_accepted() -> None:
    rows = [
        {"code": "a", "name": "诉求按时办结", "weight": 50, "measure": "cases_on_time"},
        {"code": "b", "name": "走访完成", "weight": 50, "measure": "visits_done"},
    ]
    assert [i.measure for i in s.scheme_from_config({"township": rows}).township] == [
        "cases_on_time",
        "visits_done",
    ]


@pytest.mark.parametrize("bad", [-1, "100.01", 101, "abc", float("nan")])
def test_scores_out_of_range_are_refused(bad) -> None:
    code = (
        CadreErrorCode.INVALID_VALUE
        if bad in ("abc",) or bad != bad
        else (CadreErrorCode.SCORE_OUT_OF_RANGE)
    )
    quarters = ({**Q, "governance": bad}, Q, Q, Q)
    refused(code, "quarters[0].governance", s.annual_score, SCHEME, data(quarters=quarters))


def test_a_rater_group_with_no_ballots_is_refused() -> None:
    empty = reviews(township_committee=s.Ballots())
    refused(
        CadreErrorCode.NO_BALLOTS,
        "reviews.township_committee",
        s.annual_score,
        SCHEME,
        data(reviews=empty),
    )
    missing = {g: b for g, b in reviews().items() if g != "representatives"}
    refused(
        CadreErrorCode.NO_BALLOTS,
        "reviews.representatives",
        s.annual_score,
        SCHEME,
        data(reviews=missing),
    )


def test_other_refusals_name_their_field() -> None:
    refused(CadreErrorCode.INVALID_VALUE, "quarters", s.annual_score, SCHEME, data(quarters=(Q,)))
    refused(CadreErrorCode.INVALID_VALUE, "pledges", s.annual_score, SCHEME, data(pledges=()))
    refused(
        CadreErrorCode.INVALID_VALUE,
        "pledges[1]",
        s.annual_score,
        SCHEME,
        data(pledges=("fulfilled", "maybe")),
    )
    partial = {"tasks": 90, "collective_economy": 80}
    refused(
        CadreErrorCode.INVALID_VALUE,
        "township.stability",
        s.annual_score,
        SCHEME,
        data(township=partial),
    )
    bands = {"excellent": 90, "competent": 95, "basic": 60, "incompetent": 0}
    refused(
        CadreErrorCode.INVALID_VALUE, "grade_bands", s.scheme_from_config, {"grade_bands": bands}
    )


# --- properties --------------------------------------------------------------------------------

score = st.integers(min_value=0, max_value=10000).map(lambda n: D(n) / 100)
quarter = st.fixed_dictionaries({k: score for k in Q})
ballots = st.one_of(
    st.lists(score, min_size=1, max_size=6).map(lambda xs: s.Ballots(scores=tuple(xs))),
    st.fixed_dictionaries({v: st.integers(0, 20) for v in s.VOTES})
    .filter(lambda d: sum(d.values()) > 0)
    .map(lambda d: s.Ballots(votes=d)),
)
annual = st.builds(
    s.AnnualInput,
    quarters=st.tuples(quarter, quarter, quarter, quarter),
    pledges=st.lists(st.sampled_from(s.VERDICTS), min_size=1, max_size=5).map(tuple),
    township=st.fixed_dictionaries({k: score for k in TOWNSHIP}),
    reviews=st.fixed_dictionaries({g: ballots for g in s.GROUPS}),
    penalty=st.booleans(),
)


@settings(max_examples=150, deadline=None)
@given(annual)
def test_property_total_in_range_and_explained(d: s.AnnualInput) -> None:
    r = s.annual_score(SCHEME, d)
    assert D(0) <= r.total <= D(100)
    assert r.total == sum(line.contributes for line in r.lines if line.label in s.PARTS)
    assert r.grade == s.grade_of(SCHEME, r.total)
    assert r.uncapped_stars == s.stars_of(SCHEME, r.total)
    assert 1 <= r.stars <= r.uncapped_stars
    capped = d.penalty or any(v >= 30 for v in r.unfit_shares.values())
    assert (r.stars <= 2) or not capped
    assert r.warning_talk == any(v >= 30 for v in r.unfit_shares.values())
    if not capped:
        assert r.stars == r.uncapped_stars and r.caps == ()


@settings(max_examples=80, deadline=None)
@given(annual, st.sampled_from(list(Q)))
def test_property_a_better_quarter_never_lowers_the_total(d: s.AnnualInput, code: str) -> None:
    better = ({**d.quarters[0], code: D(100)}, *d.quarters[1:])
    worse = s.annual_score(SCHEME, d)
    improved = s.annual_score(
        SCHEME, s.AnnualInput(better, d.pledges, d.township, d.reviews, d.penalty)
    )
    assert improved.total >= worse.total
    assert improved.stars >= worse.stars


@settings(max_examples=80, deadline=None)
@given(st.lists(st.integers(1, 40), min_size=2, max_size=6))
def test_property_weights_validate_iff_they_sum_to_100(ws: list[int]) -> None:
    rows = [{"code": f"i{n}", "name": f"指标{n}", "weight": w} for n, w in enumerate(ws)]
    if sum(ws) == 100:
        assert len(s.scheme_from_config({"township": rows}).township) == len(ws)
    else:
        refused(
            CadreErrorCode.WEIGHTS_NOT_100, "township", s.scheme_from_config, {"township": rows}
        )
