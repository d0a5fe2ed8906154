"""The scanner itself: it catches a leak and lets a permitted reveal through."""

import pytest
from django.http import HttpResponse

from tests.conftest import person_id
from tests.privacy_scan import SCANNED, LeakError, check_response


def test_a_full_id_in_a_page_is_a_leak():
    with pytest.raises(LeakError):
        check_response("GET", "/people/", HttpResponse(f"<td>{person_id(1)}</td>"))


def test_a_full_mobile_in_json_is_a_leak():
    with pytest.raises(LeakError):
        check_response("GET", "/api/v1/residents/", HttpResponse('{"phone": "13812345678"}'))


def test_masked_values_and_long_codes_pass():
    check_response("GET", "/x/", HttpResponse("141***********1234 138****5678 1411261000010101001"))


def test_a_reveal_sent_no_store_passes_but_not_elsewhere():
    response = HttpResponse('{"value": "13812345678"}')
    response["Cache-Control"] = "no-store"
    check_response("POST", "/api/v1/residents/3/reveal/", response)
    with pytest.raises(LeakError):
        check_response("GET", "/api/v1/residents/", response)


def test_the_suite_scans_real_responses(registry, api):
    before = SCANNED["responses"]
    api("community").get("/api/v1/residents/")
    assert SCANNED["responses"] == before + 1
