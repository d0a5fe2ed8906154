"""The pay arithmetic (底薪 + 绩效): pure functions over plain values, exact Decimal yuan.

A `PayRule` is the year's configuration: the county base, each post's ratio to it (secretary :
director : member = 1 : 0.9 : 0.8 by default), tenure bands adding steps, the 一肩挑 allowance,
the yearly performance base and its coefficients by stars (or by grade). `monthly_base` and
`annual_performance` return a `PayLine` whose parts explain its amount; each part is rounded
to the fen (0.01 yuan) half up, and the amount is exactly the sum of its parts.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from grassroots.cadres.errors import CadreError, CadreErrorCode
from grassroots.cadres.scoring import GRADES, ZERO, decimal_of, fail, q2

POSTS = ("secretary", "director", "member", "reserve")
BASIS = ("stars", "grade")


@dataclass(frozen=True)
class TenureBand:
    """Tenure of at least `min_years` and below `max_years` (None: no upper end) adds `step`."""

    min_years: int
    max_years: int | None
    step: Decimal


@dataclass(frozen=True)
class PayRule:
    county_base: Decimal
    post_ratios: Mapping[str, Decimal]
    tenure_bands: tuple[TenureBand, ...]
    both_posts_allowance: Decimal
    performance_base: Decimal
    basis: str
    coefficients: Mapping[str, Decimal]


DEFAULT_PAY_CONFIG: dict[str, Any] = {
    "county_base": "3000.00",
    "post_ratios": {"secretary": "1", "director": "0.9", "member": "0.8", "reserve": "0.6"},
    "tenure_bands": [
        {"min_years": 0, "max_years": 3, "step": "0"},
        {"min_years": 3, "max_years": 6, "step": "100"},
        {"min_years": 6, "max_years": 10, "step": "200"},
        {"min_years": 10, "max_years": None, "step": "300"},
    ],
    "both_posts_allowance": "300.00",
    "performance_base": "12000.00",
    "basis": "stars",
    "coefficients": {"5": "1.3", "4": "1.1", "3": "1.0", "2": "0.6", "1": "0"},
}


def _money(value: Any, name: str) -> Decimal:
    amount = decimal_of(value, name)
    if amount < 0:
        raise fail(CadreErrorCode.INVALID_VALUE, "not negative", name)
    if amount != q2(amount):
        raise fail(CadreErrorCode.INVALID_VALUE, "at most two decimal places (fen)", name)
    return amount


def tenure_bands_of(rows: Any) -> tuple[TenureBand, ...]:
    """Bands from JSON: from 0 years, each starting where the last ended, the last open.
    Overlaps and gaps are TENURE_BANDS errors naming the band."""
    if not isinstance(rows, list) or not rows:
        raise fail(CadreErrorCode.TENURE_BANDS, "at least one band", "tenure_bands")
    bands: list[TenureBand] = []
    for i, row in enumerate(rows):
        at = f"tenure_bands[{i}]"
        if not isinstance(row, Mapping):
            raise fail(CadreErrorCode.TENURE_BANDS, "a band is an object", at)
        lo, hi = row.get("min_years"), row.get("max_years")
        if not isinstance(lo, int) or isinstance(lo, bool) or lo < 0:
            raise fail(CadreErrorCode.TENURE_BANDS, "whole years, not negative", f"{at}.min_years")
        if hi is not None and (not isinstance(hi, int) or isinstance(hi, bool) or hi <= lo):
            raise fail(CadreErrorCode.TENURE_BANDS, "above min_years", f"{at}.max_years")
        expected = 0 if not bands else bands[-1].max_years
        if expected is None or lo < expected:
            raise fail(CadreErrorCode.TENURE_BANDS, "overlaps the band before", at)
        if lo > expected:
            raise fail(CadreErrorCode.TENURE_BANDS, "leaves a gap after the band before", at)
        bands.append(TenureBand(lo, hi, _money(row.get("step", 0), f"{at}.step")))
    if bands[-1].max_years is not None:
        raise fail(CadreErrorCode.TENURE_BANDS, "the last band has no upper end", "tenure_bands")
    return tuple(bands)


def pay_rule_from_config(config: Mapping[str, Any]) -> PayRule:
    """A validated pay rule from its JSON form (missing keys take the defaults)."""
    c = {**DEFAULT_PAY_CONFIG, **config}
    ratios = c["post_ratios"]
    if not isinstance(ratios, Mapping) or set(ratios) != set(POSTS):
        raise fail(CadreErrorCode.INVALID_VALUE, f"ratios of {', '.join(POSTS)}", "post_ratios")
    basis = c["basis"]
    if basis not in BASIS:
        raise fail(CadreErrorCode.INVALID_VALUE, "stars or grade", "basis")
    keys = [str(s) for s in range(1, 6)] if basis == "stars" else list(GRADES)
    coefficients = c["coefficients"]
    if not isinstance(coefficients, Mapping) or {str(k) for k in coefficients} != set(keys):
        raise fail(
            CadreErrorCode.INVALID_VALUE, f"a coefficient for each of {keys}", "coefficients"
        )
    coef = {str(k): decimal_of(v, f"coefficients.{k}") for k, v in coefficients.items()}
    for k, v in coef.items():
        if v < 0:
            raise fail(CadreErrorCode.INVALID_VALUE, "not negative", f"coefficients.{k}")
    post_ratios = {p: decimal_of(ratios[p], f"post_ratios.{p}") for p in POSTS}
    for p, r in post_ratios.items():
        if r <= 0:
            raise fail(CadreErrorCode.INVALID_VALUE, "positive", f"post_ratios.{p}")
    return PayRule(
        county_base=_money(c["county_base"], "county_base"),
        post_ratios=post_ratios,
        tenure_bands=tenure_bands_of(c["tenure_bands"]),
        both_posts_allowance=_money(c["both_posts_allowance"], "both_posts_allowance"),
        performance_base=_money(c["performance_base"], "performance_base"),
        basis=basis,
        coefficients=coef,
    )


DEFAULT_PAY_RULE = pay_rule_from_config({})


@dataclass(frozen=True)
class Part:
    label: str
    amount: Decimal
    note: str = ""

    def as_json(self) -> dict[str, str]:
        return {"label": self.label, "amount": str(self.amount), "note": self.note}


@dataclass(frozen=True)
class PayLine:
    """An amount and the parts it is the exact sum of."""

    amount: Decimal
    parts: tuple[Part, ...]

    def as_json(self) -> dict[str, Any]:
        return {"amount": str(self.amount), "parts": [p.as_json() for p in self.parts]}


def band_step(rule: PayRule, years: int) -> TenureBand:
    """The tenure band holding `years` (bands cover 0 → ∞ without overlap)."""
    for band in rule.tenure_bands:
        if years >= band.min_years and (band.max_years is None or years < band.max_years):
            return band
    raise fail(CadreErrorCode.INVALID_VALUE, "negative tenure", "tenure_years")


def monthly_base(rule: PayRule, *, post: str, tenure_years: int, both_posts: bool) -> PayLine:
    """A month's base pay: county base × the post's ratio, the tenure band's step, and the
    一肩挑 allowance when the secretary also directs the villagers' committee."""
    if post not in rule.post_ratios:
        raise fail(CadreErrorCode.INVALID_VALUE, "unknown post", "post")
    if tenure_years < 0:
        raise fail(CadreErrorCode.INVALID_VALUE, "not negative", "tenure_years")
    ratio = rule.post_ratios[post]
    band = band_step(rule, tenure_years)
    upper = "∞" if band.max_years is None else str(band.max_years)
    parts = [
        Part("post_base", q2(rule.county_base * ratio), f"{rule.county_base} × {ratio} ({post})"),
        Part("tenure_step", band.step, f"{tenure_years} years in [{band.min_years}, {upper})"),
    ]
    if both_posts:
        parts.append(Part("both_posts", rule.both_posts_allowance, "一肩挑"))
    return PayLine(sum((p.amount for p in parts), ZERO), tuple(parts))


