"""Writes of the visits app: the only code that saves pairings, plan rules and visits.

By concern: `pairings` (create, end, bulk by grid, re-pair when a member leaves), `rules` (the
visit plan), `visits` (log a visit, turn its need into a case), `photos` (a visit's photos,
re-encoded as case attachments are), `proposals` (registry changes noticed at the door),
`disputes` (what was found → a dispute).
"""

from grassroots.visits.services.disputes import PartyIn, visit_to_dispute
from grassroots.visits.services.pairings import (
    pairing_bulk,
    pairing_create,
    pairing_end,
    pairing_repair,
    party_members_in,
)
from grassroots.visits.services.photos import photos_check
from grassroots.visits.services.proposals import ProposalIn, proposal_decide
from grassroots.visits.services.rules import plan_rule_add, plan_rule_remove, plan_rule_set
from grassroots.visits.services.visits import VisitInput, visit_log, visit_to_case

__all__ = [
    "PartyIn",
    "ProposalIn",
    "VisitInput",
    "pairing_bulk",
    "pairing_create",
    "pairing_end",
    "pairing_repair",
    "party_members_in",
    "photos_check",
    "plan_rule_add",
    "plan_rule_remove",
    "plan_rule_set",
    "proposal_decide",
    "visit_log",
    "visit_to_case",
    "visit_to_dispute",
]
