"""Photos and documents on case events (SECURITY.md 25).

An upload is accepted only for what its bytes are, never for its name or declared type: a JPEG,
PNG or WebP image that Pillow decodes, or a PDF that pypdf parses and finds free of scripts,
encryption and embedded files (`pdfcheck`). Images are decoded and re-encoded, PDFs rewritten,
so EXIF (and with it GPS positions, camera serials) and any bytes smuggled after the picture or
the document are gone; a PNG stays PNG, everything else becomes an RGB JPEG. Files are stored
under MEDIA_ROOT with a random name and their SHA-256, and read back only through
`attachment_get`, which applies the viewer's case scope.
"""

from __future__ import annotations

import hashlib
import io
import os
import unicodedata
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from grassroots.areas.scope import scope_for
from grassroots.cases import selectors, services, workflow
from grassroots.cases.auditlog import CaseAuditAction
from grassroots.cases.choices import Action
from grassroots.cases.errors import AttachmentError
from grassroots.cases.errors import CaseErrorCode as E
from grassroots.cases.models import Attachment, Case, CaseEvent
from grassroots.cases.pdfcheck import PdfRefused, pdf_clean
from grassroots.core.audit import audit_record
from grassroots.core.errors import NotFound
from grassroots.core.models import User
from grassroots.core.roles import Perm

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
# Larger pictures are refused before decoding (a small file can expand to gigabytes of pixels).
MAX_PIXELS = 40_000_000
MAX_NAME = 120
PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
IMAGE_FORMATS = frozenset({"JPEG", "PNG", "WEBP"})
EXTENSIONS = {JPEG: ".jpg", PNG: ".png", PDF: ".pdf"}


@dataclass(frozen=True)
class CleanFile:
    """An upload that passed the checks: its safe display name, real type and final bytes."""

    name: str
    content_type: str
    data: bytes

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


