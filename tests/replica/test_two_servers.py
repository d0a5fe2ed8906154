"""Two stateless web servers (issue 21; docs/deploy.md "Scale-out").

Two gunicorn processes on two ports, each with its own var directory, share only what a
second host would share: the database, Redis (when it runs; else the database's throttle
table), the media path, and the keys and secret from the environment. A session signed in on
A is signed in on B; an API token's limit and the failed logins of one address are counted
across both; a photo uploaded on A is downloaded from B with the bytes the content checks
stored.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from PIL import Image

from grassroots.cases.models import Attachment
from grassroots.core import otp
from grassroots.core.audit_key import AUDIT_KEY
from grassroots.core.crypto import FIELD_KEY
from grassroots.core.models import User
from grassroots.core.tokens import token_issue
from tests.conftest import PASSWORD
from tests.otp_support import fresh_code
from tests.test_scheduler_serve import database_url, free_port
from tests.test_throttle import REDIS_URL, _redis_up

pytestmark = pytest.mark.django_db(transaction=True)
PER_MINUTE = 6
ADDRESS_FAILURES = 4


def shared_env(media: Path) -> dict[str, str]:
    """What every host gets from its configuration: same database, Redis, media, keys."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "GRASSROOTS_SECRET_KEY": settings.SECRET_KEY,
        "GRASSROOTS_MEDIA_ROOT": str(media),
        "GRASSROOTS_API_PER_MINUTE": str(PER_MINUTE),
        "GRASSROOTS_LOGIN_ADDRESS_FAILURES": str(ADDRESS_FAILURES),
        "GRASSROOTS_REDIS_URL": REDIS_URL if _redis_up() else "",
        "GRASSROOTS_THROTTLE_PREFIX": f"t:{uuid.uuid4()}:",
    }
    # The keys the test process wrote the data with, handed to both hosts as files.
    for key in (FIELD_KEY, AUDIT_KEY):
        key.read()
        if not os.environ.get(key.env_var):
            env[key.file_env_var] = str(key.file())
    return env


def wait_up(base: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        try:
            if requests.get(f"{base}/health/", timeout=5).status_code in (200, 503):
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    pytest.fail(f"gunicorn at {base} did not start: {log.read_text()[-3000:]}")


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """Two gunicorn hosts (one worker each); their base URLs."""
    media = tmp_path / "shared-media"
    media.mkdir(mode=0o700)
    env = shared_env(media)
    procs, bases = [], []
    try:
        for host in ("a", "b"):
            port = free_port()
            var = tmp_path / f"var-{host}"
            log = tmp_path / f"gunicorn-{host}.log"
            proc = subprocess.Popen(  # noqa: S603
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "grassroots.wsgi",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    "1",
                ],
                env={**env, "GRASSROOTS_VAR_DIR": str(var)},
                stdout=log.open("wb"),
                stderr=subprocess.STDOUT,
            )
            procs.append(proc)
            bases.append(f"http://127.0.0.1:{port}")
            wait_up(bases[-1], proc, log)
        yield bases[0], bases[1]
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=30)


def form_token(session: requests.Session, url: str) -> str:
    page = session.get(url, timeout=30)
    assert page.status_code == 200, (url, page.status_code)
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert found, url
    return found.group(1)


def photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 80, 40)).save(out, "JPEG")
    return out.getvalue()


def test_a_session_an_api_limit_and_an_upload_hold_across_two_servers(
    servers, world, catalogue, tmp_path
):
    a, b = servers
    # The servers know only the production hashers (the suite's MD5 is for speed in-process).
    hashed = PBKDF2PasswordHasher().encode(PASSWORD, "twoserverssalt", iterations=1000)
    User.objects.filter(username="gridworker").update(password=hashed)
    browser = requests.Session()
    # signed in on A ...
    token = form_token(browser, f"{a}/login/")
    signed = browser.post(
        f"{a}/login/",
        {"username": "gridworker", "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{a}/login/"},
        allow_redirects=False,
        timeout=30,
    )
    assert signed.status_code == 302, signed.text[-500:]
    # ... its second factor given on B ...
    device = otp.confirmed_device(User.objects.get(username="gridworker"))
    assert device is not None
    token = form_token(browser, f"{b}/login/otp/")
    verified = browser.post(
        f"{b}/login/otp/",
        {"code": fresh_code(device), "next": "", "csrfmiddlewaretoken": token},
        headers={"Referer": f"{b}/login/otp/"},
        allow_redirects=False,
        timeout=30,
    )
    assert verified.status_code == 302, verified.text[-500:]
    # ... is signed in on B
    queue = browser.get(f"{b}/cases/", allow_redirects=False, timeout=30)
    assert queue.status_code == 200, queue.headers.get("Location")
    assert "测试gridworker" in queue.text

    # a photo reported on A (form from B, the CSRF token is shared too) ...
    token = form_token(browser, f"{b}/cases/report/")
    reported = browser.post(
        f"{a}/cases/report/",
        data={
            "idem": "two-servers-1",
            "matter": "M001",
            "description": "路灯杆倾斜",
            "area": str(world.grid3a.pk),
            "csrfmiddlewaretoken": token,
        },
        files={"photos": ("IMG_0001.jpg", photo(), "image/jpeg")},
        headers={"Referer": f"{a}/cases/report/"},
        allow_redirects=False,
        timeout=30,
    )
    assert reported.status_code == 302, reported.text[-800:]
    stored = Attachment.objects.get()
    # ... is downloaded from B: the checked, re-encoded bytes, with their recorded hash
    download = browser.get(f"{b}/cases/attachments/{stored.pk}/", timeout=30)
    assert download.status_code == 200
    assert download.headers["Content-Type"] == "image/jpeg"
    assert hashlib.sha256(download.content).hexdigest() == stored.sha256
    assert (tmp_path / "shared-media" / stored.file.name).is_file()  # on the shared path

    # an API token's per-minute limit is counted once, whichever server answers
    _tok, raw = token_issue(user=User.objects.get(username="hotline"))
    api = {"Authorization": f"Token {raw}"}
    codes = [
        requests.get(f"{host}/api/v1/matters/", headers=api, timeout=30).status_code
        for host in [a, b] * PER_MINUTE
    ]
    assert codes == [200] * PER_MINUTE + [429] * PER_MINUTE

    # failed logins from one address are counted across both servers: two on each, one account
    # each (no account's own delay starts), and the next sign-in, right password and all, waits
    def login(host: str, username: str, password: str) -> requests.Response:
        anonymous = requests.Session()
        token = form_token(anonymous, f"{host}/login/")
        return anonymous.post(
            f"{host}/login/",
            {"username": username, "password": password, "csrfmiddlewaretoken": token},
            headers={"Referer": f"{host}/login/"},
            allow_redirects=False,
            timeout=30,
        )

    for host, username in zip(
        [a, b, a, b], ["auditor", "secadmin", "orgdept", "admin"], strict=True
    ):
        assert login(host, username, "wrong-password").status_code != 302
    User.objects.filter(username="community").update(password=hashed)
    refused = login(b, "community", PASSWORD)
    assert refused.status_code != 302 and "秒后再试" in refused.text
