"""What a form that opts in to the offline outbox answers when the outbox sends it.

The outbox (static/fieldwork/offline.js) posts the form's own fields as multipart, with an
`Idempotency-Key` header of its own making and `Accept: application/json`. A view keeps its
ordinary HTML answers and, when `wants_json(request)`, answers with `saved` or `refused`
instead: the outbox drops an entry on 200/201, keeps it (and says why) on a refusal, and
retries on anything else (no network, a server error, a sign-in page).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _

from grassroots.core.errors import DomainError
from grassroots.fieldwork.errors import FieldworkError
from grassroots.fieldwork.errors import FieldworkErrorCode as E

HEADER = "Idempotency-Key"
# the intake's key store holds 100 characters; a longer key would be cut and could collide
MAX_KEY = 100
_KEY = re.compile(r"^[\x21-\x7e]+$")


def wants_json(request: HttpRequest) -> bool:
    """Whether the caller (the outbox) asked for a JSON answer rather than a page."""
    return "application/json" in request.headers.get("Accept", "")


def idempotency_key(request: HttpRequest) -> str:
    """The request's `Idempotency-Key` header ("" when absent).

    Raises FieldworkError (400, field "Idempotency-Key") for a key the store cannot hold
    exactly: longer than 100 characters, or with spaces or non-ASCII characters.
    """
    key = request.headers.get(HEADER, "").strip()
    if key and (len(key) > MAX_KEY or not _KEY.match(key)):
        raise FieldworkError(
            E.INVALID_IDEMPOTENCY_KEY,
            _("Idempotency-Key 须为不超过 %(n)s 个可打印 ASCII 字符") % {"n": MAX_KEY},
            field=HEADER,
        )
    return key


def saved(*, created: bool, url: str, **shown: Any) -> JsonResponse:
    """The form was taken: 201 when this request created the record, 200 for a replay."""
    return JsonResponse({"created": created, "url": url, **shown}, status=201 if created else 200)


def refused(
    exc: DomainError | None = None,
    *,
    status: int = 400,
    message: str = "",
    fields: Mapping[str, Sequence[Any]] | None = None,
) -> JsonResponse:
    """A refusal in the API's shape ``{"code", "message", "detail"}``.

    From a service's DomainError (its code, message, status and detail), or from a form that did
    not validate (code ``invalid_form``, `detail.fields` naming each field and its messages).
    """
    if exc is not None:
        return JsonResponse(exc.as_dict(), status=exc.status)
    detail = {"fields": {k: [str(m) for m in v] for k, v in (fields or {}).items()}}
    body = {"code": E.INVALID_FORM, "message": message or _("请检查填写的内容"), "detail": detail}
    return JsonResponse(body, status=status)
