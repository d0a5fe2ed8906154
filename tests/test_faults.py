"""Faults (issue 15): the real server (gunicorn with the project's config, two workers) is killed
with SIGKILL in the middle of a stream of intakes; after a restart every intake that was
acknowledged with 201 is there exactly once, and the server takes intakes again. On the suite's
engine: SQLite in one CI run, PostgreSQL in the other."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator

import pytest

from tests.conftest import PASSWORD
from tests.sites import Server, Site, site_factory

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


def _token(server: Server) -> str:
    status, body = _post(
        server.base + "/api/v1/auth/token/", {"username": "gridworker", "password": PASSWORD}
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
    token = _token(server)
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
        assert _intake(server, _token(server), area, "重启后的第一件") == 201
    finally:
        server.stop()
