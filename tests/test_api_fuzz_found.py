"""The server errors fuzzing found, one test each (they answered 500 before their fix), and the
issue's own examples: a bad parameter is a 400 naming it, never a crash."""

import pytest

from grassroots.core import params
from tests.conftest import signed_in

BIG35 = "12345678901234567890123456789012345"


@pytest.mark.parametrize(
    ("persona", "url", "field"),
    [
        ("hotline", "/api/v1/matters/?unit=null", "unit"),
        ("admin", "/api/v1/units/?area=10000000000000000000", "area"),
        ("hotline", f"/api/v1/cases/?unit={BIG35}", "unit"),
    ],
)
def test_the_issues_examples_name_the_parameter(world, catalogue, api, persona, url, field):
    resp = api(persona).get(url)
    assert resp.status_code == 400
    assert resp.json()["detail"]["field"] == field


@pytest.mark.parametrize("persona", ["hotline", "leader", "dept", "community"])
def test_case_metrics_of_a_unit_out_of_reach_are_empty_not_a_crash(world, catalogue, api, persona):
    resp = api(persona).get("/api/v1/metrics/cases/", {"matter": "¶ô\x91\r", "unit": 206367})
    assert resp.status_code in (200, 404), resp.content


def test_the_audit_log_filtered_by_an_id_beyond_the_database_is_empty_not_a_crash(world):
    client = signed_in("auditor")
    client.raise_request_exception = False
    for object_id in ("1" * 35, "10000000000000000000", "²"):
        assert client.get("/audit/", {"object_id": object_id}).status_code == 200


@pytest.mark.parametrize("value", ["1" * 35, "10000000000000000000", "²", "-1", "0", "x", None])
def test_an_echoed_choice_outside_the_id_range_is_no_choice(value):
    assert params.id_or_none(value) is None


def test_the_case_list_page_refuses_a_unit_beyond_the_database(world, catalogue):
    client = signed_in("hotline")
    client.raise_request_exception = False
    resp = client.get("/cases/", {"unit": "10000000000000000000"})
    assert resp.status_code == 400 and "筛选条件 unit " in resp.content.decode()
