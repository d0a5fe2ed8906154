"""Error codes and exception classes of the disputes app."""

from enum import StrEnum

from grassroots.core.errors import Conflict, DomainError


class DisputeErrorCode(StrEnum):
    # a value that cannot be taken (the detail names the field)
    INVALID_VALUE = "invalid_value"
    # a date in the future, or before the dispute was found
    INVALID_DATE = "invalid_date"
    # the action does not fit the dispute's state (or another actor got there first)
    INVALID_TRANSITION = "invalid_transition"
    # escalation from the county: there is no higher level
    NO_HIGHER_LEVEL = "no_higher_level"
    # a settlement without its agreement recorded
    AGREEMENT_REQUIRED = "agreement_required"
    # escalation, referral and closing must say why
    REASON_REQUIRED = "reason_required"
    # a party is neither a resident of the registry nor a named outsider
    PARTY_REQUIRED = "party_required"
    # the follow-up visit is already recorded
    FOLLOW_UP_DONE = "follow_up_done"


class DisputeError(DomainError):
    """A refused dispute operation (400) naming the field."""


class DisputeConflict(Conflict):
    """The action does not fit the dispute's state, or another actor got there first (409)."""
