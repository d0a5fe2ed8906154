"""Photos on visits: checked and re-encoded exactly as case attachments are.

The image handling is the cases app's (`cases.attachments.attachment_check`: content sniffed,
re-encoded without EXIF/GPS, random stored name); this module only refuses what is not a photo
(a PDF) and stores the rows of one visit, all or none.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable, Sequence

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from grassroots.cases.attachments import EXTENSIONS, CleanFile, attachment_check
from grassroots.cases.errors import AttachmentError
from grassroots.core.models import User
from grassroots.visits.auditlog import VisitAuditAction
from grassroots.visits.errors import VisitError
from grassroots.visits.errors import VisitErrorCode as E
from grassroots.visits.models import Visit, VisitPhoto
from grassroots.visits.services.base import audit

MAX_PHOTOS = 9
ACCEPT = "image/jpeg,image/png,image/webp"


def photos_check(uploads: Iterable[UploadedFile | CleanFile]) -> list[CleanFile]:
    """The uploads made safe to keep, or VisitError (field `photos`) naming the refused file.

    Guarantees: at most MAX_PHOTOS; each a JPEG, PNG or WebP image by its content, re-encoded
    without metadata by `cases.attachments.attachment_check` (a PDF or anything else is refused).
    Nothing is written.
    """
    files = [u for u in uploads if u]
    if len(files) > MAX_PHOTOS:
        raise VisitError(
            E.INVALID_VALUE, _("一次最多上传 %(n)d 张照片") % {"n": MAX_PHOTOS}, field="photos"
        )
    clean: list[CleanFile] = []
    for upload in files:
        try:
            checked = upload if isinstance(upload, CleanFile) else attachment_check(upload)
        except AttachmentError as exc:
            raise VisitError(E.INVALID_VALUE, str(exc.message), field="photos") from None
        if not checked.is_image:
            raise VisitError(
                E.INVALID_VALUE,
                _("“%(n)s”不是照片（JPEG、PNG 或 WebP）") % {"n": checked.name},
                field="photos",
            )
        clean.append(checked)
    return clean


def photos_store(
    *, actor: User | None, visit: Visit, files: Sequence[CleanFile], stored: list[VisitPhoto]
) -> None:
    """Store `files` on `visit` (inside the caller's transaction), each audited with its SHA-256.

    Every row written is appended to `stored`, so a caller whose transaction fails can remove
    the files again (`photos_discard`)."""
    for clean in files:
        digest = hashlib.sha256(clean.data).hexdigest()
        name = uuid.uuid4().hex + EXTENSIONS[clean.content_type]
        photo = VisitPhoto(
            visit=visit,
            name=clean.name,
            content_type=clean.content_type,
            size=len(clean.data),
            sha256=digest,
        )
        photo.file.save(name, ContentFile(clean.data), save=False)
        stored.append(photo)
        photo.save()
        audit(actor, VisitAuditAction.VISIT_PHOTO, "visit", visit.pk,
              {"photo": photo.pk, "sha256": digest})  # fmt: skip


def photos_discard(stored: Sequence[VisitPhoto]) -> None:
    """Remove the files of photos whose rows were rolled back."""
    for photo in stored:
        photo.file.delete(save=False)


def photo_digests(files: Sequence[CleanFile]) -> list[str]:
    """The SHA-256 of each cleaned file (re-encoding is deterministic, so a retry matches)."""
    return [hashlib.sha256(f.data).hexdigest() for f in files]
