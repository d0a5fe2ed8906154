"""Error codes of the cases app."""

from enum import StrEnum

from grassroots.core.errors import Conflict, DomainError


class CaseErrorCode(StrEnum):
    INVALID_TRANSITION = "invalid_transition"
    REASON_REQUIRED = "reason_required"
    NOTE_REQUIRED = "note_required"
    UNKNOWN_MATTER = "unknown_matter"
    INVALID_VALUE = "invalid_value"
    IDEMPOTENCY_MISMATCH = "idempotency_mismatch"
    NO_HIGHER_LEVEL = "no_higher_level"
    SITE_CHECK_REQUIRED = "site_check_required"
    ANSWER_REQUIRED = "answer_required"


class CaseError(DomainError):
    """A refused case operation (400) naming the field."""


class CaseConflict(Conflict):
    """The action does not fit the case's current state, or another actor got there first (409)."""
