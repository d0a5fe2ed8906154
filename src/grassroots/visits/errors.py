"""Error codes and exception classes of the visits app."""

from enum import StrEnum

from grassroots.core.errors import Conflict, DomainError


class VisitErrorCode(StrEnum):
    # a value that cannot be taken (a date in the future, a resident not of the household, …)
    INVALID_VALUE = "invalid_value"
    # a required value left empty
    REQUIRED = "required"
    # the household already has an active primary pairing
    ALREADY_PAIRED = "already_paired"
    # the pairing has already ended
    PAIRING_ENDED = "pairing_ended"
    # bulk pairing: the members' free places cannot take every unpaired household
    OVER_CAPACITY = "over_capacity"
    # the visit's need is already a case
    ALREADY_A_CASE = "already_a_case"
    # the visit's finding is already a dispute
    ALREADY_A_DISPUTE = "already_a_dispute"
    # the registry proposal was already accepted or rejected
    PROPOSAL_DECIDED = "proposal_decided"
    # the same Idempotency-Key came back with another body
    IDEMPOTENCY_MISMATCH = "idempotency_mismatch"
    # a plan rule for this tag already exists in the area (change it instead)
    DUPLICATE = "duplicate"
    # a list parameter that cannot be read
    INVALID_FILTER = "invalid_filter"


class VisitError(DomainError):
    """A refused visit, pairing or plan operation (400) naming the field."""


class VisitConflict(Conflict):
    """The household is already paired, the pairing already ended, the need already a case or a
    dispute, the proposal already decided (409)."""


class VisitIdempotencyMismatch(VisitError):
    """The same Idempotency-Key came back with a different body (422, as case intake answers)."""

    status = 422
