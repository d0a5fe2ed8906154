"""Error codes of the offline outbox's answers."""

from enum import StrEnum

from grassroots.core.errors import DomainError


class FieldworkErrorCode(StrEnum):
    # the Idempotency-Key header is longer than the key store holds, or not printable ASCII
    INVALID_IDEMPOTENCY_KEY = "invalid_idempotency_key"
    # the form's fields did not validate (detail.fields names each one)
    INVALID_FORM = "invalid_form"


class FieldworkError(DomainError):
    """A refused outbox request (400) naming the field."""
