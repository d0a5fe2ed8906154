"""The indexed search answers exactly what the plain substring test answers."""

from __future__ import annotations

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
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


# SQLite's plans: (RARE, SCAN_RATIO, PAGE) forcing each — few candidates: the index drives;
# many: the scope's index does; and the page read by walking the due-time index
PLANS = {
    "index-drives": (search.RARE, search.SCAN_RATIO, search.PAGE),
    "scope-drives": (0, -1.0, search.PAGE),
    "page-walks": (0, search.SCAN_RATIO, 0),
    "scope-drives-page-walks": (0, -1.0, 0),
}


def _plan(monkeypatch, name):
    rare, ratio, page = PLANS[name]
    monkeypatch.setattr(search, "RARE", rare)
    monkeypatch.setattr(search, "SCAN_RATIO", ratio)
    monkeypatch.setattr(search, "PAGE", page)


def _scanned(query):
    """The cases the plain substring scan finds, in the list's order (due time, then id)."""
    # SQLite's LIKE ignores ASCII case, PostgreSQL's does not: the scan is the engine's own
    fold = str.lower if connection.vendor == "sqlite" else str
    q = fold(query.strip())
    number = query.strip() if query.strip().isascii() and query.strip().isdigit() else None
    cases = [
        c
        for c in Case.objects.all()
        if q in fold(c.title) or q in fold(c.description) or c.number == number
    ]
    cases.sort(key=lambda c: (c.resolution_due is None, c.resolution_due, c.pk))
    return [c.pk for c in cases]


@pytest.mark.parametrize("plan", list(PLANS))
@pytest.mark.parametrize("query", QUERIES)
def test_search_equals_the_substring_scan(world, catalogue, api, query, plan, monkeypatch):
    """Every SQLite plan answers the scan's cases, in the list's order, with the scan's count."""
    _plan(monkeypatch, plan)
    client = api("hotline")
    for text in DESCRIPTIONS:
        assert intake(client, area=world.grid3a.pk, description=text).status_code == 201
    got = client.get("/api/v1/cases/", {"q": query, "page_size": 100})
    assert got.status_code == 200
    expected = _scanned(query)
    assert [c["id"] for c in got.json()["results"]] == _nulls_as_engine(expected)
    assert got.json()["count"] == len(expected)


def _nulls_as_engine(ids):
    """`ids` in the engine's order of a null due time: first on SQLite, last on PostgreSQL."""
    due = dict(Case.objects.filter(pk__in=ids).values_list("pk", "resolution_due"))
    if connection.vendor == "sqlite":
        return [pk for pk in ids if due[pk] is None] + [pk for pk in ids if due[pk] is not None]
    return ids


# Random texts over an alphabet with CJK, ASCII of both cases, digits and punctuation; the
# queries are pieces of them (or of the alphabet), 1 to 6 characters long
ALPHABET = "路灯坏了不亮水管漏3号楼aAbB12_-，。 %"
RANDOM_TEXTS = [
    "".join(__import__("random").Random(i).choices(ALPHABET, k=4 + i % 17)) for i in range(40)
]


@pytest.mark.parametrize("plan", list(PLANS))
def test_search_equals_the_substring_scan_for_random_texts(
    world, catalogue, api, plan, monkeypatch
):
    _plan(monkeypatch, plan)
    client = api("hotline")
    for i, text in enumerate(RANDOM_TEXTS):
        title = RANDOM_TEXTS[(i * 7) % len(RANDOM_TEXTS)][:10] if i % 3 else ""
        made = intake(client, area=world.grid3a.pk, description=text, title=title)
        assert made.status_code == 201, made.content

    @given(
        query=st.one_of(
            st.text(alphabet=ALPHABET, min_size=1, max_size=6),
            st.sampled_from(RANDOM_TEXTS).flatmap(
                lambda t: st.integers(0, len(t) - 1).flatmap(
                    lambda i: st.integers(1, 6).map(lambda n: t[i : i + n])
                )
            ),
        )
    )
    @settings(
        max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    def check(query):
        if not query.strip():
            return
        got = client.get("/api/v1/cases/", {"q": query, "page_size": 500}).json()
        expected = _scanned(query)
        assert [c["id"] for c in got["results"]] == _nulls_as_engine(expected)
        assert got["count"] == len(expected)

    check()


def test_a_search_pages_through_the_same_cases_it_counts(world, catalogue, api, monkeypatch):
    """The page read by walking the due-time index, the count by the candidates: page after
    page, the pages hold exactly the counted cases, in order."""
    _plan(monkeypatch, "page-walks")
    client = api("hotline")
    for i in range(7):
        assert intake(client, area=world.grid3a.pk, description=f"路灯坏了 {i}").status_code == 201
    pages, url = [], "/api/v1/cases/?q=%E8%B7%AF%E7%81%AF&page_size=3"  # 路灯
    while url:
        got = client.get(url).json()
        pages.append([c["id"] for c in got["results"]])
        assert got["count"] == 7
        url = got["next"] and got["next"].split("testserver", 1)[-1]
    assert [pk for page in pages for pk in page] == _nulls_as_engine(_scanned("路灯"))
    assert [len(p) for p in pages] == [3, 3, 1]


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


def test_no_character_lower_cases_onto_an_exact_terms_character():
    """`search.exact` rests on this: a text whose lower-cased form holds such a character
    holds that very character."""
    import sys

    wrong = [
        hex(cp)
        for cp in range(sys.maxunicode + 1)
        if any(d != chr(cp) and search._uncased(d) for d in chr(cp).lower())
    ]
    assert wrong == []


@pytest.mark.parametrize(
    ("text", "is_exact"),
    [
        ("路灯", True),
        ("12", True),
        ("㐀䶵", True),
        ("路", False),
        ("路灯坏", False),
        ("ab", False),
        ("路a", False),
        ("１２", False),  # full-width digits: not ASCII
        ("䷀䷁", False),  # hexagram symbols sit between the ideograph blocks: no word characters
        ("路_", False),
    ],
)
def test_exact_terms(text, is_exact):
    assert search.exact(text) is is_exact
    if is_exact:
        assert terms_of(text) == [text]
