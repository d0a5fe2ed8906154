"""The one error type services raise, mapped to one API shape ``{"code", "message", "detail"}``."""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise


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

        super().__init__("not_found", _("未找到该对象"), object=what)


class Forbidden(DomainError):
    """The actor holds no role that permits this action."""

    status = 403

    def __init__(self, perm: str) -> None:
        from django.utils.translation import gettext as _

        super().__init__("forbidden", _("没有执行此操作的权限"), permission=perm)


class Conflict(DomainError):
    """The object changed under the actor, or the action does not fit its current state."""

    status = 409


def invalid_filter(field: str, value: object) -> DomainError:
    """The 400 for a list or search parameter with a value it cannot take, naming the field."""
    from django.utils.translation import gettext as _

    return DomainError(
        "invalid_filter",
        _("筛选条件 %(f)s 的值无效：%(v)s") % {"f": field, "v": str(value)[:60]},
        field=field,
    )
