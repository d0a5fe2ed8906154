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


def _frozen():
    """The copy of the search logic that migration 0005 carries (frozen when it was written)."""
    import importlib

    return importlib.import_module("grassroots.cases.migrations.0005_search_terms")


@pytest.mark.parametrize(
    ("title", "description"),
    [
        ("3号楼路灯坏了", "路灯坏了，晚上看不见"),
        ("ABC小区 WiFi", "Wi-Fi 信号差；楼道_灯 不亮"),
        ("", "水管漏水！！（二单元）"),
        ("灯", ""),
        ("Ｆｕｌｌ全角ＡＢ１２", "tab\there\nnew line ÉCOLE"),
        ("", ""),
    ],
)
def test_the_migrations_frozen_terms_agree_with_search_today(title, description):
    assert _frozen().terms_for(title, description) == search.terms_for(title, description)


@given(title=TEXT, description=TEXT)
@settings(max_examples=200, deadline=None)
def test_the_migrations_frozen_terms_agree_on_any_text(title, description):
    assert _frozen().terms_for(title, description) == search.terms_for(title, description)


def test_the_migrations_frozen_index_sql_agrees_with_search_today():
    frozen = _frozen()
    assert (frozen.FTS_TABLE, frozen.CREATE_SQL, frozen.DROP_SQL) == (
        search.FTS_TABLE,
        search.CREATE_SQL,
        search.DROP_SQL,
    )