@dataclass(frozen=True)
class Adjustment:
    """A reward (positive) or penalty (negative) with its reason and approver."""

    amount: Decimal
    reason: str
    approver: str


def adjustment_of(amount: Any, reason: str, approver: str, name: str = "amount") -> Adjustment:
    """A validated adjustment: a non-zero amount in fen, a reason and an approver."""
    value = decimal_of(amount, name)
    if value == 0 or value != q2(value):
        raise fail(CadreErrorCode.INVALID_VALUE, "non-zero, at most two decimals", name)
    if not (reason or "").strip():
        raise CadreError(CadreErrorCode.REASON_REQUIRED, "a reason is required", field="reason")
    if not (approver or "").strip():
        raise CadreError(
            CadreErrorCode.REASON_REQUIRED, "an approver is required", field="approver"
        )
    return Adjustment(value, reason.strip(), approver.strip())


def annual_performance(
    rule: PayRule,
    *,
    stars: int,
    grade: str,
    adjustments: Sequence[Adjustment] = (),
) -> PayLine:
    """The year's performance pay: performance base × the coefficient of the stars (or the
    grade), plus rewards, minus penalties; never below zero (a floor noted as a part)."""
    key = str(stars) if rule.basis == "stars" else grade
    if key not in rule.coefficients:
        raise fail(CadreErrorCode.INVALID_VALUE, "no coefficient", rule.basis)
    coef = rule.coefficients[key]
    parts = [
        Part(
            "performance",
            q2(rule.performance_base * coef),
            f"{rule.performance_base} × {coef} ({rule.basis} {key})",
        )
    ]
    for adj in adjustments:
        label = "reward" if adj.amount > 0 else "penalty"
        parts.append(Part(label, adj.amount, f"{adj.reason} ({adj.approver})"))
    total = sum((p.amount for p in parts), ZERO)
    if total < 0:
        parts.append(Part("floor", -total, "not below zero"))
        total = ZERO
    return PayLine(total, tuple(parts))


