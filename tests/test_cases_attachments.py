"""Attachments: checked by content, re-encoded without EXIF/GPS, size-capped, stored with a random
name and a hash, and served only to viewers of the case, always as a download (SECURITY.md 25)."""

import hashlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from grassroots.cases import attachments
from grassroots.cases.models import Attachment, Case
from tests.conftest import signed_in
from tests.test_cases_pages import act, register

GPS_IFD = 0x8825


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def photo(fmt="JPEG", size=(64, 48), gps=True, mode="RGB"):
    """Image bytes; a JPEG or WebP with a camera make and a GPS position in its EXIF."""
    img = Image.new(mode, size, (200, 30, 30, 100)[: len(mode)])
    buf = io.BytesIO()
    if gps:
        exif = Image.Exif()
        exif[0x010F] = "PhoneMaker"
        exif[GPS_IFD] = {1: "N", 2: (37.0, 0.0, 12.5), 3: "E", 4: (110.0, 48.0, 1.0)}
        img.save(buf, fmt, exif=exif.tobytes())
    else:
        img.save(buf, fmt)
    return buf.getvalue()


def upload(name, data, content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def exif_of(data):
    return Image.open(io.BytesIO(data)).getexif()


# --- the checks, without a database -------------------------------------------------------


def test_jpeg_is_reencoded_without_exif_or_gps():
    raw = photo()
    assert exif_of(raw).get_ifd(GPS_IFD)  # the original carries a position
    clean = attachments.attachment_check(upload("现场.jpg", raw))
    assert clean.content_type == "image/jpeg" and clean.name == "现场.jpg"
    assert len(exif_of(clean.data)) == 0 and b"PhoneMaker" not in clean.data
    assert Image.open(io.BytesIO(clean.data)).size == (64, 48)


def test_png_stays_png_and_webp_becomes_jpeg():
    png = attachments.attachment_check(upload("a.png", photo("PNG", gps=False), "image/png"))
    assert png.content_type == "image/png" and png.data.startswith(b"\x89PNG")
    webp = attachments.attachment_check(upload("b.webp", photo("WEBP"), "image/webp"))
    assert webp.content_type == "image/jpeg" and webp.name == "b.jpg"
    assert len(exif_of(webp.data)) == 0
    clear = attachments.attachment_check(
        upload("c.webp", photo("WEBP", gps=False, mode="RGBA"), "image/webp")
    )
    assert clear.content_type == "image/png"  # transparency kept


def test_the_name_follows_the_content_not_the_extension():
    clean = attachments.attachment_check(upload("../../etc/photo.gif", photo("PNG", gps=False)))
    assert clean.name == "photo.png" and clean.content_type == "image/png"


def small_pdf(*, javascript=False, password=""):
    """A one-page PDF written by pypdf; with an opening script or a password if asked."""
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=100)
    if javascript:
        action = {NameObject("/S"): NameObject("/JavaScript")}
        action[NameObject("/JS")] = TextStringObject("app.alert('x');")
        writer.root_object[NameObject("/OpenAction")] = DictionaryObject(action)
    if password:
        writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_real_pdf_is_accepted_and_parses():
    clean = attachments.attachment_check(upload("证明.pdf", small_pdf(), "application/pdf"))
    assert clean.content_type == "application/pdf" and clean.name == "证明.pdf"
    assert len(PdfReader(io.BytesIO(clean.data)).pages) == 1


def test_html_after_a_pdf_header_is_refused():
    # Issue 15, defect 8: this was stored unchanged when the header was the only check.
    html = b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n"
    with pytest.raises(attachments.AttachmentError) as refused:
        attachments.attachment_check(upload("证明.pdf", html, "application/pdf"))
    assert "证明.pdf" in str(refused.value.message) and "PDF" in str(refused.value.message)


def test_bytes_after_a_real_pdf_are_not_kept():
    smuggled = small_pdf() + b"\n<html><script>alert(1)</script></html>\n"
    clean = attachments.attachment_check(upload("a.pdf", smuggled, "application/pdf"))
    assert b"<script>" not in clean.data and len(PdfReader(io.BytesIO(clean.data)).pages) == 1


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (small_pdf(javascript=True), "脚本"),
        (small_pdf(password="secret"), "加密"),
        (b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n", "不是有效的 PDF"),
    ],
)
def test_pdfs_with_scripts_encryption_or_no_pages_are_refused(data, says):
    with pytest.raises(attachments.AttachmentError) as refused:
        attachments.attachment_check(upload("x.pdf", data, "application/pdf"))
    assert says in str(refused.value.message)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("photo.jpg", b"<html><script>alert(1)</script></html>"),
        ("photo.jpg", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64),
        ("scan.pdf", b"PK\x03\x04 not a pdf"),
        ("anim.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"),
        ("empty.jpg", b""),
    ],
)
def test_disguised_or_empty_files_are_refused_by_name(name, data):
    with pytest.raises(attachments.AttachmentError) as refused:
        attachments.attachment_check(upload(name, data))
    assert name in str(refused.value.message)


def test_oversized_files_are_refused(settings):
    settings.CASE_ATTACHMENT_MAX_BYTES = 1000
    with pytest.raises(attachments.AttachmentError) as refused:
        attachments.attachment_check(upload("big.jpg", photo(size=(400, 400)) + b"\x00" * 2000))
    assert "big.jpg" in str(refused.value.message) and "MB" in str(refused.value.message)


