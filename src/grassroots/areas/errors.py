"""Error codes of the areas app, and the errors its services raise (all `DomainError`s)."""

from enum import StrEnum

from grassroots.core.errors import DomainError


class AreaErrorCode(StrEnum):
    """Every code the areas app raises; one comment per member where the name is not enough."""

    # A level that may not sit under that parent (or a unit level under that area).
    WRONG_LEVEL = "wrong_level"
    # A move that would put a node under itself or its own descendant.
    CYCLE = "cycle"
    DUPLICATE_CODE = "duplicate_code"
    # An area code that does not match its level and parent (codes.py).
    INVALID_CODE = "invalid_code"
    UNKNOWN_CODE = "unknown_code"
    # A polygon that is not valid GeoJSON (geo.py names where).
    INVALID_POLYGON = "invalid_polygon"
    # An empty name, an unknown level, a bad date and the like; `field` says which.
    INVALID_VALUE = "invalid_value"
    # A node that still has children, units or posts cannot be deleted.
    HAS_CHILDREN = "has_children"
    UNIT_AREA_MISMATCH = "unit_area_mismatch"
    # A post needs an area or a unit.
    POST_SCOPE = "post_scope"
    # A person would hold two of the three admin roles (三员分立, SECURITY.md 6).
    ADMIN_ROLES_COMBINED = "admin_roles_combined"
    # An administrator would hold a business post, or a business post holder an admin role.
    ADMIN_BUSINESS_MIXED = "admin_business_mixed"
    # Someone tried to create, end or change their own posts or roles.
    OWN_POSTS = "own_posts"
    # A post type's role cannot change while people hold posts of that type.
    POST_TYPE_IN_USE = "post_type_in_use"
    # A tree file refused as a whole: unreadable, or rows with problems (listed in `errors`).
    IMPORT_INVALID = "import_invalid"


class AreaError(DomainError):
    """A refused change to the tree, units or posts."""


class AreaImportError(AreaError):
    """An import refused as a whole; `detail["errors"]` lists every row problem found."""


class PostRuleError(AreaError):
    """Someone tried to give themselves, or end, their own post: refused as forbidden."""

    status = 403


class GeometryError(DomainError):
    """A polygon that is not valid GeoJSON; `detail` says where."""
