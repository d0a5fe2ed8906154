"""Where uploads are kept: a filesystem path (the default), or an S3-compatible object store.

``GRASSROOTS_MEDIA_S3_BUCKET`` selects the object store (django-storages' ``S3Storage``: MinIO,
Ceph RGW, a cloud's object storage) for the files people upload — case attachments, visit
photos, mediation agreements, asset photos — so that several web servers share them without a
shared disk. Every file is checked by content before it is stored (the same checks on either
backend), kept under a random name, and served only through the app's own scoped views: the
bucket stays private (no public ACL, no public URL is ever handed out).

What stays on ``GRASSROOTS_MEDIA_ROOT`` either way: the working files of ledger imports (the
upload, its checked rows, the error report), which the task worker reads as files
(docs/deploy.md "Scale-out").
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured

FILESYSTEM = {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def media_storage(env: dict[str, str]) -> dict[str, Any]:
    """The ``STORAGES["default"]`` entry the environment asks for.

    - ``GRASSROOTS_MEDIA_S3_BUCKET``: the bucket (unset: the filesystem);
    - ``GRASSROOTS_MEDIA_S3_ENDPOINT``: the store's URL (``https://minio.example:9000``; unset:
      AWS itself); ``GRASSROOTS_MEDIA_S3_REGION``; ``GRASSROOTS_MEDIA_S3_PREFIX``: a folder
      inside the bucket;
    - ``GRASSROOTS_MEDIA_S3_ACCESS_KEY`` and ``GRASSROOTS_MEDIA_S3_SECRET_KEY``, both or neither
      (neither: boto3's own chain — ``AWS_ACCESS_KEY_ID``, an instance role …).

    Raises ImproperlyConfigured naming the variable that is wrong.
    """
    bucket = env.get("GRASSROOTS_MEDIA_S3_BUCKET", "").strip()
    if not bucket:
        return dict(FILESYSTEM)
    endpoint = env.get("GRASSROOTS_MEDIA_S3_ENDPOINT", "").strip()
    if endpoint and not endpoint.startswith(("http://", "https://")):
        raise ImproperlyConfigured(
            f"GRASSROOTS_MEDIA_S3_ENDPOINT: {endpoint!r} is not an http:// or https:// URL"
        )
    access = env.get("GRASSROOTS_MEDIA_S3_ACCESS_KEY", "").strip()
    secret = env.get("GRASSROOTS_MEDIA_S3_SECRET_KEY", "").strip()
    if bool(access) != bool(secret):
        missing = "SECRET_KEY" if access else "ACCESS_KEY"
        raise ImproperlyConfigured(
            f"GRASSROOTS_MEDIA_S3_{missing}: give both the access key and the secret key, "
            "or neither"
        )
    options: dict[str, Any] = {
        "bucket_name": bucket,
        "location": env.get("GRASSROOTS_MEDIA_S3_PREFIX", "").strip().strip("/"),
        "default_acl": None,  # the bucket's own policy: private
        "querystring_auth": True,  # (no URL is handed out; if one were, it would be signed)
        "file_overwrite": False,  # a name already taken gets another, as on the filesystem
        "object_parameters": {"CacheControl": "private, no-store"},
    }
    if endpoint:
        options["endpoint_url"] = endpoint
        options["addressing_style"] = "path"  # MinIO and most private stores
    region = env.get("GRASSROOTS_MEDIA_S3_REGION", "").strip()
    if region:
        options["region_name"] = region
    if access:
        options["access_key"], options["secret_key"] = access, secret
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
