"""The screening form's registry search: a party picked from the registry in the screener's
scope (name or household number), masked as the registry shows it, filled into a party row —
through htmx partials and without script alike; out of scope is 404, as missing."""

from __future__ import annotations

import logging

from django.utils import timezone

from grassroots.disputes.models import Dispute
from grassroots.disputes.selectors import party_candidates
from tests.conftest import person_id, signed_in

SEARCH = "/disputes/new/residents/"
PARTY = "/disputes/new/party/"


def test_search_by_name_shows_the_grid_s_residents_masked(registry):
    html = signed_in("gridworker").get(SEARCH, {"q": "王"}).content.decode()
    # the two 王 of 微网格A, each with the masked ID, the household and a link per party row
    assert "王建国" in html and "王小明" in html
    assert registry.father.id_number_masked in html and person_id(11) not in html
    assert "H001" in html
    assert f"resident={registry.father.pk}&amp;row=0" in html
    assert f"resident={registry.father.pk}&amp;row=1" in html


def test_search_by_household_number(registry):
    html = signed_in("gridworker").get(SEARCH, {"q": "h001"}).content.decode()
    assert "王建国" in html and "李秀英" in html and "王小明" in html


def test_search_stays_in_the_screener_s_scope(registry, world):
    # 赵大爷 lives in 微网格B, 张村民 in another township: neither is the grid worker's
    worker = signed_in("gridworker")
    assert "赵大爷" not in worker.get(SEARCH, {"q": "赵"}).content.decode()
    assert "张村民" not in worker.get(SEARCH, {"q": "H003"}).content.decode()
    assert "本辖区台账中没有找到" in worker.get(SEARCH, {"q": "赵"}).content.decode()
    # the community sees both of its grids, not the other township's village
    community = world.users["community"]
    assert [r.name for r in party_candidates(actor=community, q="赵")] == ["赵大爷"]
    assert party_candidates(actor=community, q="张村民") == []
    assert party_candidates(actor=community, q="  ") == []


def test_without_the_right_to_screen_the_search_is_refused(registry):
    assert signed_in("leader").get(SEARCH, {"q": "王"}).status_code == 403
    assert signed_in("leader").get(PARTY, {"resident": registry.father.pk}).status_code == 403


def test_picking_fills_the_party_row_with_the_resident(registry):
    html = signed_in("gridworker").get(PARTY, {"resident": registry.father.pk, "row": 1})
    html = html.content.decode()
    assert 'id="party-1"' in html
    assert f'name="party-1-resident" value="{registry.father.pk}"' in html
    assert "王建国" in html and registry.father.id_number_masked in html
    assert "13812345678" not in html and person_id(11) not in html
    # emptied again: the row takes an outsider's name
    assert 'name="party-1-name"' in signed_in("gridworker").get(PARTY, {"row": 1}).content.decode()


def test_picking_out_of_scope_or_missing_is_404(registry):
    worker = signed_in("gridworker")
    assert worker.get(PARTY, {"resident": registry.neighbour.pk}).status_code == 404
    assert worker.get(PARTY, {"resident": 987654}).status_code == 404
    assert worker.get("/disputes/new/", {"resident": registry.neighbour.pk}).status_code == 404
    assert worker.get(PARTY, {"resident": registry.father.pk, "row": 9}).status_code == 400


def test_without_script_the_page_searches_and_picks(registry, world):
    client = signed_in("gridworker")
    found = client.get("/disputes/new/", {"q": "李"}).content.decode()
    assert "李秀英" in found and f"?resident={registry.mother.pk}&amp;row=0" in found
    page = client.get("/disputes/new/", {"resident": registry.mother.pk, "row": 0})
    assert f'name="party-0-resident" value="{registry.mother.pk}"' in page.content.decode()


def test_a_picked_resident_becomes_the_dispute_s_party_and_survives_a_refusal(registry, world):
    client = signed_in("gridworker")
    body = {
        "area": world.grid3a.pk,
        "kind": "neighbour",
        "summary": "",
        "found_via": "patrol",
        "found_on": timezone.localdate().isoformat(),
        "party-0-role": "applicant",
        "party-0-resident": registry.father.pk,
        "party-1-role": "respondent",
        "party-1-name": "乙",
    }
    refused = client.post("/disputes/new/", body)
    assert refused.status_code == 400
    assert f'name="party-0-resident" value="{registry.father.pk}"' in refused.content.decode()
    resp = client.post("/disputes/new/", {**body, "summary": "占道堆放杂物"})
    assert resp.status_code == 302
    party = Dispute.objects.get().parties.get(role="applicant")
    assert party.resident_id == registry.father.pk


def test_the_search_logs_no_personal_data(registry, caplog):
    with caplog.at_level(logging.DEBUG):
        signed_in("gridworker").get(SEARCH, {"q": "王建国"})
    assert "王建国" not in caplog.text and person_id(11) not in caplog.text


def test_the_search_is_one_query_for_the_rows(registry, world, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        rows = party_candidates(actor=world.users["gridworker"], q="王")
        assert [r.household.number for r in rows] == ["H001", "H001"]
