"""Writes of the visits app: the only code that saves pairings, plan rules and visits.

By concern: `pairings` (create, end, bulk by grid, re-pair when a member leaves), `rules` (the
visit plan), `visits` (log a visit, turn its need into a case).
"""

from grassroots.visits.services.pairings import (
    pairing_bulk,
    pairing_create,
    pairing_end,
    pairing_repair,
    party_members_in,
)
from grassroots.visits.services.rules import plan_rule_remove, plan_rule_set
from grassroots.visits.services.visits import VisitInput, visit_log, visit_to_case

__all__ = [
    "VisitInput",
    "pairing_bulk",
    "pairing_create",
    "pairing_end",
    "pairing_repair",
    "party_members_in",
    "plan_rule_remove",
    "plan_rule_set",
    "visit_log",
    "visit_to_case",
]
