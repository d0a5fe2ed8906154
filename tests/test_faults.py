"""Faults (issue 15): the real server (gunicorn with the project's config, two workers) is killed
with SIGKILL in the middle of a stream of intakes; after a restart every intake that was
acknowledged with 201 is there exactly once, and the server takes intakes again; killed while an
import writes, nothing of the file is written, the job says it was interrupted, and a retry
imports it whole. On the suite's engine: SQLite in one CI run, PostgreSQL in the other."""

from __future__ import annotations

import datetime
import json
import re
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import PASSWORD
from tests.sites import Server, Site, WebSession, site_factory

CLIENTS = 4
KILL_AFTER = 40  # acknowledged intakes before the kill


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> Iterator[Callable[[str], Site]]:
    yield from site_factory(tmp_path_factory)


def _post(url: str, body: dict, token: str | None = None, timeout: float = 10) -> tuple[int, dict]:
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Token {token}"
    request = urllib.request.Request(  # noqa: S310 — our own server on loopback
        url, data=json.dumps(body).encode(), headers=headers, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as resp:  # noqa: S310
            return resp.status, json.loads(resp.read() or b"{}")
    except urllib.error.HTTPError as exc:
        return exc.code, {}


def _token(server: Server, site: Site) -> str:
    credentials = {"username": "gridworker", "password": PASSWORD}
    status, body = _post(
        server.base + "/api/v1/auth/token/", {**credentials, "otp": site.totp_code("gridworker")}
    )
    assert status == 200, status
    return body["token"]


def _intake(server: Server, token: str, area: int, text: str) -> int:
    body = {"matter": "M001", "channel": "patrol", "description": text, "area": area}
    return _post(server.base + "/api/v1/cases/", body, token)[0]


def test_every_acknowledged_intake_survives_a_sigkill_of_the_server(sites):
    # given a real server taking intakes from four clients at once
    site = sites("intake-kill").seeded()
    area = int(site.python("from grassroots.areas.models import Area\n"
                           "print(Area.objects.get(name='微网格A').pk)"))  # fmt: skip
    server = site.serve(workers=2)
    token = _token(server, site)
    acked: list[str] = []
    refused: list[int] = []
    lock = threading.Lock()
    enough = threading.Event()

    def client(n: int) -> None:
        for i in range(10_000):
            text = f"停电故障 客户端{n} 第{i}件"
            try:
                status = _intake(server, token, area, text)
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                return  # the server is gone
            if status == 201:
                with lock:
                    acked.append(text)
                    if len(acked) >= KILL_AFTER:
                        enough.set()
            else:
                refused.append(status)
                return

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for t in threads:
        t.start()
    # when the whole server is killed (master and workers, SIGKILL) in the middle of the stream
    while not enough.wait(timeout=1) and any(t.is_alive() for t in threads):
        pass
    assert enough.is_set(), f"only {len(acked)} intakes acknowledged; refused: {refused}"
    server.kill()
    for t in threads:
        t.join(timeout=60)
    # then, after a restart, every acknowledged intake is there, each exactly once
    server = site.serve(workers=2)
    try:
        stored = json.loads(
            site.python(
                "import json; from grassroots.cases.models import Case\n"
                "print(json.dumps(list(Case.objects.values_list('description', flat=True))))"
            )
        )
        missing = [t for t in acked if t not in stored]
        assert not missing, f"{len(missing)} acknowledged intakes lost: {missing[:3]}"
        twice = {t for t in stored if stored.count(t) > 1}
        assert not twice, twice
        assert len(acked) >= KILL_AFTER
        # and the restarted server takes intakes again
        assert _intake(server, _token(server, site), area, "重启后的第一件") == 201
    finally:
        server.stop()


def _read(path: Path) -> str:
    try:
        return path.read_text()
    except OSError:  # replaced or removed under us
        return ""


def _big_ledger(path: Path, households: int) -> Path:
    """`households` two-person households in 微网格A: new residents only, so the job writes at
    once (no preview to confirm)."""
    from tests.conftest import person_id
    from tests.test_ledger_support import GRID_A, hh, ledger, res

    rows_h, rows_r = [], []
    for n in range(households):
        number = f"K-{n}"
        born = datetime.date(1950, 1, 1) + datetime.timedelta(days=n // 250)
        rows_h.append(hh(number, GRID_A))
        rows_r.append(res(number, f"户主{n}", person_id((2 * n) % 500, born), "户主"))
        rows_r.append(res(number, f"配偶{n}", person_id((2 * n + 1) % 500, born), "配偶"))
    return ledger(path, rows_h, rows_r)


def test_an_import_cut_off_by_a_sigkill_writes_nothing_says_so_and_can_be_retried(sites, tmp_path):
    # given a real server, and a community's staff uploading a ledger of 12,000 new residents
    site = sites("import-kill").seeded()
    count = "from grassroots.people.models import Resident\nprint(Resident.objects.count())"
    before = int(site.python(count))
    site.env_extra = {"GRASSROOTS_IMPORT_STALE_SECONDS": "3"}
    server = site.serve(workers=2)
    staff = WebSession(server, "community", PASSWORD, site.totp_code("community"))
    home = staff.get("/people/ledger/")
    url, _page = staff.post(
        "/people/ledger/",
        {"mode": "all"},
        page=home,
        files={"file": _big_ledger(tmp_path / "big.xlsx", 6000)},
    )
    job = re.search(r"/people/ledger/jobs/(\d+)/", url)
    assert job, url
    # when the server is killed while the job writes (its progress file, beside the upload,
    # says so from the first row written: read from the disk, faster than any page)
    imports = site.var / "media" / "imports"
    deadline = time.monotonic() + 240
    while not any('"writing"' in _read(p) for p in imports.glob("*.progress.json")):
        assert time.monotonic() < deadline, "the job never reached the writing stage"
        time.sleep(0.005)
    time.sleep(0.2)  # some batches written, inside the import's one transaction
    server.kill()
    # then after a restart nothing of the file was written, and the job says it was interrupted
    assert int(site.python(count)) == before
    server = site.serve(workers=2)
    try:
        staff = WebSession(server, "community", PASSWORD, site.totp_code("community"))
        time.sleep(4)  # past the (shortened) silence after which a job counts as cut off
        page = staff.get(f"/people/ledger/jobs/{job.group(1)}/")
        assert "已中断" in page and "未写入任何数据" in page
        # and a retry imports the kept upload whole
        url, _page = staff.post(f"/people/ledger/jobs/{job.group(1)}/retry/", {}, page=page)
        again = re.search(r"/people/ledger/jobs/(\d+)/", url)
        assert again and again.group(1) != job.group(1)
        deadline = time.monotonic() + 300
        while "已完成" not in staff.get(f"/people/ledger/jobs/{again.group(1)}/"):
            assert time.monotonic() < deadline, "the retried job did not finish"
            time.sleep(0.5)
        assert int(site.python(count)) == before + 12000
    finally:
        server.stop()
