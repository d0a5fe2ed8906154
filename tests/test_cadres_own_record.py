"""A cadre sees their own record: the organisation department links the cadre to an account,
which then sees its own confirmed appraisals and pay at /cadres/me/ — and no one else's."""

from __future__ import annotations

import pytest

from grassroots.cadres import services
from grassroots.core.models import AuditEvent
from grassroots.core.services import account_create
from tests.cadres_support import YEAR, cadre_with_terms, year_confirmed
from tests.conftest import PASSWORD, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(world, registry):
    ours = cadre_with_terms(registry.father, world.xiaozhen, "secretary", "director")
    theirs = cadre_with_terms(registry.villager, world.xiaozhen, "member")
    year_confirmed(None, ours)
    year_confirmed(None, theirs)
    sheet = services.sheet_draw(actor=None, area=world.xiaozhen, year=YEAR, month=12)
    services.sheet_confirm(actor=None, sheet=sheet)
    services.sheet_draw(actor=None, area=world.xiaozhen, year=YEAR, month=11)  # a draft
    account_create(actor=None, username="cadre1", full_name="村书记", password=PASSWORD)
    return ours, theirs


def test_the_linked_account_sees_only_its_own_record(two, api):
    ours, theirs = two
    org = api("orgdept")
    resp = org.post(f"/api/v1/cadres/{ours.pk}/account/", {"username": "cadre1"}, format="json")
    assert resp.status_code == 200, resp.content
    assert AuditEvent.objects.filter(action="cadre.account", object_id=str(ours.pk)).exists()
    client = signed_in("cadre1")
    page = client.get("/cadres/me/")
    assert page.status_code == 200
    html = page.content.decode()
    assert ours.resident.name in html and theirs.resident.name not in html
    assert [a.cadre_id for a in page.context["appraisals"]] == [ours.pk]
    assert {line.cadre_id for line in page.context["pay"]} == {ours.pk}
    assert {line.sheet.month for line in page.context["pay"]} == {12}  # not the draft
    assert "3500.00" in html
    # the account holds no right: the registry, the others and the sheets stay closed
    assert client.get("/cadres/").status_code == 403
    assert client.get(f"/cadres/{theirs.pk}/").status_code == 403
    # one account, one cadre
    again = org.post(f"/api/v1/cadres/{theirs.pk}/account/", {"username": "cadre1"}, format="json")
    assert again.status_code == 400 and again.json()["code"] == "duplicate"
    # unlinked: no record
    org.post(f"/api/v1/cadres/{ours.pk}/account/", {"username": None}, format="json")
    assert client.get("/cadres/me/").status_code == 404


def test_only_the_organisation_department_links_accounts(two, api):
    ours, _theirs = two
    body = {"username": "cadre1"}
    assert api("township").post(f"/api/v1/cadres/{ours.pk}/account/", body).status_code == 403
    resp = api("orgdept").post(f"/api/v1/cadres/{ours.pk}/account/", {"username": "nobody1"})
    assert resp.status_code == 400 and resp.json()["detail"]["field"] == "username"
    assert signed_in("township").get("/cadres/me/").status_code == 404
