"""On the Shilou demo, the county scorecard (累计) shows the article's figures, each equal to
the rows behind its link (a count, or for the mu recovered and the service-centre area a sum),
and `verify-figures`' scorecard check finds no difference.

The demo is loaded once for this module (`tests.test_demo.demo`, rolled back at the end)."""

from __future__ import annotations

import pytest

from grassroots.scorecard.verify import scorecard_verify
from tests.scorecard.test_pages import list_count
from tests.test_demo import PASSWORD, demo  # noqa: F401 — the module's demo fixture

ARTICLE = {
    "grids_level1": 60,
    "grids_level2": 214,
    "grids_level3": 1116,
    "units_county": 27,
    "matters_active": 87,
    "training_sessions": 4,
    "liaison_visits": 118,
    "liaison_issues": 82,
    "liaison_issues_closed": 82,
    "enrolled_pupils": 230,
    "medical_staff": 6,
}


@pytest.mark.slow
def test_the_county_scorecard_shows_the_articles_figures_as_rows(demo, db, client):  # noqa: F811
    assert client.login(username="leader", password=PASSWORD)
    resp = client.get("/scorecard/")
    assert resp.status_code == 200
    rows = {r.indicator.code: r for p in resp.context["pillars"] for r in p["rows"]}
    for code, n in ARTICLE.items():
        row = rows[code]
        assert row.value == n, code
        assert list_count(client, row.links[0]["url"]) == n, code
    assert rows["training_person_times"].value > 7000
    assert rows["training_secretary_coverage"].value == 1.0
    assert rows["class630_households"].value > 150 and rows["class630_pupils"].value > 220
    # the two sums: 胡家峪村's 50 mu (the other villages' clean-up still under way, no land back
    # yet) and 石楼小镇社区's 1,000 m² centre (the other communities have none yet) — each the
    # sum of the rows behind its link
    mu = rows["assets_mu_recovered"]
    listed = client.get(mu.links[0]["url"]).context["page_obj"].paginator.object_list
    assert mu.value == sum(a.recovered_mu for a in listed) == 50
    assert {a.area.name for a in listed} == {"胡家峪村"}
    centre = rows["service_centre_area"]
    cells = client.get(centre.links[0]["url"]).context["cells"]
    assert centre.value == sum(row[2] for row in cells) == 1000
    assert len(cells) == 1
    assert scorecard_verify() == []
