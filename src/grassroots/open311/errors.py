"""Error codes of the Open311 face, and its refusal carrying the HTTP status it answers with."""

from __future__ import annotations

from enum import StrEnum

from grassroots.core.errors import DomainError


class Open311ErrorCode(StrEnum):
    """The codes of Open311 refusals and of API-key administration."""

    UNKNOWN_JURISDICTION = "unknown_jurisdiction"
    UNKNOWN_SERVICE = "unknown_service"
    UNKNOWN_REQUEST = "unknown_request"
    UNKNOWN_TOKEN = "unknown_token"  # noqa: S105 - an error code, not a secret
    UNKNOWN_AREA = "unknown_area"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    UNSUPPORTED_CONTENT_TYPE = "unsupported_content_type"
    BODY_TOO_LARGE = "body_too_large"
    INVALID_KEY = "invalid_key"
    RATE_LIMITED = "rate_limited"
    REQUIRED = "required"
    INVALID_VALUE = "invalid_value"
    OUTSIDE_COUNTY = "outside_county"
    INVALID_PERIOD = "invalid_period"
    # API-key administration: a blank name or unknown channel; no county to file under; a
    # name already taken.
    INVALID = "invalid"
    NO_COUNTY = "no_county"
    DUPLICATE = "duplicate"


class Open311Error(DomainError):
    """A request answered with the spec's error list: `status` and "field: message".

    Messages are English, as the GeoReport v2 clients expect; `field` names the parameter.
    """

    def __init__(
        self,
        code: Open311ErrorCode,
        message: str,
        *,
        field: str,
        status: int = 400,
        retry_after: int | None = None,
    ):
        extra = {} if retry_after is None else {"retry_after": retry_after}
        super().__init__(code, message, field=field, **extra)
        self.status = status
