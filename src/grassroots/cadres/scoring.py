"""The appraisal arithmetic (季评年考, 一诺一考三评议): pure functions over plain values.

A `Scheme` is the year's configuration (the organisation department edits it; `DEFAULT_SCHEME`
holds the defaults of docs/cadres.md). `scheme_from_config` validates one from JSON: weights
add up to 100, every indicator measures an outcome (never log-ins, clicks, check-ins, likes or
time on screen), bands and thresholds are ordered. `annual_score` combines the four quarterly
results, the pledges, the township's assessment and the three reviews into the total, the
grade and the stars, with the caps, and says how at every step (`Explanation`).

Every number is a `Decimal`, rounded half up to two places only where a result is shown.
Refusals are `CadreError`s naming the field (``quarters[2].party_building``).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from grassroots.cadres.errors import CadreError, CadreErrorCode

ZERO = Decimal(0)
HUNDRED = Decimal(100)
CENT = Decimal("0.01")

# Outcome measures an indicator may draw on: entered by the assessor, or read from what the
# platform already records for the village (cases answered on time, visits due and made,
# disputes settled, the cadre's training hours — read by the `training` app, `cadres.measures`).
OUTCOME_MEASURES = (
    "manual", "cases_on_time", "visits_done", "disputes_settled", "training_hours",
)  # fmt: skip
# Activity counts national rules forbid as grounds for assessment; a scheme naming one is refused.
ACTIVITY_MEASURES = ("logins", "clicks", "check_ins", "likes", "screen_time")
ACTIVITY_WORDS = (
    "登录", "登陆", "点击", "签到", "打卡", "点赞", "在线时长", "停留时长", "使用时长", "浏览量",
    "login", "log-in", "log in", "click", "check-in", "checkin", "like", "screen time",
    "time on screen", "time online",
    "上传照片", "照片上传", "photos uploaded", "photo upload",
)  # fmt: skip

PARTS = ("quarterly", "pledges", "township", "reviews")
GROUPS = ("party_members", "representatives", "township_committee")
VOTES = ("excellent", "competent", "basic", "incompetent")
GRADES = ("excellent", "competent", "basic", "incompetent")
VERDICTS = ("fulfilled", "partly", "unfulfilled")


def q2(value: Decimal) -> Decimal:
    """Two decimal places, half up (how a score or an amount is shown and stored)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def fail(code: str, message: str, name: str, **detail: Any) -> CadreError:
    return CadreError(code, message, field=name, **detail)


def decimal_of(value: Any, name: str) -> Decimal:
    """`value` as a finite Decimal (floats through their shortest repr), or a field error."""
    try:
        number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise fail(CadreErrorCode.INVALID_VALUE, "not a number", name) from None
    if not number.is_finite():
        raise fail(CadreErrorCode.INVALID_VALUE, "not a number", name)
    return number


def score_of(value: Any, name: str) -> Decimal:
    """A score in 0–100, or SCORE_OUT_OF_RANGE naming the field."""
    number = decimal_of(value, name)
    if not ZERO <= number <= HUNDRED:
        raise fail(CadreErrorCode.SCORE_OUT_OF_RANGE, "score must be 0–100", name, value=str(value))
    return number


# --- the scheme -------------------------------------------------------------------------


@dataclass(frozen=True)
class Indicator:
    """One scored indicator: a weight (of 100 within its list) and what it measures."""

    code: str
    name: str
    weight: Decimal
    measure: str = "manual"


@dataclass(frozen=True)
class Scheme:
    """A year's appraisal scheme. Weights are percentages; each list of them adds up to 100."""

    quarterly: tuple[Indicator, ...]
    township: tuple[Indicator, ...]
    parts: Mapping[str, Decimal]
    groups: Mapping[str, Decimal]
    # the score a vote counts as (优秀 100, 称职 80 …)
    vote_values: Mapping[str, Decimal]
    # the score a pledge's verdict counts as
    verdict_values: Mapping[str, Decimal]
    # lowest total of each grade, best first (the last grade takes everything below)
    grade_bands: Mapping[str, Decimal]
    # lowest total of 5★, 4★, 3★, 2★ (below the last: 1★)
    star_thresholds: Mapping[int, Decimal]
    # a 不称职 share (percent) at or above this in any rater group caps the stars
    unfit_share_cap: Decimal
    unfit_cap_stars: int
    penalty_cap_stars: int


