"""Registry pages: scope, masking, reveal with purpose, and no full numbers anywhere."""

from grassroots.core.models import AuditEvent
from tests.conftest import person_id, signed_in


def test_household_card_shows_members_masked(registry):
    html = signed_in("gridworker").get(f"/people/households/{registry.home_a.pk}/").content.decode()
    assert "王建国" in html and "李秀英" in html
    assert "138****5678" in html
    assert person_id(11) not in html
    assert "残疾人" in html  # the grid worker may see vulnerability tags


def test_household_card_triad(registry):
    assert (
        signed_in("gridworker").get(f"/people/households/{registry.home_b.pk}/").status_code == 404
    )
    assert signed_in("auditor").get(f"/people/households/{registry.home_a.pk}/").status_code == 403


def test_hotline_does_not_see_vulnerability_tags(registry):
    html = signed_in("hotline").get(f"/people/households/{registry.home_a.pk}/").content.decode()
    assert "残疾人" not in html and "留守儿童" not in html
    assert "易地搬迁" in html


def test_search_by_phone_finds_the_caller(registry):
    html = signed_in("hotline").post("/people/", {"phone": "13812345678"}).content.decode()
    assert "王建国" in html
    assert "13812345678" not in html
    assert "138****5678" in html


def test_search_reports_a_bad_id_clearly(registry):
    html = signed_in("hotline").post("/people/", {"id_number": "1234"}).content.decode()
    assert "18" in html and 'role="alert"' in html


def test_grid_household_list(registry, world):
    html = (
        signed_in("community").get(f"/people/households/?within={world.grid3b.pk}").content.decode()
    )
    assert "H002" in html and "H001" not in html


def test_reveal_on_the_profile(registry):
    client = signed_in("community")
    url = f"/people/residents/{registry.father.pk}/"
    page = client.post(url, {"field": "id_number", "purpose": "办理低保申请核对"})
    assert person_id(11) in page.content.decode()
    assert page["Cache-Control"] == "no-store"
    assert AuditEvent.objects.filter(action="resident.reveal").count() == 1
    refused = client.post(url, {"field": "id_number", "purpose": ""})
    assert person_id(11) not in refused.content.decode()


def test_the_household_list_exports_what_it_shows(registry, world):
    client = signed_in("community")
    html = client.get(f"/people/households/?within={world.grid3b.pk}").content.decode()
    assert f"/people/ledger/export/households/?within={world.grid3b.pk}" in html
    resp = client.get(f"/people/ledger/export/households/?within={world.grid3b.pk}")
    assert resp.status_code == 200
    assert resp["Content-Disposition"].startswith("attachment")
