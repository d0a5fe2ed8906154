"""Every preloaded ledger on the demo, for 灵泉镇 and 石楼小镇社区: exported as .xlsx, read back,
every filled cell equal to its recomputation from the rows (`recompute.py`), the blank cells
exactly those of the columns declared unknowable and named in the note, the merged headers in
place; the pages link each cell to its rows."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import transaction
from django.test import override_settings

from grassroots.areas.models import Area
from grassroots.core.models import User
from grassroots.demo.loader import load_demo
from tests import otp_support
from tests.reports.check import check_ledger

PASSWORD = "Demo-test-2026"
AS_OF = datetime.date(2026, 11, 27)

LEDGERS = [
    ("grid-worker-ledger", "2026-10"),
    ("home-visit-ledger", "2026-10"),
    ("dispute-ledger", "2026"),
    ("relocation-support-ledger", ""),
    ("secretary-appraisal-ledger", "2025"),
    ("training-ledger", "2026"),
    ("asset-cleanup-ledger", ""),
    ("hotline-12345-monthly", "2026-10"),
]
# A community keeps no village collective assets: its clean-up ledger is empty, truthfully.
EMPTY = {("asset-cleanup-ledger", "石楼小镇社区")}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    with (
        django_db_blocker.unblock(),
        override_settings(
            VAR_DIR=tmp_path_factory.mktemp("var"),
            MEDIA_ROOT=tmp_path_factory.mktemp("media"),
            SUGGEST_DIR=tmp_path_factory.mktemp("suggest"),
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        ),
        transaction.atomic(),
    ):
        yield load_demo(password=PASSWORD, seed=1, as_of=AS_OF)
        transaction.set_rollback(True)


@pytest.mark.slow
@pytest.mark.parametrize(("code", "period"), LEDGERS)
@pytest.mark.parametrize("area_name", ["灵泉镇", "石楼小镇社区"])
def test_a_preloaded_ledger_equals_its_rows(demo, db, code, period, area_name) -> None:
    township = User.objects.get(username="township")
    rows = check_ledger(code, Area.objects.get(name=area_name), period, township)
    if (code, area_name) in EMPTY:
        assert rows == 0
    else:
        assert rows > 0, f"{code} has no rows for {area_name} on the demo"


def _page(username: str, url: str) -> str:
    from django.test import Client

    client = Client()
    assert client.post("/login/", {"username": username, "password": PASSWORD}).status_code == 302
    otp_support.verify_session(client, User.objects.get(username=username))
    resp = client.get(url)
    assert resp.status_code == 200, (url, resp.status_code)
    return resp.content.decode()


@pytest.mark.slow
def test_each_preloaded_ledger_opens_on_the_demo_with_rows_linked_to_records(demo, db) -> None:
    lingquan = Area.objects.get(name="灵泉镇")
    for code, _period in LEDGERS:
        # the page's own default period (the one just ended, or the running year)
        page = _page("township", f"/reports/t/{code}/?within={lingquan.pk}")
        body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
        assert "该区域在本期没有记录" not in body, code
        links = re.findall(r'<td><a href="([^"]+)"', body)
        assert links, f"{code}: no cell links to its rows"
        assert "data-unknown-note" in page, code
    hotline = _page("township", f"/reports/t/hotline-12345-monthly/?within={lingquan.pk}")
    assert "/cases/?figure=received&amp;within=" in hotline
    disputes = _page("township", f"/reports/t/dispute-ledger/?within={lingquan.pk}")
    assert re.search(r'href="/disputes/\d+/"', disputes)