def max_bytes() -> int:
    """The size cap of one upload (setting ``CASE_ATTACHMENT_MAX_BYTES``, default 10 MB)."""
    return int(getattr(settings, "CASE_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def _display_name(raw: str | None) -> str:
    """The base name without path parts or control characters, at most MAX_NAME long."""
    base = os.path.basename((raw or "").replace("\\", "/"))
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    return base or "file"


def _named(name: str, content_type: str) -> str:
    """`name` with the extension of what the file really is."""
    stem = os.path.splitext(name)[0] or "file"
    ext = EXTENSIONS[content_type]
    return stem[: MAX_NAME - len(ext)] + ext


def _refuse(name: str, message: str) -> AttachmentError:
    return AttachmentError(E.INVALID_ATTACHMENT, message, field="file", file=name)


def _read(upload: UploadedFile, name: str, cap: int) -> bytes:
    too_big = _("文件“%(n)s”超过 %(m)d MB 的大小限制") % {"n": name, "m": max(1, cap // 2**20)}
    if upload.size is not None and upload.size > cap:
        raise _refuse(name, too_big)
    chunks: list[bytes] = []
    total = 0
    upload.seek(0)
    for chunk in upload.chunks():
        total += len(chunk)
        if total > cap:
            raise _refuse(name, too_big)
        chunks.append(chunk)
    return b"".join(chunks)


def _reencode(name: str, raw: bytes) -> CleanFile:
    """Decode the image and write a fresh copy without metadata, upright per its EXIF."""
    not_allowed = _("文件“%(n)s”的内容不是允许的类型（JPEG、PNG、WebP 图片或 PDF）") % {"n": name}
    try:
        with Image.open(io.BytesIO(raw)) as probe:
            fmt = probe.format or ""
            if fmt not in IMAGE_FORMATS:
                raise _refuse(name, not_allowed)
            width, height = probe.size
            if width * height > MAX_PIXELS:
                raise _refuse(name, _("图片“%(n)s”的像素过大") % {"n": name})
            probe.verify()
        with Image.open(io.BytesIO(raw)) as img:
            img.load()
            upright = ImageOps.exif_transpose(img)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise _refuse(name, not_allowed) from None
    has_alpha = upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info
    keep_png = fmt == "PNG" or (fmt == "WEBP" and has_alpha)
    out = io.BytesIO()
    if keep_png:
        clean = upright.copy()
        clean.info = {}  # drops text chunks, EXIF and ICC: nothing but pixels is written
        if clean.mode not in ("1", "L", "LA", "P", "RGB", "RGBA", "I", "I;16"):
            clean = clean.convert("RGBA")
        clean.save(out, "PNG", optimize=True)
        content_type = PNG
    else:
        clean = upright.convert("RGB")
        clean.info = {}
        clean.save(out, "JPEG", quality=85, optimize=True)
        content_type = JPEG
    return CleanFile(_named(name, content_type), content_type, out.getvalue())


def attachment_check(upload: UploadedFile) -> CleanFile:
    """The upload made safe to keep, or AttachmentError naming the file.

    Guarantees: at most `max_bytes()`; a PDF that parses (rewritten, `pdfcheck`), or an image
    Pillow decodes as JPEG, PNG or WebP, re-encoded without EXIF/GPS; the display name has no
    path and the extension of the real type. Nothing is written.
    """
    name = _display_name(upload.name)
    raw = _read(upload, name, max_bytes())
    if not raw:
        raise _refuse(name, _("文件“%(n)s”是空的") % {"n": name})
    if raw.startswith(b"%PDF-"):
        return CleanFile(_named(name, PDF), PDF, _pdf(name, raw))
    return _reencode(name, raw)


def _pdf(name: str, raw: bytes) -> bytes:
    try:
        return pdf_clean(raw)
    except PdfRefused as exc:
        if exc.reason == "encrypted":
            message = _("PDF 文件“%(n)s”已加密，无法检查其内容，请去掉密码后再上传")
        elif exc.reason == "active":
            message = _("PDF 文件“%(n)s”含有脚本、启动操作或嵌入文件，不能上传")
        elif exc.reason == "too_complex":
            message = _("PDF 文件“%(n)s”结构过于复杂，无法检查，请重新导出后再上传")
        else:
            message = _("文件“%(n)s”不是有效的 PDF（无法解析），请重新导出后再上传")
        raise _refuse(name, message % {"n": name}) from None


def attachment_add(
    *, actor: User | None, case: Case, event: CaseEvent, upload: UploadedFile | CleanFile
) -> Attachment:
    """Store one checked file on `event` of `case` and return its row.

    Guarantees: the event belongs to the case and was written by `actor` (the evidence is theirs);
    the content passed `attachment_check`; the stored name is random (nothing of the uploaded
    name reaches the file system); the SHA-256 of the stored bytes is recorded and audited.
    """
    if event.case_id != case.pk or (actor is not None and event.actor_id != actor.pk):
        raise NotFound("event")
    clean = upload if isinstance(upload, CleanFile) else attachment_check(upload)
    digest = hashlib.sha256(clean.data).hexdigest()
    stored = ContentFile(clean.data, name=uuid.uuid4().hex + EXTENSIONS[clean.content_type])
    with transaction.atomic():
        attachment = Attachment.objects.create(
            case=case,
            event=event,
            file=stored,
            name=clean.name,
            content_type=clean.content_type,
            size=len(clean.data),
            sha256=digest,
        )
        audit_record(
            actor=actor,
            action=CaseAuditAction.ATTACH,
            object_type="case",
            object_id=case.pk,
            changes={"attachment": attachment.pk, "event": event.pk, "sha256": digest},
        )
    return attachment


def _store_all(
    actor: User | None, case: Case, event: CaseEvent, files: Sequence[CleanFile]
) -> None:
    """Store every file, or none: files already written are removed if a later one fails."""
    done: list[Attachment] = []
    try:
        for clean in files:
            done.append(attachment_add(actor=actor, case=case, event=event, upload=clean))
    except BaseException:
        for attachment in done:
            attachment.file.delete(save=False)
        raise


def case_apply_with_files(
    *,
    case_id: int,
    action: str,
    actor: User | None,
    files: Sequence[CleanFile] = (),
    **kwargs: Any,
) -> tuple[Case, CaseEvent]:
    """`workflow.case_apply`, with `files` attached to the event it writes, in one transaction."""
    with transaction.atomic():
        case, event = workflow.case_apply(case_id=case_id, action=action, actor=actor, **kwargs)
        _store_all(actor, case, event, files)
    return case, event


def case_intake_with_files(
    *,
    actor: User | None,
    intake: services.Intake,
    idempotency_key: str = "",
    files: Sequence[CleanFile] = (),
) -> tuple[Case, bool]:
    """`services.case_intake`, with `files` on the case's "create" event, in one transaction.

    A replayed intake (same idempotency key) returns the first case and attaches nothing again.
    """
    with transaction.atomic():
        case, created = services.case_intake(
            actor=actor, intake=intake, idempotency_key=idempotency_key
        )
        if created and files:
            event = CaseEvent.objects.get(case=case, action=Action.CREATE)
            _store_all(actor, case, event, files)
    return case, created


def attachment_get(*, actor: User, pk: Any) -> Attachment:
    """One attachment of a case the actor may see; 403 without the right to see cases, and
    NotFound for a missing attachment or one on a case outside the actor's scope."""
    scope_for(actor).require(Perm.VIEW_CASES)
    try:
        key = int(pk)
    except (TypeError, ValueError):
        raise NotFound("attachment") from None
    attachment = Attachment.objects.filter(pk=key).first()
    if attachment is None:
        raise NotFound("attachment")
    selectors.case_get(actor=actor, pk=attachment.case_id)
    return attachment