# --- terms and tenure ---------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """One term in a post: [started_on, ended_on], ended_on None while it runs."""

    post: str
    started_on: datetime.date
    ended_on: datetime.date | None = None

    def holds_on(self, day: datetime.date) -> bool:
        return self.started_on <= day and (self.ended_on is None or day <= self.ended_on)


def posts_on(terms: Sequence[Term], day: datetime.date) -> set[str]:
    return {t.post for t in terms if t.holds_on(day)}


def holds_both_posts(terms: Sequence[Term], day: datetime.date) -> bool:
    """一肩挑: a secretary term and a director term both running on `day`."""
    held = posts_on(terms, day)
    return "secretary" in held and "director" in held


def main_post(terms: Sequence[Term], day: datetime.date) -> str | None:
    """The best-paid post held on `day` (secretary before director before member …)."""
    held = posts_on(terms, day)
    return next((p for p in POSTS if p in held), None)


def tenure_years(terms: Sequence[Term], day: datetime.date) -> int:
    """Whole years served in any post up to `day` (a year: 365 days served; a term's last day
    counts), overlapping terms counted once."""
    one = datetime.timedelta(days=1)
    spans = sorted(
        (t.started_on, min(t.ended_on + one if t.ended_on else day, day))
        for t in terms
        if t.started_on <= day
    )
    days, cur_start, cur_end = 0, None, None
    for start, end in spans:
        if cur_end is None or start > cur_end:
            if cur_start is not None and cur_end is not None:
                days += (cur_end - cur_start).days
            cur_start, cur_end = start, end
        elif end > cur_end:
            cur_end = end
    if cur_start is not None and cur_end is not None:
        days += (cur_end - cur_start).days
    return days // 365
