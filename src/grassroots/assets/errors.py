"""Error codes of the assets app."""

from enum import StrEnum

from grassroots.core.errors import Conflict, DomainError


class AssetErrorCode(StrEnum):
    # a value that cannot be taken (the detail names the field)
    INVALID_VALUE = "invalid_value"
    # a status change or a recovery without an evidence file
    EVIDENCE_REQUIRED = "evidence_required"
    # recovered area (or amount) above the problem's
    RECOVERED_EXCEEDS = "recovered_exceeds"
    # a status change the table does not allow
    INVALID_TRANSITION = "invalid_transition"


class AssetError(DomainError):
    """A refused assets operation (400) naming the field."""


class AssetConflict(Conflict):
    """The status change does not fit the problem's status (409)."""
