"""Error codes of the training app."""

from enum import StrEnum

from grassroots.core.errors import DomainError


class TrainingErrorCode(StrEnum):
    # a value that cannot be taken (the detail names the field)
    INVALID_VALUE = "invalid_value"
    # a session whose end date is before its start date
    ENDS_BEFORE_START = "ends_before_start"
    # credited hours above the session's hours
    HOURS_EXCEED_SESSION = "hours_exceed_session"
    # attendance for a cadre not enrolled in the session (the detail names the row)
    NOT_ENROLLED = "not_enrolled"
    # a sign-in code that no open code of the session matches
    CODE_INVALID = "code_invalid"
    # a sign-in code past its window (or not yet open)
    CODE_EXPIRED = "code_expired"
    # the same code entered again for the same person
    CODE_USED = "code_used"


class TrainingError(DomainError):
    """A refused training operation (400) naming the field."""
