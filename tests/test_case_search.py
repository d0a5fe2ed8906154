"""The indexed search answers exactly what the plain substring test answers."""

from __future__ import annotations

import pytest
from django.db import connection
from hypothesis import given, settings
from hypothesis import strategies as st

from grassroots.cases import search
from grassroots.cases.models import Case
from grassroots.cases.search import terms_of
from tests.test_cases_flow import intake

TEXT = st.text(alphabet="路灯坏了不亮水管漏3号楼ab _-，。", max_size=30)


@given(text=TEXT, start=st.integers(0, 30), length=st.integers(0, 30))
@settings(max_examples=300, deadline=None)
def test_every_piece_of_a_substring_is_a_piece_of_the_text(text, start, length):
    part = text[start : start + length]
    assert set(terms_of(part)) <= set(terms_of(text))


DESCRIPTIONS = [
    "3号楼门口路灯坏了",
    "路边的灯不亮",
    "小区路灯三天不亮了",
    "水管漏水，路灯也坏",
    "ABC小区 wifi 坏了",
]
QUERIES = ["路灯", "灯坏", "3号楼", "灯", "路灯坏了", "abc", "WiFi", '"路灯" OR *', "AND", "不亮了"]


@pytest.mark.parametrize(
    "plan", [(search.RARE, search.SCAN_RATIO), (0, -1.0)], ids=["index-drives", "scope-drives"]
)
@pytest.mark.parametrize("query", QUERIES)
def test_search_equals_the_substring_scan(world, catalogue, api, query, plan, monkeypatch):
    """Both SQLite plans (few candidates: the index drives; many: the scope's index does)."""
    monkeypatch.setattr(search, "RARE", plan[0])
    monkeypatch.setattr(search, "SCAN_RATIO", plan[1])
    client = api("hotline")
    for text in DESCRIPTIONS:
        assert intake(client, area=world.grid3a.pk, description=text).status_code == 201
    got = client.get("/api/v1/cases/", {"q": query, "page_size": 100})
    assert got.status_code == 200
    # SQLite's LIKE ignores ASCII case, PostgreSQL's does not: the scan is the engine's own
    fold = str.lower if connection.vendor == "sqlite" else str
    q = fold(query.strip())
    expected = {c.pk for c in Case.objects.all() if q in fold(c.title) or q in fold(c.description)}
    assert {c["id"] for c in got.json()["results"]} == expected


def test_a_case_is_found_by_its_number(world, catalogue, api):
    client = api("hotline")
    made = intake(client, area=world.grid3a.pk, description="楼道灯不亮").json()
    got = client.get("/api/v1/cases/", {"q": made["number"]}).json()["results"]
    assert [c["id"] for c in got] == [made["id"]]
