"""Error codes and the error type of the people registry (services, ledger import, parsers)."""

from __future__ import annotations

from enum import StrEnum

from grassroots.core.errors import DomainError


class PeopleErrorCode(StrEnum):
    """Every stable code the registry answers with; the API and import reports show them as is."""

    # -- a registry write (services) ------------------------------------------------------
    REQUIRED = "required"  # an empty value that must be given
    INVALID_CHOICE = "invalid_choice"  # a value outside its named choices
    UNKNOWN_FIELD = "unknown_field"  # a field the change may not touch (no mass assignment)
    WRONG_LEVEL = "wrong_level"  # a dwelling outside a micro grid (grid3)
    DUPLICATE = "duplicate"  # a household number already registered
    DUPLICATE_ID = "duplicate_id"  # an ID number already registered (or twice in one file)
    REASON_REQUIRED = "reason_required"  # leaving without a new household: moved out or died only
    SAME_HOUSEHOLD = "same_household"  # a move into the household one is already in
    NOT_MEMBER = "not_member"  # a head who is not a member of the household
    UNKNOWN_TAG = "unknown_tag"  # a tag code (or name) that is not defined
    FORBIDDEN_TAG = "forbidden_tag"  # a vulnerable-group tag without VIEW_VULNERABLE there
    PURPOSE_REQUIRED = "purpose_required"  # a reveal or unmasked export without a purpose
    INVALID_FILTER = "invalid_filter"  # a list filter with a value it cannot take
    NOT_PENDING = "not_pending"  # a transfer request that was already answered
    RATE_LIMITED = "rate_limited"  # more exact ID/phone searches in an hour than allowed
    # -- ID numbers (idnumber.py) ----------------------------------------------------------
    ID_EMPTY = "id_empty"
    ID_CHARS = "id_chars"
    ID_OLD_15 = "id_old_15"  # a first-generation 15-digit number
    ID_LENGTH = "id_length"
    ID_CHECKSUM = "id_checksum"
    ID_BIRTH_DATE = "id_birth_date"
    # -- phones (phone.py) -----------------------------------------------------------------
    PHONE_EMPTY = "phone_empty"
    PHONE_CHARS = "phone_chars"
    PHONE_LENGTH = "phone_length"
    PHONE_INVALID = "phone_invalid"
    PHONE_NO_AREA_CODE = "phone_no_area_code"
    # -- a ledger file (ledger/reader.py) --------------------------------------------------
    FILE_EMPTY = "file_empty"
    FILE_TOO_LARGE = "file_too_large"
    FILE_XLS = "file_xls"  # the old binary .xls format
    FILE_NOT_EXCEL = "file_not_excel"
    FILE_NOT_TEXT = "file_not_text"
    FILE_ENCODING = "file_encoding"
    UNKNOWN_SHEET = "unknown_sheet"
    NO_DATA_SHEET = "no_data_sheet"
    UNKNOWN_TABLE = "unknown_table"  # a CSV that is neither a 户 nor a 人 table
    # -- a ledger row (ledger/validate.py) -------------------------------------------------
    FORMULA = "formula"  # a cell holding a formula, not a value
    TOO_LONG = "too_long"
    INVALID_DATE = "invalid_date"
    FUTURE_DATE = "future_date"
    DATE_BEFORE_BIRTH = "date_before_birth"
    GRID_NOT_FOUND = "grid_not_found"  # missing, or out of the importer's scope
    GRID_OUTSIDE_AREA = "grid_outside_area"  # outside the area the import was limited to
    GRID_NOT_GRID3 = "grid_not_grid3"
    # -- a ledger's rows together and against the registry (ledger/plan.py) ----------------
    DUPLICATE_HOUSEHOLD = "duplicate_household"
    HOUSEHOLD_MISMATCH = "household_mismatch"
    HOUSEHOLD_NOT_FOUND = "household_not_found"
    HOUSEHOLD_OUT_OF_SCOPE = "household_out_of_scope"
    HOUSEHOLD_MOVED = "household_moved"
    ID_OUT_OF_SCOPE = "id_out_of_scope"
    RESIDENT_INACTIVE = "resident_inactive"
    HEAD_MOVES = "head_moves"
    NO_HEAD = "no_head"
    MANY_HEADS = "many_heads"
    # -- an import job (ledger/jobs.py) ----------------------------------------------------
    PREVIEW_CHANGED = "preview_changed"  # the confirmed preview is no longer the job's
    NOT_CANCELLABLE = "not_cancellable"  # only a job waiting for confirmation can be cancelled
    NOT_RETRYABLE = "not_retryable"  # only an interrupted job whose upload is kept can be retried


class PeopleError(DomainError):
    """A refused change to the registry; `detail["field"]` names what was wrong."""


class IdNumberError(DomainError):
    """An ID number that is not a valid 18-character resident ID; `code` says why."""


class PhoneError(DomainError):
    """A phone that is neither a mainland mobile nor a landline with area code."""
