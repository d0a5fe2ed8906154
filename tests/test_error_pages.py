"""Errors answer with the product's own page in the user's language, never Django's bare
English one (DEBUG is off in the suite, as in production)."""

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import Client
from django.urls import path
from django.utils import translation

from grassroots import urls as product_urls
from tests.conftest import signed_in


@pytest.fixture(autouse=True)
def _chinese_afterwards():
    """Requests in English leave English active in this thread; later tests expect Chinese."""
    yield
    translation.deactivate()


def _boom(request):
    raise RuntimeError("secret internals 13812345678")


def _denied(request):
    raise PermissionDenied


def _suspicious(request):
    raise SuspiciousOperation("bad")


# This module is the URL conf of the tests below: the product's URLs, its handlers, and views
# that fail on purpose.
urlpatterns = [
    path("boom/", _boom),
    path("denied/", _denied),
    path("suspicious/", _suspicious),
    *product_urls.urlpatterns,
]
handler400 = product_urls.handler400
handler403 = product_urls.handler403
handler404 = product_urls.handler404
handler500 = product_urls.handler500


def test_an_unknown_url_gets_the_products_page(world):
    resp = signed_in("gridworker").get("/no-such-page/")
    html = resp.content.decode()
    assert resp.status_code == 404
    assert "基层治理平台" in html and "未找到" in html and "返回首页" in html
    assert "Not Found" not in html
    assert "巡查上报" in html  # the signed-in person keeps their navigation


def test_an_unknown_url_in_english(world):
    client = signed_in("gridworker")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/no-such-page/").content.decode()
    assert "Not found" in html and "Back to the home page" in html and "未找到" not in html


def test_anonymous_unknown_url(db):
    resp = Client().get("/nothing/here/")
    assert resp.status_code == 404 and "未找到" in resp.content.decode()


@pytest.mark.urls("tests.test_error_pages")
def test_403_and_400_pages(world):
    client = signed_in("leader")
    denied = client.get("/denied/")
    assert denied.status_code == 403 and "没有权限" in denied.content.decode()
    bad = client.get("/suspicious/")
    assert bad.status_code == 400 and "请求无效" in bad.content.decode()


@pytest.mark.urls("tests.test_error_pages")
def test_a_server_error_shows_no_internals(world):
    client = signed_in("leader")
    client.raise_request_exception = False
    resp = client.get("/boom/")
    html = resp.content.decode()
    assert resp.status_code == 500
    assert "系统出错" in html and "基层治理平台" in html
    assert "secret internals" not in html and "13812345678" not in html


def test_a_refused_csrf_check_uses_the_products_page(world):
    client = Client(enforce_csrf_checks=True)
    resp = client.post("/login/", {"username": "leader", "password": "x"})
    assert resp.status_code == 403
    assert "页面已过期" in resp.content.decode()