DEFAULT_CONFIG: dict[str, Any] = {
    "quarterly": [
        {"code": "party_building", "name": "党的建设", "weight": 30},
        {"code": "development", "name": "产业发展", "weight": 25},
        {"code": "governance", "name": "基层治理", "weight": 20},
        {"code": "service", "name": "为民服务", "weight": 15, "measure": "cases_on_time"},
        {"code": "integrity", "name": "廉洁自律", "weight": 10},
    ],
    "township": [
        {"code": "tasks", "name": "重点任务完成", "weight": 40},
        {"code": "collective_economy", "name": "集体经济", "weight": 30},
        {"code": "stability", "name": "平安建设", "weight": 30, "measure": "disputes_settled"},
    ],
    "parts": {"quarterly": 30, "pledges": 20, "township": 30, "reviews": 20},
    "groups": {"party_members": 40, "representatives": 30, "township_committee": 30},
    "vote_values": {"excellent": 100, "competent": 80, "basic": 65, "incompetent": 40},
    "verdict_values": {"fulfilled": 100, "partly": 60, "unfulfilled": 0},
    "grade_bands": {"excellent": 90, "competent": 75, "basic": 60, "incompetent": 0},
    "star_thresholds": {"5": 95, "4": 85, "3": 75, "2": 60},
    "unfit_share_cap": 30,
    "unfit_cap_stars": 2,
    "penalty_cap_stars": 2,
}  # fmt: skip


def is_activity(*texts: str) -> bool:
    """Whether any of `texts` (a measure's code, a name, a definition) names an activity count
    (ACTIVITY_MEASURES, ACTIVITY_WORDS): the one rule that refuses them, here and in the
    scorecard's indicators."""
    for text in texts:
        low = (text or "").lower()
        if low in ACTIVITY_MEASURES or any(w in low for w in ACTIVITY_WORDS):
            return True
    return False


def _is_activity(measure: str, name: str) -> bool:
    return is_activity(measure, f"{measure} {name}")


def indicators_of(rows: Any, name: str) -> tuple[Indicator, ...]:
    """Indicators from JSON rows: codes unique, outcome measures only, weights adding to 100."""
    if not isinstance(rows, list) or not rows:
        raise fail(CadreErrorCode.INVALID_VALUE, "at least one indicator", name)
    out: list[Indicator] = []
    for i, row in enumerate(rows):
        at = f"{name}[{i}]"
        if not isinstance(row, Mapping):
            raise fail(CadreErrorCode.INVALID_VALUE, "an indicator is an object", at)
        code, label = str(row.get("code") or "").strip(), str(row.get("name") or "").strip()
        measure = str(row.get("measure") or "manual").strip()
        if not code or not label:
            raise fail(CadreErrorCode.INVALID_VALUE, "code and name are required", at)
        if _is_activity(measure, label):
            raise fail(
                CadreErrorCode.ACTIVITY_INDICATOR,
                "indicators measure outcomes, never log-ins, clicks, check-ins, likes or "
                "time on screen",
                at,
                measure=measure,
            )
        if measure not in OUTCOME_MEASURES:
            raise fail(CadreErrorCode.INVALID_VALUE, "unknown measure", f"{at}.measure")
        if any(x.code == code for x in out):
            raise fail(CadreErrorCode.INVALID_VALUE, "duplicate code", f"{at}.code")
        weight = decimal_of(row.get("weight"), f"{at}.weight")
        if weight <= 0:
            raise fail(CadreErrorCode.INVALID_VALUE, "a weight is positive", f"{at}.weight")
        out.append(Indicator(code, label, weight, measure))
    _hundred(sum((x.weight for x in out), ZERO), name)
    return tuple(out)


def _hundred(total: Decimal, name: str) -> None:
    if total != HUNDRED:
        raise fail(
            CadreErrorCode.WEIGHTS_NOT_100, "weights must add up to 100", name, total=str(total)
        )


def weights_of(raw: Any, keys: Sequence[str], name: str) -> dict[str, Decimal]:
    """Exactly `keys`, each a non-negative weight, adding up to 100."""
    if not isinstance(raw, Mapping) or set(raw) != set(keys):
        raise fail(CadreErrorCode.INVALID_VALUE, f"weights of {', '.join(keys)}", name)
    out = {k: decimal_of(raw[k], f"{name}.{k}") for k in keys}
    for k, w in out.items():
        if w < 0:
            raise fail(CadreErrorCode.INVALID_VALUE, "a weight is not negative", f"{name}.{k}")
    _hundred(sum(out.values(), ZERO), name)
    return out


