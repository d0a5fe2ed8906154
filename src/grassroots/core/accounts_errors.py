"""Error codes of account administration and password changes."""

# ruff: noqa: S105 (these are error codes, not passwords)

from enum import StrEnum


class AccountErrorCode(StrEnum):
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
