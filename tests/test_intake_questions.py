"""A matter's extra questions are checked by `case_intake`, so every channel enforces them: the
REST API and the hotline desk refuse a missing required answer naming the question, as Open311
always did; valid intake still works everywhere."""

import pytest
from django.test import Client

from grassroots.cases.catalogue import matter_define
from grassroots.cases.models import Case
from grassroots.open311.services import apikey_issue
from tests.conftest import signed_in

QUESTION = {
    "code": "scope",
    "datatype": "singlevaluelist",
    "required": True,
    "description": "停水范围",
    "values": [{"key": "home", "name": "仅本户"}, {"key": "building", "name": "整栋楼"}],
}


@pytest.fixture
def water(world, catalogue):
    return matter_define(
        actor=None,
        code="M004",
        name="停水报修",
        category="水电气暖",
        unit=world.civil,
        level="community",
        response=(2, "calendar_hours"),
        resolution=(24, "calendar_hours"),
        description="供水中断或水压不足",
        attributes=[QUESTION, {"code": "since", "description": "停水时长"}],
    )


def api_post(api, world, **fields):
    body = {"matter": "M004", "channel": "hotline", "description": "整栋楼停水", **fields}
    body.setdefault("area", world.grid3a.pk)
    return api("hotline").post("/api/v1/cases/", body, format="json")


def test_the_api_refuses_a_missing_required_answer_naming_it(water, world, api):
    resp = api_post(api, world)
    assert resp.status_code == 400
    body = resp.json()
    assert body["code"] == "answer_required"
    assert body["detail"] == {"field": "attributes.scope", "question": "scope"}
    assert "停水范围" in body["message"] and "scope" in body["message"]
    assert Case.objects.count() == 0


def test_the_api_refuses_an_answer_outside_the_listed_values(water, world, api):
    resp = api_post(api, world, attributes={"scope": "city"})
    assert resp.status_code == 400 and resp.json()["detail"]["field"] == "attributes.scope"
    assert "home, building" in resp.json()["message"]


def test_the_api_files_a_case_with_its_answers(water, world, api):
    resp = api_post(api, world, attributes={"scope": " building ", "since": "", "other": "x"})
    assert resp.status_code == 201
    case = Case.objects.get(pk=resp.json()["id"])
    # stripped, unanswered optional questions and unknown codes left out
    assert case.extra == {"attributes": {"scope": "building"}}


def test_the_api_without_questions_is_unchanged(catalogue, world, api):
    resp = api_post(api, world, matter="M001")
    assert resp.status_code == 201
    assert Case.objects.get().extra == {}


def desk_post(client, **fields):
    body = {"op": "save", "idem": "q1", "matter": "M004", "description": "整栋楼停水"}
    body["area"] = fields.pop("area")
    return client.post("/cases/desk/", {**body, **fields})


def test_the_desk_refuses_a_missing_required_answer_naming_it(water, world):
    resp = desk_post(signed_in("hotline"), area=world.grid3a.pk)
    assert resp.status_code == 400
    assert "请回答补充问题“停水范围”（scope）" in resp.content.decode()
    assert Case.objects.count() == 0


def test_the_desk_files_a_case_with_its_answers(water, world):
    resp = desk_post(signed_in("hotline"), area=world.grid3a.pk, **{"attribute[scope]": "home"})
    assert resp.status_code == 302
    assert Case.objects.get().extra == {"attributes": {"scope": "home"}}


def test_the_desk_asks_the_matters_questions(water, world):
    client = signed_in("hotline")
    fragment = client.get("/cases/desk/questions/?matter=M004").content.decode()
    assert 'name="attribute[scope]"' in fragment and "整栋楼" in fragment
    assert 'name="attribute[since]"' in fragment
    assert client.get("/cases/desk/questions/?matter=M001").content.decode().strip() == ""
    # a refused form is shown again with the questions and the answers given
    page = desk_post(client, area=world.grid3a.pk, **{"attribute[since]": "两天"}).content.decode()
    assert 'name="attribute[scope]"' in page and 'value="两天"' in page


def test_open311_still_checks_the_questions(water):
    _key, raw = apikey_issue(actor=None, name="随手拍")
    body = {
        "api_key": raw,
        "service_code": "M004",
        "lat": "37.0025",
        "long": "110.8025",
        "description": "停水",
    }
    refused = Client().post("/open311/v2/requests.json", body).json()[0]
    assert refused["code"] == 400 and refused["description"].startswith("attribute[scope]: ")
    ok = Client().post("/open311/v2/requests.json", {**body, "attribute[scope]": "home"})
    assert ok.status_code == 201
    assert Case.objects.get().extra == {"attributes": {"scope": "home"}}


def test_the_patrol_form_asks_and_checks_the_questions(water, world):
    client = signed_in("gridworker")
    body = {"idem": "p1", "matter": "M004", "description": "停水", "area": world.grid3a.pk}
    refused = client.post("/cases/report/", body)
    assert refused.status_code == 400 and "停水范围" in refused.content.decode()
    assert 'name="attribute[scope]"' in refused.content.decode()
    ok = client.post("/cases/report/", {**body, "attribute[scope]": "building"})
    assert ok.status_code == 302
    assert Case.objects.get().extra == {"attributes": {"scope": "building"}}
