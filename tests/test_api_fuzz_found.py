"""The server errors fuzzing found, one test each (they answered 500 before their fix), and the
issue's own examples: a bad parameter is a 400 naming it, never a crash."""

import pytest

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
