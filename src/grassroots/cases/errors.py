"""Error codes and exception classes of the cases app."""

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
    # a list or figures parameter that cannot be read (a date, a unit, a flag)
    INVALID_FILTER = "invalid_filter"
    # a figures period that is malformed, backwards or too long
    INVALID_PERIOD = "invalid_period"
    # an upload refused for its content or size
    INVALID_ATTACHMENT = "invalid_attachment"
    # a required extra question of the matter left unanswered
    ANSWER_REQUIRED = "answer_required"


class CaseError(DomainError):
    """A refused case operation (400) naming the field."""


class CaseConflict(Conflict):
    """The action does not fit the case's current state, or another actor got there first (409)."""


class IdempotencyMismatch(CaseError):
    """The same Idempotency-Key came back with a different body."""

    status = 422


class AttachmentError(CaseError):
    """An upload refused for its content or size; the message names the file."""