def _descending(raw: Any, keys: Sequence[Any], name: str) -> dict[Any, Decimal]:
    if not isinstance(raw, Mapping) or {str(k) for k in raw} != {str(k) for k in keys}:
        raise fail(CadreErrorCode.INVALID_VALUE, f"values for {keys}", name)
    values = {str(k): v for k, v in raw.items()}
    out = {k: score_of(values[str(k)], f"{name}.{k}") for k in keys}
    ordered = list(out.values())
    if any(a <= b for a, b in itertools.pairwise(ordered)):
        raise fail(CadreErrorCode.INVALID_VALUE, "must fall strictly from best to worst", name)
    return out


def scheme_from_config(config: Mapping[str, Any]) -> Scheme:
    """A validated scheme from its JSON form (missing keys take the defaults)."""
    c = {**DEFAULT_CONFIG, **config}
    cap_stars = {}
    for key in ("unfit_cap_stars", "penalty_cap_stars"):
        value = c[key]
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
            raise fail(CadreErrorCode.INVALID_VALUE, "stars are 1–5", key)
        cap_stars[key] = value
    bands = _descending(c["grade_bands"], GRADES, "grade_bands")
    if bands["incompetent"] != 0:
        raise fail(CadreErrorCode.INVALID_VALUE, "the last grade starts at 0", "grade_bands")
    return Scheme(
        quarterly=indicators_of(c["quarterly"], "quarterly"),
        township=indicators_of(c["township"], "township"),
        parts=weights_of(c["parts"], PARTS, "parts"),
        groups=weights_of(c["groups"], GROUPS, "groups"),
        vote_values=_descending(c["vote_values"], VOTES, "vote_values"),
        verdict_values=_descending(c["verdict_values"], VERDICTS, "verdict_values"),
        grade_bands=bands,
        star_thresholds=_descending(c["star_thresholds"], (5, 4, 3, 2), "star_thresholds"),
        unfit_share_cap=score_of(c["unfit_share_cap"], "unfit_share_cap"),
        unfit_cap_stars=cap_stars["unfit_cap_stars"],
        penalty_cap_stars=cap_stars["penalty_cap_stars"],
    )


DEFAULT_SCHEME = scheme_from_config({})


# --- the inputs and the result ------------------------------------------------------------


@dataclass(frozen=True)
class Ballots:
    """One rater group's ballots: scores (0–100 each) or votes counted per grade."""

    scores: tuple[Decimal, ...] = ()
    votes: Mapping[str, int] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return len(self.scores) + sum(self.votes.values())


@dataclass(frozen=True)
class AnnualInput:
    """What the year's total is computed from (every score 0–100)."""

    # four quarters, each indicator code → score
    quarters: tuple[Mapping[str, Any], ...]
    # each pledge's verdict (fulfilled / partly / unfulfilled)
    pledges: tuple[str, ...]
    # the township's assessment: indicator code → score
    township: Mapping[str, Any]
    # rater group → its ballots
    reviews: Mapping[str, Ballots]
    # a disciplinary penalty (党纪政务处分) in the year
    penalty: bool = False


@dataclass(frozen=True)
class Line:
    """One step of an explanation: what, its value, the weight it carries and what it adds."""

    label: str
    value: Decimal
    weight: Decimal | None = None
    contributes: Decimal | None = None

    def as_json(self) -> dict[str, str | None]:
        return {
            "label": self.label,
            "value": str(self.value),
            "weight": None if self.weight is None else str(self.weight),
            "contributes": None if self.contributes is None else str(self.contributes),
        }


@dataclass(frozen=True)
class AnnualResult:
    """The total, grade and stars with how they came about."""

    total: Decimal
    grade: str
    stars: int
    uncapped_stars: int
    parts: Mapping[str, Decimal]
    lines: tuple[Line, ...]
    caps: tuple[str, ...]
    warning_talk: bool
    unfit_shares: Mapping[str, Decimal]

    def as_json(self) -> dict[str, Any]:
        return {
            "total": str(self.total),
            "grade": self.grade,
            "stars": self.stars,
            "uncapped_stars": self.uncapped_stars,
            "parts": {k: str(v) for k, v in self.parts.items()},
            "lines": [line.as_json() for line in self.lines],
            "caps": list(self.caps),
            "warning_talk": self.warning_talk,
            "unfit_shares": {k: str(v) for k, v in self.unfit_shares.items()},
        }


