"""The client's address behind nginx (core/proxy.py): trusted only from a listed proxy."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from grassroots.core.models import AuditEvent
from grassroots.core.proxy import ProxyClientAddressMiddleware
from tests.conftest import PASSWORD


def seen(settings, trusted: list[str], **meta: str) -> str:
    settings.TRUSTED_PROXIES = trusted
    request = RequestFactory().get("/", **meta)
    got: list[str] = []

    def view(req):
        got.append(req.META["REMOTE_ADDR"])
        return HttpResponse()

    ProxyClientAddressMiddleware(view)(request)
    return got[0]


def test_a_trusted_proxy_names_the_client(settings):
    meta = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_REAL_IP": "203.0.113.9"}
    assert seen(settings, ["127.0.0.1"], **meta) == "203.0.113.9"
    meta = {"REMOTE_ADDR": "::1", "HTTP_X_REAL_IP": "2001:db8::7"}
    assert seen(settings, ["127.0.0.1", "::1"], **meta) == "2001:db8::7"


@pytest.mark.parametrize(
    ("trusted", "meta"),
    [
        # nothing trusted (the default): the header is anybody's word
        ([], {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_REAL_IP": "203.0.113.9"}),
        # from an address that is not a listed proxy
        (["127.0.0.1"], {"REMOTE_ADDR": "198.51.100.4", "HTTP_X_REAL_IP": "203.0.113.9"}),
        # not one valid address
        (["127.0.0.1"], {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_REAL_IP": "203.0.113.9, 10.0.0.1"}),
        (["127.0.0.1"], {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_REAL_IP": "localhost"}),
        # X-Forwarded-For is never read
        (["127.0.0.1"], {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}),
    ],
)
def test_otherwise_the_request_is_left_as_it_came(settings, trusted, meta):
    assert seen(settings, trusted, **meta) == meta["REMOTE_ADDR"]


def test_a_failed_login_is_audited_and_throttled_with_the_clients_address(settings, world, client):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    resp = client.post(
        "/login/",
        {"username": "leader", "password": PASSWORD + "x"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_REAL_IP="203.0.113.9",
    )
    assert resp.status_code == 200
    event = AuditEvent.objects.filter(action__startswith="login").latest("pk")
    assert event.source == "203.0.113.9"
