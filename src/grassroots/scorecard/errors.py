"""Error codes and exception class of the scorecard."""

from enum import StrEnum

from grassroots.core.errors import DomainError


class ScorecardErrorCode(StrEnum):
    # a source (or a ratio's denominator) that names no registered figure
    UNKNOWN_SOURCE = "unknown_source"
    # an indicator that counts activity (log-ins, clicks, check-ins, photos, time on screen)
    ACTIVITY_INDICATOR = "activity_indicator"
    # a field left empty, malformed or out of its choices
    INVALID_VALUE = "invalid_value"
    # a period that is malformed
    INVALID_PERIOD = "invalid_period"


class ScorecardError(DomainError):
    """A refused indicator or request (400), naming the field."""