def weighted(
    indicators: Sequence[Indicator], scores: Mapping[str, Any], name: str
) -> tuple[Decimal, list[Line]]:
    """Σ weight × score ÷ 100 over the indicators (every one scored, no other code)."""
    if not isinstance(scores, Mapping):
        raise fail(CadreErrorCode.INVALID_VALUE, "scores by indicator code", name)
    extra = sorted(set(scores) - {i.code for i in indicators})
    if extra:
        raise fail(
            CadreErrorCode.INVALID_VALUE, "not an indicator of the scheme", f"{name}.{extra[0]}"
        )
    total, lines = ZERO, []
    for ind in indicators:
        if ind.code not in scores:
            raise fail(CadreErrorCode.INVALID_VALUE, "score required", f"{name}.{ind.code}")
        score = score_of(scores[ind.code], f"{name}.{ind.code}")
        part = score * ind.weight / HUNDRED
        total += part
        lines.append(Line(f"{name}.{ind.code}", score, ind.weight, part))
    return total, lines


def quarter_score(scheme: Scheme, scores: Mapping[str, Any], name: str = "quarter") -> Decimal:
    """One quarter's result (季评): the weighted indicators."""
    return weighted(scheme.quarterly, scores, name)[0]


def pledge_score(scheme: Scheme, verdicts: Sequence[str]) -> Decimal:
    """The pledges' result (一诺): the mean value of their verdicts."""
    if not verdicts or isinstance(verdicts, str):
        raise fail(CadreErrorCode.INVALID_VALUE, "at least one pledge", "pledges")
    total = ZERO
    for i, verdict in enumerate(verdicts):
        if verdict not in scheme.verdict_values:
            raise fail(CadreErrorCode.INVALID_VALUE, "unknown verdict", f"pledges[{i}]")
        total += scheme.verdict_values[verdict]
    return total / len(verdicts)


def group_score(scheme: Scheme, ballots: Ballots, name: str) -> tuple[Decimal, Decimal]:
    """A rater group's mean score and its 不称职 share in percent (a score ballot below the
    不称职 band's upper bound counts as 不称职). NO_BALLOTS for an empty group."""
    for vote, n in ballots.votes.items():
        if vote not in VOTES:
            raise fail(CadreErrorCode.INVALID_VALUE, "unknown vote", f"{name}.{vote}")
        if not isinstance(n, int) or isinstance(n, bool) or n < 0:
            raise fail(CadreErrorCode.INVALID_VALUE, "a count of votes", f"{name}.{vote}")
    scores = [score_of(s, f"{name}.scores[{i}]") for i, s in enumerate(ballots.scores)]
    count = len(scores) + sum(ballots.votes.values())
    if count == 0:
        raise fail(CadreErrorCode.NO_BALLOTS, "the rater group has no ballots", name)
    total = sum(scores, ZERO) + sum(
        (scheme.vote_values[v] * n for v, n in ballots.votes.items()), ZERO
    )
    unfit_below = scheme.grade_bands["basic"]
    unfit = sum(1 for s in scores if s < unfit_below) + ballots.votes.get("incompetent", 0)
    return total / count, Decimal(unfit) * HUNDRED / count


def grade_of(scheme: Scheme, total: Decimal) -> str:
    """The grade band of a total (优秀, 称职, 基本称职, 不称职)."""
    for grade in GRADES:
        if total >= scheme.grade_bands[grade]:
            return grade
    return GRADES[-1]


def stars_of(scheme: Scheme, total: Decimal) -> int:
    """Stars by threshold, before caps: 5 at the 5★ threshold and above … 1 below the 2★ one."""
    for stars in (5, 4, 3, 2):
        if total >= scheme.star_thresholds[stars]:
            return stars
    return 1


