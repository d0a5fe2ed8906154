"""Open311's refusals keep their status (403, 409 are not 400), and keys are account
administration: issued and revoked by the security admin (MANAGE_POSTS), not the system admin."""

import pytest
from django.test import Client
from django.utils import timezone

from grassroots.areas.models import Post
from grassroots.areas.posts import post_end
from grassroots.cases.models import Case
from grassroots.core.errors import Conflict, DomainError
from grassroots.core.models import User
from grassroots.open311.models import ApiKey
from grassroots.open311.services import apikey_issue, apikey_revoke
from tests.conftest import signed_in

LIGHT = {"service_code": "M001", "lat": "37.0025", "long": "110.8025", "description": "路灯不亮"}


@pytest.fixture
def key(world, catalogue):
    return apikey_issue(actor=None, name="市民随手拍")


def test_a_key_whose_account_lost_its_post_is_403(key):
    api_key, raw = key
    post_end(
        actor=None, post=Post.objects.get(person=api_key.account), ended_on=timezone.localdate()
    )
    for fmt in ("json", "xml"):
        resp = Client().post(f"/open311/v2/requests.{fmt}", {"api_key": raw, **LIGHT})
        assert resp.status_code == 403
    assert (
        Client().post("/open311/v2/requests.json", {"api_key": raw, **LIGHT}).json()[0]["code"]
        == 403
    )
    assert Case.objects.count() == 0


def test_a_conflict_is_409(key, monkeypatch):
    _key, raw = key

    def conflict(**kwargs):
        raise Conflict("conflict", "changed meanwhile", field="case")

    monkeypatch.setattr("grassroots.open311.views.request_file", conflict)
    resp = Client().post("/open311/v2/requests.json", {"api_key": raw, **LIGHT})
    assert resp.status_code == 409
    assert resp.json() == [{"code": 409, "description": "case: changed meanwhile"}]


def test_bad_query_values_name_their_field(key):
    for query, field in [
        ("service_request_id=1,x", "service_request_id"),
        ("service_request_id=99999999999999999999", "service_request_id"),
        ("end_date=soon", "end_date"),
        ("start_date=0001-01-01T00:00:00", "start_date"),
    ]:
        resp = Client().get(f"/open311/v2/requests.json?{query}")
        assert resp.status_code == 400
        assert resp.json()[0]["description"].startswith(f"{field}: ")


def test_a_system_admin_with_manage_areas_may_not_issue_keys(world):
    admin = User.objects.get(username="admin")
    with pytest.raises(DomainError) as err:
        apikey_issue(actor=admin, name="随手拍")
    assert err.value.status == 403
    assert not ApiKey.objects.exists()
    resp = signed_in("admin").post(
        "/admin/open311/apikey/add/", {"name": "随手拍", "channel": "api", "per_minute": "30"}
    )
    assert resp.status_code == 403 and not ApiKey.objects.exists()


def test_a_security_admin_issues_and_revokes_keys(world):
    secadmin = User.objects.get(username="secadmin")
    key, raw = apikey_issue(actor=secadmin, name="随手拍")
    assert raw.startswith("o311_")
    with pytest.raises(DomainError) as err:
        apikey_revoke(actor=User.objects.get(username="admin"), key=key)
    assert err.value.status == 403
    assert apikey_revoke(actor=secadmin, key=key).revoked_at is not None
