"""The signed-in actor of a request, typed: one function for pages and the API alike."""

from __future__ import annotations

from typing import Any

from grassroots.core.errors import NotSignedIn
from grassroots.core.models import User


def actor_of(request: Any) -> User:
    """The request's user as a `User`; 401 when no active user is signed in.

    Every page is behind `login_required` and every API view behind `IsAuthenticated`, so this
    only narrows the type — but it fails closed if a view ever forgets its guard. `request` is an
    `HttpRequest` or a DRF `Request`.
    """
    user = request.user
    if not isinstance(user, User) or not user.is_active:
        raise NotSignedIn()
    return user
