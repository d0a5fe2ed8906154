"""Error codes and exception classes of the dashboard app."""

from enum import StrEnum

from grassroots.core.errors import DomainError


class DashboardErrorCode(StrEnum):
    # a period or month that is malformed, backwards or longer than DASHBOARD_MAX_DAYS
    INVALID_PERIOD = "invalid_period"


class DashboardError(DomainError):
    """A refused dashboard request (400) naming the parameter."""
