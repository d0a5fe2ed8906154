"""No personal data in /metrics labels nor in the JSON log lines (SECURITY.md 16): requests
carrying a resident's ID number, phone and name in the path, the query string, a form body, a
JSON body and a header leave none of them in either.

(Pages echo their own path in the language switcher, so paths with a phone go to the API here:
the suite's response scan, tests/privacy_scan.py, would flag the page's echo.)"""

from __future__ import annotations

import json

import pytest
from django.test import Client

from grassroots.core.models import User
from tests.conftest import signed_in
from tests.observability.conftest import scrape_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def secrets_of(registry):
    father = registry.father
    from tests.conftest import person_id

    return {
        "id_number": person_id(11),
        "phone": "13812345678",
        "name": "王建国",
        "username": "gridworker",
        "pk": father.pk,
    }


def _requests(secrets, api) -> None:
    id_number, phone, name = secrets["id_number"], secrets["phone"], secrets["name"]
    browser = signed_in("gridworker")
    browser.get("/people/", {"q": name})
    browser.get("/health/", {"id_number": id_number, "phone": phone})
    browser.get(f"/people/residents/{id_number[:17]}/")
    browser.post("/people/", {"id_number": id_number, "phone": phone, "name": name})
    client = api("gridworker")
    client.get("/api/v1/residents/", {"id_number": id_number})
    client.get("/api/v1/residents/", {"phone": phone})
    client.get(f"/api/v1/residents/{phone}/")
    client.get(f"/api/v1/residents/{id_number}/")
    client.post(
        "/api/v1/residents/",
        json.dumps({"id_number": id_number, "phone": phone, "name": name}),
        content_type="application/json",
    )
    Client().get("/health/", HTTP_X_REQUEST_ID=phone)
    Client().get("/health/", HTTP_X_REQUEST_ID=id_number)


def test_metrics_hold_no_personal_data(metrics_token, secrets_of, api):
    _requests(secrets_of, api)
    text = scrape_text()
    assert "people:search" in text  # the requests were counted, under the view's name
    for key in ("id_number", "phone", "name", "username"):
        assert secrets_of[key] not in text, key
    assert secrets_of["id_number"][:17] not in text


def test_json_log_lines_hold_no_personal_data(metrics_token, secrets_of, api, json_log):
    _requests(secrets_of, api)
    lines = json_log.lines  # each line is one JSON object
    assert len(lines) >= 12
    for key in ("id_number", "phone", "name", "username"):
        assert secrets_of[key] not in json_log.text, key
    assert secrets_of["id_number"][:17] not in json_log.text
    # The user is named by number only, on the lines of their requests.
    gridworker = User.objects.get(username="gridworker").pk
    requests = [line for line in lines if line["logger"] == "grassroots.request"]
    searched = [line for line in requests if line["view"] == "people:search"]
    assert searched and all(line["user_id"] == gridworker for line in searched)
    assert all("path" not in line for line in lines)


def test_a_message_with_personal_data_is_redacted(json_log):
    import logging

    logging.getLogger("grassroots.test").warning(
        "careless: %s %s %s, %sx",
        "13812345678",
        "141126198005170011",
        "141126800517001",
        "1411261980051",
    )
    (line,) = [line for line in json_log.lines if line["logger"] == "grassroots.test"]
    assert line["message"] == "careless: [redacted] [redacted] [redacted], 1411261980051x"


def test_the_text_format_is_redacted_by_the_request_filter():
    import io
    import logging

    from grassroots.core.observability.context import RequestContextFilter

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
    handler.addFilter(RequestContextFilter())
    logger = logging.getLogger("grassroots.test.text")
    logger.addHandler(handler)
    try:
        logger.error("Not Found: /people/residents/%s/", "141126198005170011")
    finally:
        logger.removeHandler(handler)
    assert (
        stream.getvalue() == "ERROR grassroots.test.text Not Found: /people/residents/[redacted]/\n"
    )


def test_a_record_with_a_bad_format_string_passes_the_filter_unchanged():
    import logging

    from grassroots.core.observability.context import RequestContextFilter

    record = logging.LogRecord("grassroots.test", logging.INFO, __file__, 1, "%d", ("x",), None)
    assert RequestContextFilter().filter(record) is True
    assert (record.msg, record.args) == ("%d", ("x",))
