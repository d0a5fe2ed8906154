"""Downloads of case attachments: only for viewers of the case, always as a download."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest
from django.views.decorators.http import require_GET

from grassroots.cases import attachments
from grassroots.cases.views import actor_of


@login_required
@require_GET
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """The stored file, if the viewer may see its case (else 404; 403 without case rights).

    Sent as an attachment with its checked type, `nosniff` and no caching, so a browser never
    renders an upload as a page of this site.
    """
    attachment = attachments.attachment_get(actor=actor_of(request), pk=pk)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
