"""The offline outbox's server side: the service worker, the state check, and the patrol form's
JSON answers under an Idempotency-Key (each report once; a changed body is 422)."""

from __future__ import annotations

from django.test import Client

from grassroots.cases.models import Case
from tests.conftest import signed_in

JSON = {"HTTP_ACCEPT": "application/json"}


def _report(world, description: str = "路灯杆倾斜") -> dict:
    return {
        "idem": "form-key",
        "matter": "M001",
        "description": description,
        "area": world.grid3a.pk,
    }


def test_the_service_worker_is_served_by_the_app_with_site_scope(world):
    response = Client().get("/sw.js")
    body = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert '"/cases/report/"' in body and '"/people/households/"' in body
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_the_manifest_and_the_outbox_script_are_on_every_page(world):
    page = signed_in("gridworker").get("/cases/report/").content.decode()
    assert 'rel="manifest"' in page and "fieldwork/offline.js" in page
    assert "data-offline-outbox=" in page and "data-offline-outbox-list" in page
    assert "data-offline-logout" in page


def test_state_names_the_signed_in_user_or_nobody(world):
    assert Client().get("/fieldwork/state/").json() == {"user": None}
    body = signed_in("gridworker").get("/fieldwork/state/").json()
    assert body["user"] == world.users["gridworker"].pk and body["csrf"]


def test_the_grid_workers_pages_are_marked_for_the_offline_cache(world, catalogue, registry):
    client = signed_in("gridworker")
    assert client.get("/cases/report/")["Grassroots-Offline"] == "page"
    households = client.get("/people/households/")
    listed = households.content.decode()
    assert households["Grassroots-Offline"] == "page"
    # the worker's own grid only, each household's card fetched into the cache
    assert f'href="/people/households/{registry.home_a.pk}/" data-offline-warm' in listed
    assert "H002" not in listed and "H003" not in listed
    card = client.get(f"/people/households/{registry.home_a.pk}/")
    assert card["Grassroots-Offline"] == "page"
    assert "13812345678" not in card.content.decode()  # kept as shown online: masked
    assert "Grassroots-Offline" not in client.get("/cases/")


def test_a_report_sent_twice_with_one_key_is_registered_once(world, catalogue):
    client = signed_in("gridworker")
    first = client.post("/cases/report/", _report(world), HTTP_IDEMPOTENCY_KEY="k-1", **JSON)
    again = client.post("/cases/report/", _report(world), HTTP_IDEMPOTENCY_KEY="k-1", **JSON)
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["url"] == again.json()["url"]
    assert first.json()["created"] is True and again.json()["created"] is False
    assert Case.objects.count() == 1


def test_the_header_key_wins_over_the_form_key(world, catalogue):
    # a page kept offline carries one form key; each outbox entry has its own header key
    client = signed_in("gridworker")
    client.post("/cases/report/", _report(world, "一"), HTTP_IDEMPOTENCY_KEY="k-a", **JSON)
    second = client.post("/cases/report/", _report(world, "二"), HTTP_IDEMPOTENCY_KEY="k-b", **JSON)
    assert second.status_code == 201 and Case.objects.count() == 2


def test_the_same_key_with_a_changed_body_is_422(world, catalogue):
    client = signed_in("gridworker")
    client.post("/cases/report/", _report(world), HTTP_IDEMPOTENCY_KEY="k-2", **JSON)
    changed = client.post(
        "/cases/report/", _report(world, "井盖缺失"), HTTP_IDEMPOTENCY_KEY="k-2", **JSON
    )
    assert changed.status_code == 422
    assert changed.json()["code"] == "idempotency_mismatch"
    assert changed.json()["detail"]["field"] == "Idempotency-Key"
    assert Case.objects.count() == 1


def test_a_bad_key_is_a_clear_400_naming_the_header(world, catalogue):
    client = signed_in("gridworker")
    response = client.post("/cases/report/", _report(world), HTTP_IDEMPOTENCY_KEY="k" * 101, **JSON)
    assert response.status_code == 400
    assert response.json()["detail"]["field"] == "Idempotency-Key"
    assert Case.objects.count() == 0


def test_an_invalid_form_answers_json_naming_the_fields(world, catalogue):
    client = signed_in("gridworker")
    body = {**_report(world), "description": ""}
    response = client.post("/cases/report/", body, HTTP_IDEMPOTENCY_KEY="k-3", **JSON)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_form"
    assert "description" in response.json()["detail"]["fields"]
    assert Case.objects.count() == 0


def test_without_json_the_page_flow_is_unchanged(world, catalogue):
    response = signed_in("gridworker").post("/cases/report/", _report(world))
    assert response.status_code == 302 and Case.objects.count() == 1
