"""Error codes of the areas app, and the error its services raise."""

from enum import StrEnum

from grassroots.core.errors import DomainError


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
    # A person would hold two of the three admin roles (三员分立, SECURITY.md 6).
    ADMIN_ROLES_COMBINED = "admin_roles_combined"
    # An administrator would hold a business post, or a business post holder an admin role.
    ADMIN_BUSINESS_MIXED = "admin_business_mixed"
    # Someone tried to create, end or change their own posts or roles.
    OWN_POSTS = "own_posts"
    # A post type's role cannot change while people hold posts of that type.
    POST_TYPE_IN_USE = "post_type_in_use"


class AreaError(DomainError):
    """A refused change to the tree, units or posts."""
