"""Every surface parses query parameters with `core.params`: a bad value is a 400 whose error
names the parameter itself (never another one), on the API, the pages and Open311 alike."""

import pytest
from django.test import Client

from tests.conftest import signed_in

BIG = "99999999999999999999"  # beyond a 64-bit id


@pytest.mark.parametrize(
    ("persona", "url", "field"),
    [
        ("hotline", "/api/v1/cases/?supervised=maybe", "supervised"),
        ("hotline", "/api/v1/cases/?overdue=maybe", "overdue"),
        ("hotline", "/api/v1/cases/?within=abc", "within"),
        ("hotline", f"/api/v1/cases/?unit={BIG}", "unit"),
        ("hotline", "/api/v1/matters/?public=perhaps", "public"),
        ("hotline", "/api/v1/metrics/cases/?from=2026-13-01", "from"),
        ("hotline", "/api/v1/metrics/cases/?unit=x", "unit"),
        ("community", "/api/v1/households/?within=0", "within"),
        ("community", "/api/v1/residents/?household=1.5", "household"),
        ("admin", "/api/v1/areas/?parent=x", "parent"),
        ("admin", "/api/v1/units/?area=-1", "area"),
        ("admin", f"/api/v1/posts/?unit={BIG}", "unit"),
        ("leader", "/api/v1/metrics/dashboard/?to=never", "to"),
        ("leader", "/api/v1/metrics/dashboard/?within=x", "within"),
    ],
)
def test_the_api_names_the_bad_parameter(world, catalogue, api, persona, url, field):
    resp = api(persona).get(url)
    assert resp.status_code == 400
    body = resp.json()
    assert body["code"] == "invalid_filter" and body["detail"]["field"] == field
    assert field in body["message"]


@pytest.mark.parametrize(
    ("persona", "url", "field"),
    [
        ("hotline", "/cases/?supervised=maybe", "supervised"),
        ("hotline", "/cases/?overdue=2", "overdue"),
        ("hotline", "/cases/?open=yes-please", "open"),
        ("hotline", "/cases/?late=sometimes", "late"),
        ("hotline", "/cases/?unit=abc", "unit"),
        ("hotline", "/cases/?at=abc", "at"),
        ("hotline", "/cases/figures/?from=2026-02-30", "from"),
        ("community", "/people/households/?within=abc", "within"),
    ],
)
def test_the_pages_name_the_bad_parameter(world, catalogue, persona, url, field):
    resp = signed_in(persona).get(url)
    assert resp.status_code == 400
    assert f"筛选条件 {field} " in resp.content.decode()


def test_the_pages_still_take_good_values(world, catalogue):
    client = signed_in("hotline")
    for query in ("overdue=1", "supervised=0", "open=on", "late=1", f"within={world.county.pk}"):
        assert client.get(f"/cases/?{query}").status_code == 200


def test_open311_names_the_bad_parameter(world, catalogue):
    resp = Client().get("/open311/v2/requests.json?end_date=2026-99-01")
    assert resp.status_code == 400
    assert resp.json()[0]["description"].startswith("end_date: ")