def annual_score(scheme: Scheme, data: AnnualInput) -> AnnualResult:
    """The year's total (年考), grade and capped stars, with every step explained.

    total = Σ part weight × part score ÷ 100 over: the mean of the four quarters, the pledges,
    the township's assessment and the three reviews (Σ group weight × group mean ÷ 100). Each
    shown value is rounded to 0.01 (half up) before it is used, so the total is exactly the sum
    of the contributions the explanation lists, and a reader can redo it by hand.
    """
    if len(data.quarters) != 4:
        raise fail(CadreErrorCode.INVALID_VALUE, "four quarterly results", "quarters")
    lines: list[Line] = []
    quarters = []
    for i, scores in enumerate(data.quarters):
        value = q2(weighted(scheme.quarterly, scores, f"quarters[{i}]")[0])
        quarters.append(value)
        lines.append(Line(f"quarters[{i}]", value))
    township, steps = weighted(scheme.township, data.township, "township")
    lines.extend(steps)
    if set(data.reviews) != set(GROUPS):
        missing = sorted(set(GROUPS) - set(data.reviews)) or sorted(set(data.reviews))
        raise fail(CadreErrorCode.NO_BALLOTS, "every rater group votes", f"reviews.{missing[0]}")
    reviews, shares = ZERO, {}
    for group in GROUPS:
        mean, share = group_score(scheme, data.reviews[group], f"reviews.{group}")
        weight = scheme.groups[group]
        contributes = q2(q2(mean) * weight / HUNDRED)
        reviews += contributes
        shares[group] = q2(share)
        lines.append(Line(f"reviews.{group}", q2(mean), weight, contributes))
    parts = {
        "quarterly": q2(sum(quarters, ZERO) / 4),
        "pledges": q2(pledge_score(scheme, data.pledges)),
        "township": q2(township),
        "reviews": reviews,
    }
    total = ZERO
    for part in PARTS:
        contributes = q2(parts[part] * scheme.parts[part] / HUNDRED)
        total += contributes
        lines.append(Line(part, parts[part], scheme.parts[part], contributes))
    uncapped = stars_of(scheme, total)
    stars, caps, talk = uncapped, [], False
    unfit = [g for g in GROUPS if shares[g] >= scheme.unfit_share_cap]
    if unfit:
        talk = True
        caps.append(f"unfit_share:{','.join(unfit)}")
        stars = min(stars, scheme.unfit_cap_stars)
    if data.penalty:
        caps.append("penalty")
        stars = min(stars, scheme.penalty_cap_stars)
    return AnnualResult(
        total=total,
        grade=grade_of(scheme, total),
        stars=stars,
        uncapped_stars=uncapped,
        parts=parts,
        lines=tuple(lines),
        caps=tuple(caps),
        warning_talk=talk,
        unfit_shares=shares,
    )


def ballots_from_json(raw: Any, name: str) -> Ballots:
    """A group's ballots from JSON ``{"scores": [...], "votes": {"excellent": n, ...}}``."""
    if not isinstance(raw, Mapping):
        raise fail(CadreErrorCode.INVALID_VALUE, "scores and/or votes", name)
    scores = raw.get("scores") or []
    votes = raw.get("votes") or {}
    if not isinstance(scores, list) or not isinstance(votes, Mapping):
        raise fail(CadreErrorCode.INVALID_VALUE, "scores is a list, votes an object", name)
    return Ballots(
        tuple(score_of(s, f"{name}.scores[{i}]") for i, s in enumerate(scores)), dict(votes)
    )


def annual_input_from_json(raw: Mapping[str, Any]) -> AnnualInput:
    """The annual input from its stored JSON form (as the API takes it)."""
    quarters = raw.get("quarters") or []
    reviews = raw.get("reviews") or {}
    if not isinstance(quarters, list) or not all(isinstance(q, Mapping) for q in quarters):
        raise fail(CadreErrorCode.INVALID_VALUE, "four objects of scores", "quarters")
    if not isinstance(reviews, Mapping):
        raise fail(CadreErrorCode.INVALID_VALUE, "ballots per rater group", "reviews")
    pledges = raw.get("pledges") or []
    if not isinstance(pledges, list):
        raise fail(CadreErrorCode.INVALID_VALUE, "a list of verdicts", "pledges")
    if not isinstance(raw.get("township") or {}, Mapping):
        raise fail(CadreErrorCode.INVALID_VALUE, "scores by indicator code", "township")
    return AnnualInput(
        quarters=tuple(quarters),
        pledges=tuple(str(p.get("verdict") if isinstance(p, Mapping) else p) for p in pledges),
        township=raw.get("township") or {},
        reviews={g: ballots_from_json(b, f"reviews.{g}") for g, b in reviews.items()},
        penalty=bool(raw.get("penalty", False)),
    )
