"""Error codes and exception classes of the cadres app."""

from enum import StrEnum

from grassroots.core.errors import Conflict, DomainError


class CadreErrorCode(StrEnum):
    # a value that cannot be taken (the detail names the field)
    INVALID_VALUE = "invalid_value"
    # weights that do not add up to 100
    WEIGHTS_NOT_100 = "weights_not_100"
    # a score outside 0–100
    SCORE_OUT_OF_RANGE = "score_out_of_range"
    # a rater group of the three reviews with no ballots
    NO_BALLOTS = "no_ballots"
    # an indicator that counts activity (log-ins, clicks, check-ins, likes, time on screen)
    ACTIVITY_INDICATOR = "activity_indicator"
    # tenure bands of a pay rule that overlap or leave a gap
    TENURE_BANDS = "tenure_bands"
    # a one-time ballot code that is unknown or already used
    CODE_USED = "code_used"
    # the action does not fit the appraisal's or the sheet's state
    INVALID_TRANSITION = "invalid_transition"
    # a confirmed record: changes go through a correction with reason and approver
    LOCKED = "locked"
    # a correction, reward or penalty without its reason or approver
    REASON_REQUIRED = "reason_required"
    # the record already exists (one scheme and one pay rule per year; one sheet per period)
    DUPLICATE = "duplicate"


class CadreError(DomainError):
    """A refused cadres operation (400) naming the field."""


class CadreConflict(Conflict):
    """The action does not fit the record's state, or the record is locked (409)."""
