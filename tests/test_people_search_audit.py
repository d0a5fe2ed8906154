"""Exact searches by ID number or phone are audited (a keyed hash, never the term) and limited
per user per hour, in the API and on the search page alike (issue 15, defect 5)."""

import datetime
import json

import time_machine
from django.utils import timezone

from grassroots.core.models import AuditEvent
from grassroots.people.services.search import search_term_token
from tests.conftest import person_id, signed_in

VILLAGER_ID = person_id(15, datetime.date(1970, 7, 7))


def searches(username):
    return AuditEvent.objects.filter(action="resident.search", actor__username=username)


def test_an_exact_id_search_is_audited_with_a_keyed_hash(registry, api):
    api("hotline").get("/api/v1/residents/", {"id_number": VILLAGER_ID})
    (row,) = searches("hotline")
    assert row.changes["field"] == "id_number"
    assert row.changes["term"] == search_term_token("id_number", VILLAGER_ID)
    text = json.dumps(row.changes)
    assert VILLAGER_ID not in text and VILLAGER_ID[-8:] not in text
    # not the stored blind index either: an audit export cannot be joined to the registry
    assert row.changes["term"] != registry.villager.id_number_index


def test_an_exact_phone_search_on_the_page_is_audited(registry):
    signed_in("hotline").post("/people/", {"phone": "138 1234 5678"})
    (row,) = searches("hotline")
    assert row.changes["field"] == "phone" and "13812345678" not in json.dumps(row.changes)
    assert row.changes["term"] == search_term_token("phone", "13812345678")


def test_name_searches_and_bad_numbers_are_not_counted(registry, api):
    api("hotline").get("/api/v1/residents/", {"q": "王"})
    assert api("hotline").get("/api/v1/residents/", {"id_number": "1234"}).status_code == 400
    assert not searches("hotline").exists()


def test_over_the_hourly_limit_the_api_answers_429_naming_it(registry, api, settings):
    settings.PEOPLE_EXACT_SEARCH_PER_HOUR = 3
    client = api("hotline")
    for _ in range(3):
        assert client.get("/api/v1/residents/", {"phone": "13812345678"}).status_code == 200
    resp = client.get("/api/v1/residents/", {"id_number": VILLAGER_ID})
    assert resp.status_code == 429
    body = resp.json()
    assert body["code"] == "rate_limited" and body["detail"]["limit_per_hour"] == 3
    assert "3" in body["message"]
    assert searches("hotline").filter(result="refused").count() == 1
    # the limit is per user: another user still searches
    assert api("township").get("/api/v1/residents/", {"id_number": VILLAGER_ID}).status_code == 200


def test_the_search_page_shares_the_limit(registry, api, settings):
    settings.PEOPLE_EXACT_SEARCH_PER_HOUR = 2
    api("hotline").get("/api/v1/residents/", {"phone": "13812345678"})
    page = signed_in("hotline")
    assert page.post("/people/", {"phone": "13812345678"}).status_code == 200
    resp = page.post("/people/", {"id_number": VILLAGER_ID})
    assert resp.status_code == 429 and "2" in resp.content.decode()


def test_searches_older_than_an_hour_do_not_count(registry, api, settings):
    settings.PEOPLE_EXACT_SEARCH_PER_HOUR = 1
    client = api("hotline")
    with time_machine.travel(timezone.now() - datetime.timedelta(minutes=61), tick=False):
        assert client.get("/api/v1/residents/", {"phone": "13812345678"}).status_code == 200
    assert client.get("/api/v1/residents/", {"phone": "13812345678"}).status_code == 200
    assert client.get("/api/v1/residents/", {"phone": "13812345678"}).status_code == 429


def test_an_id_number_change_counts_as_an_exact_search(registry, api, settings):
    settings.PEOPLE_EXACT_SEARCH_PER_HOUR = 1
    client = api("community")
    url = f"/api/v1/residents/{registry.child.pk}/"
    taken = client.patch(url, {"id_number": VILLAGER_ID}, format="json")
    assert taken.status_code == 400 and taken.json()["code"] == "duplicate_id"
    assert searches("community").filter(result="ok").count() == 1
    again = client.patch(url, {"id_number": person_id(41)}, format="json")
    assert again.status_code == 429


def test_the_migration_narrows_stored_masks_without_decrypting(registry):
    import importlib

    from django.apps import apps

    from grassroots.people.models import Resident

    migration = importlib.import_module("grassroots.people.migrations.0005_remask_id_numbers")
    old = person_id(11)[:3] + "*" * 11 + person_id(11)[-4:]
    Resident.objects.filter(pk=registry.father.pk).update(id_number_masked=old)
    migration.remask(apps, None)
    father = Resident.objects.get(pk=registry.father.pk)
    assert father.id_number_masked == "1" + "*" * 16 + person_id(11)[-1]
    assert Resident.objects.get(pk=registry.mother.pk).id_number_masked.count("*") == 16


def test_the_hotline_desk_lookup_is_an_audited_exact_search(registry, catalogue, settings):
    settings.PEOPLE_EXACT_SEARCH_PER_HOUR = 2
    desk = signed_in("hotline")
    assert desk.post("/cases/desk/", {"op": "lookup", "phone": "13812345678"}).status_code == 200
    assert desk.post("/cases/desk/lookup/", {"phone": "13912345678"}).status_code == 200
    assert searches("hotline").count() == 2
    assert desk.post("/cases/desk/lookup/", {"phone": "13712345678"}).status_code == 429
