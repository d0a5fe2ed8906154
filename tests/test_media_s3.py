"""Uploads in an S3-compatible object store (GRASSROOTS_MEDIA_S3_*, grassroots/mediastore.py),
against a real S3 server on this machine (moto's, on a free port): stored checked, under a
random name, in a private bucket, read back only through the app's scoped views."""

from __future__ import annotations

import hashlib
import socket

import boto3
import pytest
from django.core.exceptions import ImproperlyConfigured
from moto.server import ThreadedMotoServer

from grassroots.cases.models import Attachment, Case
from grassroots.mediastore import media_storage
from tests.conftest import signed_in
from tests.sites import site_factory
from tests.test_cases_attachments import photo, upload

BUCKET = "grassroots-media"
KEYS = {
    "GRASSROOTS_MEDIA_S3_ACCESS_KEY": "test-key",
    "GRASSROOTS_MEDIA_S3_SECRET_KEY": "test-secret",
}


@pytest.fixture(scope="module")
def s3_server():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


def s3_client(endpoint: str):
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="test-key",
        aws_secret_access_key="test-secret",
    )


@pytest.fixture
def bucket(s3_server, settings):
    client = s3_client(s3_server)
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": media_storage(
            {
                "GRASSROOTS_MEDIA_S3_BUCKET": BUCKET,
                "GRASSROOTS_MEDIA_S3_ENDPOINT": s3_server,
                "GRASSROOTS_MEDIA_S3_REGION": "us-east-1",
                "GRASSROOTS_MEDIA_S3_PREFIX": "/county/",
                **KEYS,
            }
        ),
    }
    yield client
    for obj in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=obj["Key"])
    client.delete_bucket(Bucket=BUCKET)


def keys(client):
    return [o["Key"] for o in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def test_a_photo_is_stored_in_the_bucket_and_read_back_only_through_the_app(
    world, catalogue, bucket, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"  # nothing may land on the disk
    client = signed_in("gridworker")
    response = client.post(
        "/cases/report/",
        {
            "idem": "s3-1",
            "matter": "M001",
            "description": "路灯杆倾斜",
            "area": world.grid3a.pk,
            "photos": upload("IMG_0001.jpg", photo()),
        },
    )
    assert response.status_code == 302
    stored = Attachment.objects.get(case=Case.objects.get())
    [key] = keys(bucket)
    assert key == f"county/{stored.file.name}" and "IMG_0001" not in key
    assert not (tmp_path / "media").exists()
    head = bucket.head_object(Bucket=BUCKET, Key=key)
    assert head["CacheControl"] == "private, no-store"
    acl = bucket.get_object_acl(Bucket=BUCKET, Key=key)
    assert not [g for g in acl["Grants"] if "AllUsers" in str(g.get("Grantee", {}))]
    # what the bucket holds is the checked file: EXIF and GPS gone
    kept = bucket.get_object(Bucket=BUCKET, Key=key)["Body"].read()
    assert b"PhoneMaker" not in kept and hashlib.sha256(kept).hexdigest() == stored.sha256
    download = signed_in("community").get(f"/cases/attachments/{stored.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == kept
    assert signed_in("dept").get(f"/cases/attachments/{stored.pk}/").status_code == 404


def test_a_refused_upload_leaves_nothing_in_the_bucket(world, catalogue, bucket):
    client = signed_in("gridworker")
    response = client.post(
        "/cases/report/",
        {
            "idem": "s3-2",
            "matter": "M001",
            "description": "井盖缺失",
            "area": world.grid3a.pk,
            "photos": upload("evil.jpg", b"<html><script>alert(1)</script>"),
        },
    )
    assert response.status_code == 400 and "evil.jpg" in response.content.decode()
    assert keys(bucket) == [] and not Case.objects.exists()


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"GRASSROOTS_MEDIA_S3_ENDPOINT": "minio:9000"}, "GRASSROOTS_MEDIA_S3_ENDPOINT"),
        ({"GRASSROOTS_MEDIA_S3_ACCESS_KEY": "k"}, "GRASSROOTS_MEDIA_S3_SECRET_KEY"),
        ({"GRASSROOTS_MEDIA_S3_SECRET_KEY": "s"}, "GRASSROOTS_MEDIA_S3_ACCESS_KEY"),
    ],
)
def test_a_wrong_store_setting_names_its_variable(env, variable):
    with pytest.raises(ImproperlyConfigured, match=rf"^{variable}: "):
        media_storage({"GRASSROOTS_MEDIA_S3_BUCKET": BUCKET, **env})


def test_without_a_bucket_uploads_stay_on_the_filesystem():
    assert media_storage({})["BACKEND"].endswith("FileSystemStorage")
    assert media_storage({"GRASSROOTS_MEDIA_S3_ENDPOINT": "http://x"})["BACKEND"].endswith(
        "FileSystemStorage"
    )


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    yield from site_factory(tmp_path_factory)


def _bucket_env(server: str, name: str) -> dict[str, str]:
    return {
        "GRASSROOTS_MEDIA_S3_BUCKET": name,
        "GRASSROOTS_MEDIA_S3_ENDPOINT": server,
        "GRASSROOTS_MEDIA_S3_REGION": "us-east-1",
        **KEYS,
    }


def test_a_backup_carries_the_stores_objects_into_another_bucket(s3_server, sites):
    client = s3_client(s3_server)
    for name in ("backup-source", "backup-target"):
        client.create_bucket(Bucket=name)
    source = sites("s3-source")
    source.env_extra.update(_bucket_env(s3_server, "backup-source"))
    source.seeded()
    saved = source.python(
        "from django.core.files.base import ContentFile\n"
        "from django.core.files.storage import default_storage\n"
        "print(default_storage.save('cases/2026/evidence.jpg', ContentFile(b'\\xff\\xd8 photo')))"
    ).strip()
    assert saved == "cases/2026/evidence.jpg"
    source.grassroots("backup", "--out-dir", str(source.var / "archives"))
    (archive,) = (source.var / "archives").glob("grassroots-*.grbak")
    # an installation without the object store refuses it, writing nothing
    bare = sites("s3-bare")
    refused = bare.grassroots("restore", str(archive), check=False)
    assert refused.returncode != 0 and "GRASSROOTS_MEDIA_S3_BUCKET" in refused.stderr
    target = sites("s3-target")
    target.env_extra.update(_bucket_env(s3_server, "backup-target"))
    assert "restored" in target.grassroots("restore", str(archive)).stdout
    kept = client.get_object(Bucket="backup-target", Key="cases/2026/evidence.jpg")
    assert kept["Body"].read() == b"\xff\xd8 photo"
