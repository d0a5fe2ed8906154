"""Pure rules of screening and mediation: risk from the rules, the next level, who acts where.

No database: each function takes plain values, so tests check them exhaustively.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from grassroots.disputes.choices import LEVEL_ORDER, NEXT_LEVEL, RISK_RANK, Level, Risk


@dataclass(frozen=True)
class Rule:
    """A risk rule as plain values (`RiskRule` rows, active ones)."""

    kind: str  # "" matches every kind
    min_parties: int | None  # None matches any number
    risk: str


def matches(rule: Rule, *, kind: str, parties: int) -> bool:
    """Whether the rule applies to a dispute of `kind` with `parties` parties."""
    kind_ok = not rule.kind or rule.kind == kind
    count_ok = rule.min_parties is None or parties >= rule.min_parties
    return kind_ok and count_ok


def risk_of(rules: Iterable[Rule], *, kind: str, parties: int, floor: str = Risk.GREEN) -> str:
    """The highest risk among the matching rules and `floor` (what the screener judged; the
    rules can raise it, never lower it). No match and no floor: green."""
    best = floor if floor in RISK_RANK else Risk.GREEN
    for rule in rules:
        if (
            matches(rule, kind=kind, parties=parties)
            and RISK_RANK[Risk(rule.risk)] > RISK_RANK[Risk(best)]
        ):
            best = rule.risk
    return str(best)


def next_level(level: str) -> str | None:
    """The level above `level`; None at the county (there is none)."""
    return NEXT_LEVEL.get(Level(level))


def rank(level: str) -> int:
    """0 for the grid … 3 for the county."""
    return LEVEL_ORDER.index(Level(level))


def may_act_at(post_level: str, dispute_level: str) -> bool:
    """A post acts on a dispute at its own level or below (a grid worker does not record the
    township's sessions; the township may step in at any level beneath it)."""
    return rank(post_level) >= rank(dispute_level)
