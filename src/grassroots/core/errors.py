"""The one error type services raise, mapped to one API shape ``{"code", "message", "detail"}``."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.utils.functional import Promise


class CoreErrorCode(StrEnum):
    """The codes of the core's own refusals (each app names its own in its `errors.py`)."""

    # Missing, or outside the actor's scope: the two are indistinguishable on purpose.
    NOT_FOUND = "not_found"
    # No post of the actor grants the permission.
    FORBIDDEN = "forbidden"
    # A list, search or query parameter has a value it cannot take.
    INVALID_FILTER = "invalid_filter"
    # A view behind sign-in was reached without a signed-in, active user.
    NOT_AUTHENTICATED = "not_authenticated"


class DomainError(Exception):
    """A refused operation: `code` is stable for programs, `message` is for people.

    `detail` names what was wrong (``{"field": "parent", "row": 12}``); `status` is the HTTP status
    the API answers with.
    """

    status = 400

    def __init__(self, code: str, message: str | Promise, **detail: Any) -> None:
        super().__init__(str(message))
        self.code = code
        self.message = message
        self.detail = detail

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": str(self.message), "detail": self.detail}


class NotFound(DomainError):
    """Missing, or out of the actor's scope: the two are indistinguishable on purpose."""

    status = 404

    def __init__(self, what: str = "object") -> None:
        from django.utils.translation import gettext as _

        super().__init__(CoreErrorCode.NOT_FOUND, _("未找到该对象"), object=what)


class Forbidden(DomainError):
    """The actor holds no role that permits this action."""

    status = 403

    def __init__(self, perm: str) -> None:
        from django.utils.translation import gettext as _

        super().__init__(CoreErrorCode.FORBIDDEN, _("没有执行此操作的权限"), permission=perm)


class Conflict(DomainError):
    """The object changed under the actor, or the action does not fit its current state."""

    status = 409


def invalid_filter(field: str, value: object) -> DomainError:
    """The 400 for a list or search parameter with a value it cannot take, naming the field."""
    from django.utils.translation import gettext as _

    return DomainError(
        CoreErrorCode.INVALID_FILTER,
        _("筛选条件 %(f)s 的值无效：%(v)s") % {"f": field, "v": str(value)[:60]},
        field=field,
    )


class AccountErrorCode(StrEnum):
    """The codes of sign-in, password and account refusals."""

    # A required value is empty or malformed.
    INVALID = "invalid"
    # The username is taken.
    DUPLICATE = "duplicate"
    # The new password fails the password policy.
    WEAK_PASSWORD = "weak_password"
    # The current password given when changing one's own password is wrong.
    WRONG_PASSWORD = "wrong_password"
    # The new password equals the current one.
    SAME_PASSWORD = "same_password"
    # An administrator acted on their own account (三员分立: nobody administers themselves).
    OWN_ACCOUNT = "own_account"
    # The action does not fit the account's state (enable an active account, …).
    WRONG_STATE = "wrong_state"
    # The account must change its password before anything else.
    PASSWORD_CHANGE_REQUIRED = "password_change_required"
    # Too many failed sign-ins in a row: the username is locked for a while.
    LOCKED = "locked"
    # Unknown username or wrong password (the answer does not say which).
    BAD_CREDENTIALS = "bad_credentials"
    # Too many failed sign-ins from this address: try again after `retry_after` seconds.
    THROTTLED = "throttled"
    # An API token that is unknown, malformed, or whose account is disabled.
    TOKEN_INVALID = "token_invalid"
    # An API token past its lifetime (API_TOKEN_HOURS): ask for a new one.
    TOKEN_EXPIRED = "token_expired"
    # An API token revoked by its owner, a logout or an administrator.
    TOKEN_REVOKED = "token_revoked"
    # Revoking "the caller's token" without signing in with a token.
    NO_TOKEN = "no_token"


class AccountError(DomainError):
    """A refused sign-in or account operation."""


class LoginThrottled(AccountError):
    """Too many failed sign-ins from one address: answered 429 with `Retry-After`."""

    status = 429

    def __init__(self, retry_after: int) -> None:
        from django.utils.translation import gettext as _

        super().__init__(
            AccountErrorCode.THROTTLED,
            _("尝试过于频繁，请 %(s)d 秒后再试") % {"s": retry_after},
            retry_after=retry_after,
        )


class AccountAdminError(AccountError):
    """A refused account administration or password change."""


class OwnAccountError(AccountAdminError):
    """An administrator tried to administer their own account."""

    status = 403


class NotSignedIn(DomainError):
    """A view behind sign-in was reached without a signed-in, active user."""

    status = 401

    def __init__(self) -> None:
        from django.utils.translation import gettext as _

        super().__init__(CoreErrorCode.NOT_AUTHENTICATED, _("请先登录"))


class SecondFactorErrorCode(StrEnum):
    """The codes of the second factor's refusals (core.otp)."""

    # The code is wrong, already used (replay), or the device is throttled after failures.
    INVALID_CODE = "second_factor_invalid"
    # The account's role requires a second factor and none is enrolled yet.
    NOT_ENROLLED = "second_factor_not_enrolled"
    # A second factor is already enrolled: it must be reset by the security administrator first.
    ALREADY_ENROLLED = "second_factor_enrolled"
    # The session has passed the password but not yet the second factor.
    REQUIRED = "second_factor_required"


class SecondFactorError(DomainError):
    """A refused second-factor verification or enrolment."""


class SecondFactorNotEnrolled(SecondFactorError):
    """The role requires a second factor the account has not enrolled (enrol on the web first)."""

    status = 403
