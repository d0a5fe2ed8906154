"""Error codes of the reports app (一表通)."""

from enum import StrEnum

from grassroots.core.errors import Conflict, DomainError


class ReportErrorCode(StrEnum):
    # a template definition that cannot be filled (the detail names the field)
    INVALID_DEFINITION = "invalid_definition"
    # a period that does not parse, or does not fit the template's kind of period
    INVALID_PERIOD = "invalid_period"
    # a request's target is not a township, or lies outside the issuer's county
    INVALID_TARGET = "invalid_target"
    # a value that cannot be taken (the detail names the field)
    INVALID_VALUE = "invalid_value"
    # the answer is already confirmed
    ALREADY_CONFIRMED = "already_confirmed"


class ReportError(DomainError):
    """A refused reports operation (400) naming the field."""


class ReportConflict(Conflict):
    """The answer does not fit its current state (409)."""