def test_the_default_cap_is_ten_megabytes():
    assert attachments.max_bytes() == 10 * 1024 * 1024


# --- through the pages ---------------------------------------------------------------------


def test_patrol_photo_comes_back_stripped(world, catalogue):
    client = signed_in("gridworker")
    response = client.post(
        "/cases/report/",
        {
            "idem": "patrol-1",
            "matter": "M001",
            "description": "路灯杆倾斜",
            "area": world.grid3a.pk,
            "photos": [upload("IMG_0001.jpg", photo()), upload("IMG_0002.png", photo("PNG"))],
        },
    )
    assert response.status_code == 302
    case = Case.objects.get()
    files = list(Attachment.objects.filter(case=case).order_by("id"))
    assert len(files) == 2
    assert {f.event.action for f in files} == {"create"}
    stored = files[0]
    assert "IMG_0001" not in stored.file.name  # random name on disk
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert f"/cases/attachments/{stored.pk}/" in page
    download = client.get(f"/cases/attachments/{stored.pk}/")
    body = b"".join(download.streaming_content)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Type"] == "image/jpeg"
    assert len(exif_of(body)) == 0 and b"PhoneMaker" not in body
    assert hashlib.sha256(body).hexdigest() == stored.sha256


def test_patrol_replay_attaches_nothing_twice(world, catalogue):
    client = signed_in("gridworker")
    body = {
        "idem": "patrol-2",
        "matter": "M001",
        "description": "井盖缺失",
        "area": world.grid3a.pk,
    }
    client.post("/cases/report/", {**body, "photos": upload("a.jpg", photo())})
    client.post("/cases/report/", {**body, "photos": upload("a.jpg", photo())})
    assert Case.objects.count() == 1 and Attachment.objects.count() == 1


def test_disguised_upload_is_a_form_error_naming_the_file(world, catalogue):
    response = signed_in("gridworker").post(
        "/cases/report/",
        {
            "idem": "patrol-3",
            "matter": "M001",
            "description": "路灯杆倾斜",
            "area": world.grid3a.pk,
            "photos": upload("invoice.jpg", b"<html><body>not a photo</body></html>"),
        },
    )
    assert response.status_code == 400
    assert "invoice.jpg" in response.content.decode()
    assert Case.objects.count() == 0 and Attachment.objects.count() == 0


def test_oversized_upload_is_a_form_error(world, catalogue, settings):
    settings.CASE_ATTACHMENT_MAX_BYTES = 2048
    response = signed_in("gridworker").post(
        "/cases/report/",
        {
            "idem": "patrol-4",
            "matter": "M001",
            "description": "路灯杆倾斜",
            "area": world.grid3a.pk,
            "photos": upload("huge.jpg", b"\xff\xd8" + b"\x00" * 4096),
        },
    )
    assert response.status_code == 400 and "huge.jpg" in response.content.decode()
    assert Case.objects.count() == 0


def test_resolve_with_evidence_photos(world, catalogue):
    case = register(world)
    act(case, "accept", "community")
    client = signed_in("community")
    response = client.post(
        f"/cases/{case.pk}/",
        {"action": "resolve", "note": "已更换灯泡", "photos": [upload("after.jpg", photo())]},
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.event.action == "resolve" and attachment.case_id == case.pk
    assert len(exif_of(attachment.file.read())) == 0


def test_refused_evidence_leaves_the_case_unchanged(world, catalogue):
    case = register(world)
    act(case, "accept", "community")
    response = signed_in("community").post(
        f"/cases/{case.pk}/",
        {"action": "resolve", "note": "已更换", "photos": [upload("setup.exe.jpg", b"MZ\x90\x00")]},
    )
    assert response.status_code == 400 and "setup.exe.jpg" in response.content.decode()
    case.refresh_from_db()
    assert case.state == "accepted" and Attachment.objects.count() == 0


def test_download_is_scoped(world, catalogue):
    signed_in("gridworker").post(
        "/cases/report/",
        {
            "idem": "patrol-5",
            "matter": "M001",
            "description": "路灯杆倾斜",
            "area": world.grid3a.pk,
            "photos": upload("p.jpg", photo()),
        },
    )
    pk = Attachment.objects.get().pk
    assert signed_in("community").get(f"/cases/attachments/{pk}/").status_code == 200
    assert signed_in("dept").get(f"/cases/attachments/{pk}/").status_code == 404
    assert signed_in("auditor").get(f"/cases/attachments/{pk}/").status_code == 403
    assert signed_in("community").get(f"/cases/attachments/{pk + 100}/").status_code == 404
    assert Client().get(f"/cases/attachments/{pk}/").status_code == 302  # to the login


def test_attachment_add_keeps_evidence_with_its_author(world, catalogue):
    from grassroots.cases.models import CaseEvent
    from grassroots.core.errors import NotFound
    from grassroots.core.models import User

    case = register(world)
    event = CaseEvent.objects.filter(case=case, action="create").get()
    other = User.objects.get(username="community")
    with pytest.raises(NotFound):
        attachments.attachment_add(
            actor=other, case=case, event=event, upload=upload("x.jpg", photo())
        )
    added = attachments.attachment_add(
        actor=User.objects.get(username="hotline"),
        case=case,
        event=event,
        upload=upload("x.jpg", photo()),
    )
    assert added.size == len(added.file.read()) and len(added.sha256) == 64
