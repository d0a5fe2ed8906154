"""Whether a user holds a permission: asked by the core, answered by the app that owns posts.

The core names the permissions (`core.roles.Perm`) and guards its own pages with them (the audit
log, the admin site, accounts' own passwords), but keeps no domain: who holds which permission is
decided by posts, in `areas.scope`, which registers its answer here when that app loads
(`AreasConfig.ready`). The arrow runs one way — areas imports core, never the reverse — the way
Django's own authentication backends let `contrib.auth` ask an app it does not import.

Without a registered source every check answers no (fail closed).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from grassroots.core.errors import Forbidden

PermsSource = Callable[[Any], frozenset[str]]

_source: PermsSource | None = None


def register_perms_source(source: PermsSource) -> None:
    """Make `source(user)` the answer to "which permissions does this user hold"."""
    global _source
    _source = source


def perms_of(user: Any) -> frozenset[str]:
    """The permissions `user` holds through any active post (none when anonymous or inactive)."""
    if _source is None or user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    return _source(user)


def has_perm(user: Any, perm: str) -> bool:
    """Whether some active post of `user` grants `perm`."""
    return perm in perms_of(user)


def require_perm(user: Any, perm: str) -> None:
    """Raise Forbidden (403) unless some active post of `user` grants `perm`."""
    if not has_perm(user, perm):
        raise Forbidden(perm)
