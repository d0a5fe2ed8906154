"""Error codes and exception classes of the relocation app."""

from enum import StrEnum

from grassroots.core.errors import Conflict, DomainError


class RelocationErrorCode(StrEnum):
    # a value that cannot be taken (the detail names the field)
    INVALID_VALUE = "invalid_value"
    # a rule of applicability that does not parse or names an unknown attribute
    INVALID_RULE = "invalid_rule"
    # the household is already registered as relocated
    ALREADY_RELOCATED = "already_relocated"
    # the action does not fit the item's state (or another actor got there first)
    INVALID_TRANSITION = "invalid_transition"
    # not applicable, progress and escalation must say why
    REASON_REQUIRED = "reason_required"
    # fulfilment needs its evidence
    EVIDENCE_REQUIRED = "evidence_required"
    # the owner's or helper's post does not reach the household's community
    OUT_OF_SCOPE_POST = "out_of_scope_post"
    # the post has ended
    POST_ENDED = "post_ended"
    # escalation from the county: there is no higher level
    NO_HIGHER_LEVEL = "no_higher_level"
    # the entitlement names no case matter to escalate through
    NO_MATTER = "no_matter"
    # a generation run for the household is already under way or was just made
    DUPLICATE_RUN = "duplicate_run"


class RelocationError(DomainError):
    """A refused relocation operation (400) naming the field."""


class RelocationConflict(Conflict):
    """The action does not fit the item's state, or another actor got there first (409)."""
