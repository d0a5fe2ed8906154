"""Error codes and exception classes of the community app."""

from enum import StrEnum

from grassroots.core.errors import Conflict, DomainError


class CommunityErrorCode(StrEnum):
    # a value that cannot be taken (a negative area, a child not of school age, …)
    INVALID_VALUE = "invalid_value"
    # a required value left empty
    REQUIRED = "required"
    # the area is not a community or village
    NOT_A_COMMUNITY = "not_a_community"
    # a resident or household that does not live in the community
    OUTSIDE_COMMUNITY = "outside_community"
    # the child is already enrolled, the household already took part, …
    DUPLICATE = "duplicate"


class CommunityError(DomainError):
    """A refused community operation (400) naming the field (and row)."""


class CommunityConflict(Conflict):
    """Already enrolled, already registered (409)."""
