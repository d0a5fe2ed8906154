"""Error codes of the areas app."""

from enum import StrEnum


class AreaErrorCode(StrEnum):
    WRONG_LEVEL = "wrong_level"
    CYCLE = "cycle"
    DUPLICATE_CODE = "duplicate_code"
    INVALID_CODE = "invalid_code"
    UNKNOWN_CODE = "unknown_code"
    INVALID_POLYGON = "invalid_polygon"
    INVALID_VALUE = "invalid_value"
    HAS_CHILDREN = "has_children"
    UNIT_AREA_MISMATCH = "unit_area_mismatch"
    POST_SCOPE = "post_scope"
