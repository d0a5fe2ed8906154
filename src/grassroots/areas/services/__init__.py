"""Writes to the area tree, units, post types and posts: the only code that saves them.

By concern: `tree` (one node: create, update, move, delete), `imports` (a whole tree file, all
or nothing), `units`, and `placement` (the checks the tree and imports share). Post types and
posts live in `areas.posts` (with the rules of 三员分立). Everything callers use is re-exported
here, so `services.post_create` stays the one way to give someone a post.

Each function checks its input and the actor's scope (403 without the right, 404 outside its
subtrees), writes in one transaction and records an audit row with before/after values.
`actor=None` means the system itself (a command such as ``loaddemo``); such writes are audited
too, with the command as their source.
"""

from __future__ import annotations

from grassroots.areas.errors import AreaError, AreaImportError, PostRuleError
from grassroots.areas.posts import (
    post_create,
    post_end,
    post_separation_problem,
    post_type_define,
    post_validate,
)
from grassroots.areas.services.imports import AreaRow, RowErrors, area_import
from grassroots.areas.services.placement import area_validate, area_validate_polygon
from grassroots.areas.services.tree import (
    area_create,
    area_delete,
    area_move,
    area_update,
    path_holders,
)
from grassroots.areas.services.units import UNIT_AREA_LEVELS, unit_create, unit_update

__all__ = [
    "UNIT_AREA_LEVELS",
    "AreaError",
    "AreaImportError",
    "AreaRow",
    "PostRuleError",
    "RowErrors",
    "area_create",
    "area_delete",
    "area_import",
    "area_move",
    "area_update",
    "area_validate",
    "area_validate_polygon",
    "path_holders",
    "post_create",
    "post_end",
    "post_separation_problem",
    "post_type_define",
    "post_validate",
    "unit_create",
    "unit_update",
]
