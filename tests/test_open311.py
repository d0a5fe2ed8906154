"""Open311 GeoReport v2: every endpoint in JSON and XML, shaped as the specification shows."""

from xml.etree import ElementTree as ET

import pytest
from django.test import Client

from grassroots.cases import workflow
from grassroots.cases.catalogue import matter_define
from grassroots.cases.models import Case
from grassroots.open311.services import apikey_issue, apikey_revoke


@pytest.fixture
def key(world, catalogue):
    matter_define(
        actor=None,
        code="M004",
        name="停水报修",
        category="水电气暖",
        unit=world.civil,
        level="community",
        response=(2, "calendar_hours"),
        resolution=(24, "calendar_hours"),
        description="供水中断或水压不足",
        attributes=[
            {
                "code": "scope",
                "datatype": "singlevaluelist",
                "required": True,
                "description": "停水范围",
                "values": [
                    {"key": "home", "name": "仅本户"},
                    {"key": "building", "name": "整栋楼"},
                ],
            }
        ],
    )
    return apikey_issue(actor=None, name="市民随手拍")


def post(client, fmt, raw, **fields):
    body = {
        "api_key": raw,
        "service_code": "M001",
        "lat": "37.0025",
        "long": "110.8025",
        "description": "小区路灯不亮",
        "first_name": "三",
        "last_name": "张",
        "phone": "13812345678",
    }
    body.update(fields)
    return client.post(
        f"/open311/v2/requests.{fmt}", {k: v for k, v in body.items() if v is not None}
    )


def xml(resp):
    assert resp["Content-Type"].startswith("text/xml")
    assert resp.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ET.fromstring(resp.content)  # noqa: S314 - our own response


