"""The signed-in actor of a request, typed: one function for pages and the API alike."""

from __future__ import annotations

from typing import Any

from grassroots.core.errors import DomainError
from grassroots.core.models import User


class NotSignedIn(DomainError):
    """A view behind sign-in was reached without a signed-in, active user."""

    status = 401

    def __init__(self) -> None:
        from django.utils.translation import gettext as _

        super().__init__("not_authenticated", _("请先登录"))


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