def test_discovery(world):
    body = Client().get("/open311/v2/discovery.json").json()
    assert set(body) == {"changeset", "contact", "key_service", "endpoints"}
    assert body["endpoints"][0]["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert body["endpoints"][0]["formats"] == ["text/xml", "application/json"]
    root = xml(Client().get("/open311/v2/discovery.xml"))
    assert root.tag == "discovery"
    assert [f.text for f in root.find("endpoints/endpoint/formats")] == [
        "text/xml",
        "application/json",
    ]


def test_services_list(key):
    body = Client().get("/open311/v2/services.json").json()
    assert isinstance(body, list)
    light = next(s for s in body if s["service_code"] == "M001")
    assert set(light) == {
        "service_code",
        "service_name",
        "description",
        "metadata",
        "type",
        "keywords",
        "group",
    }
    assert (
        light["metadata"] is False
        and light["type"] == "realtime"
        and light["keywords"] == "路灯,不亮"
    )
    assert next(s for s in body if s["service_code"] == "M004")["metadata"] is True
    root = xml(Client().get("/open311/v2/services.xml"))
    assert root.tag == "services" and root[0].tag == "service"
    assert root[0].find("metadata").text in ("true", "false")


def test_service_definition(key):
    body = Client().get("/open311/v2/services/M004.json").json()
    assert body["service_code"] == "M004"
    attribute = body["attributes"][0]
    assert (
        attribute["variable"] is True and attribute["code"] == "scope" and attribute["order"] == 1
    )
    assert attribute["values"] == [
        {"key": "home", "name": "仅本户"},
        {"key": "building", "name": "整栋楼"},
    ]
    root = xml(Client().get("/open311/v2/services/M004.xml"))
    assert root.tag == "service_definition"
    assert root.find("attributes/attribute/values/value/key").text == "home"
    missing = Client().get("/open311/v2/services/NOPE.json")
    assert missing.status_code == 404 and missing.json()[0]["code"] == 404


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_post_request_creates_a_routed_case(key, world, fmt):
    _key, raw = key
    resp = post(Client(), fmt, raw)
    assert resp.status_code == 201
    if fmt == "json":
        item = resp.json()[0]
        assert set(item) == {"service_request_id", "service_notice", "account_id"}
        case_id = item["service_request_id"]
    else:
        root = xml(resp)
        assert root.tag == "service_requests" and root[0].tag == "request"
        case_id = root.find("request/service_request_id").text
    case = Case.objects.get(pk=case_id)
    # routed like any other case: the point lies in 微网格A of 石楼小镇社区
    assert case.area_id == world.grid3a.pk and case.unit_id == world.xiaozhen_station.pk
    assert case.channel == "api" and case.state == "dispatched"
    assert case.reporter_phone_masked == "138****5678"


def test_created_case_shows_in_the_hotline_list_and_closes(key, world, api):
    _key, raw = key
    case_id = post(Client(), "json", raw).json()[0]["service_request_id"]
    assert api("hotline").get(f"/api/v1/cases/{case_id}/").status_code == 200
    for action, extra in [
        ("accept", {}),
        ("resolve", {"public_note": "已修复"}),
        ("review", {"satisfaction": "satisfied"}),
    ]:
        workflow.case_apply(case_id=int(case_id), action=action, actor=None, **extra)
    body = Client().get(f"/open311/v2/requests/{case_id}.json").json()
    assert isinstance(body, list) and len(body) == 1  # a single request is an array too
    assert body[0]["status"] == "closed" and body[0]["status_notes"] == "已修复"
    assert body[0]["agency_responsible"] == "石楼小镇社区党群服务站"
    root = xml(Client().get(f"/open311/v2/requests/{case_id}.xml"))
    assert root.find("request/status").text == "closed"


def test_no_personal_data_leaves(key):
    _key, raw = key
    case_id = post(Client(), "json", raw).json()[0]["service_request_id"]
    text = Client().get("/open311/v2/requests.json").content.decode()
    assert "张" not in text and "138" not in text and "小区路灯不亮" not in text
    assert case_id in text


def test_get_requests_filters(key):
    _key, raw = key
    first = post(Client(), "json", raw).json()[0]["service_request_id"]
    second = post(Client(), "json", raw, description="另一盏灯").json()[0]["service_request_id"]
    c = Client()
    assert {
        r["service_request_id"]
        for r in c.get(f"/open311/v2/requests.json?service_request_id={first},{second}").json()
    } == {first, second}
    assert len(c.get("/open311/v2/requests.json?status=open").json()) == 2
    assert c.get("/open311/v2/requests.json?status=closed").json() == []
    assert len(c.get("/open311/v2/requests.json?service_code=M001").json()) == 2
    assert (
        c.get(
            "/open311/v2/requests.json?start_date=2000-01-01T00:00:00Z&end_date=2000-02-01T00:00:00Z"
        ).json()
        == []
    )
    assert c.get(f"/open311/v2/tokens/{first}.json").json() == [
        {"service_request_id": first, "token": first}
    ]


@pytest.mark.parametrize(
    ("fields", "status", "fragment"),
    [
        ({"api_key": "wrong"}, 403, "api_key"),
        ({"service_code": ""}, 400, "service_code"),
        ({"service_code": "M999"}, 404, "service_code"),
        ({"lat": None, "long": None}, 400, "location"),
        ({"lat": "10.0", "long": "100.0"}, 400, "outside the county"),
        ({"lat": "abc"}, 400, "lat"),
        ({"description": ""}, 400, "description"),
        ({"service_code": "M004"}, 400, "attribute[scope]"),
        ({"service_code": "M004", "attribute[scope]": "city"}, 400, "attribute[scope]"),
        ({"jurisdiction_id": "elsewhere"}, 400, "jurisdiction_id"),
    ],
)
def test_bad_posts_answer_in_the_spec_error_format(key, fields, status, fragment):
    _key, raw = key
    if "api_key" not in fields:
        fields = {"api_key": raw, **fields}
    for fmt in ("json", "xml"):
        resp = post(Client(), fmt, raw, **fields)
        assert resp.status_code == status
        if fmt == "json":
            assert resp.json()[0]["code"] == status and fragment in resp.json()[0]["description"]
        else:
            root = xml(resp)
            assert root.tag == "errors" and root.find("error/code").text == str(status)
    assert Case.objects.count() == 0


@pytest.mark.parametrize(
    "query",
    [
        "service_request_id=1,abc",
        "start_date=yesterday",
        "status=maybe",
        "start_date=2026-02-01T00:00:00Z&end_date=2026-01-01T00:00:00Z",
    ],
)
def test_bad_queries(key, query):
    resp = Client().get(f"/open311/v2/requests.json?{query}")
    assert resp.status_code == 400 and resp.json()[0]["code"] == 400


def test_wrong_content_type_and_unknown_id(key):
    _key, raw = key
    resp = Client().post(
        "/open311/v2/requests.json", data=f'{{"api_key": "{raw}"}}', content_type="application/json"
    )
    assert resp.status_code == 400
    assert Client().get("/open311/v2/requests/999999.json").status_code == 404
    assert Client().get("/open311/v2/requests/abc.xml").status_code == 404


def test_revoked_key_and_key_in_query_string(key):
    api_key, raw = key
    assert (
        Client()
        .post(
            f"/open311/v2/requests.json?api_key={raw}",
            {"service_code": "M001", "lat": "37.0025", "long": "110.8025", "description": "路灯"},
        )
        .status_code
        == 201
    )
    apikey_revoke(actor=None, key=api_key)
    assert post(Client(), "json", raw).status_code == 403


def test_rate_limit(key):
    api_key, raw = key
    api_key.per_minute = 2
    api_key.save()
    codes = [post(Client(), "json", raw, description=f"灯{i}").status_code for i in range(3)]
    assert codes == [201, 201, 429]


def test_key_command_prints_a_key(world, capsys):
    from django.core.management import call_command

    call_command("open311-key", "自助终端")
    assert capsys.readouterr().out.strip().startswith("o311_")


def test_admin_issues_and_revokes_keys(world):
    # A key opens an account and a post: the security admin's (MANAGE_POSTS), since issue 13.
    from grassroots.open311.models import ApiKey
    from tests.conftest import signed_in

    client = signed_in("secadmin")
    resp = client.post(
        "/admin/open311/apikey/add/",
        {"name": "随手拍", "channel": "api", "per_minute": "30"},
        follow=True,
    )
    assert resp.status_code == 200
    assert "o311_" in resp.content.decode()  # shown once
    key = ApiKey.objects.get(name="随手拍")
    client.post(
        "/admin/open311/apikey/",
        {"action": "revoke", "_selected_action": [key.pk]},
    )
    key.refresh_from_db()
    assert key.revoked_at is not None
    assert signed_in("admin").get("/admin/open311/apikey/").status_code == 403
